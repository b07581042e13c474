"""An export names other objects only where its person may see them: an item's link to
another protected object (a feedback's goal, by its id) is written where the person may see
that object, as the item's page shows the goal only then, and empty otherwise; no column reads
anything else of an object the person may not see."""

import pytest
from django.db.models import ForeignObjectRel, Model

from access import catalogue, rules
from feedback.models import Kind
from feedback.tests.factories import give, make_request
from goals.tests.factories import make_goal
from people.models import Person
from trust import exporting
from trust.tests.export_helpers import Archive

pytestmark = pytest.mark.django_db


def export_of(person):
    return Archive(exporting.archive(person, "en"))


def test_a_goal_the_giver_may_not_see_is_not_named_in_their_export(cast):
    goal = make_goal(cast.alice, title="Alice's secret plan", visibility="private")
    give(cast.dave, cast.alice, text="Nice plan", kind=Kind.CONSTRUCTIVE, goal=goal)
    archive = export_of(cast.dave)
    [given] = archive.items("feedback.given")
    assert given["goal_id"] is None
    assert archive.csv("feedback.given.csv")[0]["goal_id"] == ""
    assert "Alice's secret plan" not in archive.everything()


def test_the_receiver_who_sees_the_goal_has_it_named(cast):
    goal = make_goal(cast.alice, visibility="private")
    give(cast.dave, cast.alice, text="Nice plan", kind=Kind.CONSTRUCTIVE, goal=goal)
    [received] = export_of(cast.alice).items("feedback.received")
    assert received["goal_id"] == goal.pk


def test_a_goal_everyone_sees_is_named(cast):
    goal = make_goal(cast.alice, visibility="public")
    give(cast.dave, cast.alice, text="Nice plan", goal=goal)
    [given] = export_of(cast.dave).items("feedback.given")
    assert given["goal_id"] == goal.pk


def test_a_request_about_a_goal_made_private_later_still_names_it_for_its_owner(cast):
    goal = make_goal(cast.alice, visibility="team")
    make_request(cast.alice, [cast.dave], goal=goal)
    goal.visibility = "private"
    goal.save()
    [request] = export_of(cast.alice).items("feedback.requests")
    assert request["goal_id"] == goal.pk


def test_the_links_checked_are_those_to_other_protected_objects():
    given = catalogue.get("feedback.given")
    assert set(exporting.links_of(given.model, exporting.columns_of(given))) == {
        "goal_id",
        "request_id",
    }
    requests = catalogue.get("feedback.requests")
    [asks] = requests.export.rows
    assert set(exporting.links_of(exporting.rows_model(requests, asks), asks.columns)) == {
        "answer_id"
    }
    audit = catalogue.get("trust.audit")  # who made a change is part of it, as its page says
    assert exporting.links_of(audit.model, exporting.columns_of(audit)) == {}


def hops(model: type[Model], column: str) -> list[type[Model]]:
    """The models a column's path reads through before its last field ("cycle__name": the
    cycle's model)."""
    models = []
    *path, _last = column.split("__")
    for name in path:
        field = model._meta.get_field(name)
        assert not isinstance(field, ForeignObjectRel), column
        related = field.related_model
        assert isinstance(related, type) and issubclass(related, Model), column
        model = related
        models.append(model)
    return models


def protected(model: type[Model]) -> bool:
    try:
        rules.rules_for(model)
    except LookupError:
        return False
    return True


# Columns that read through another protected object besides the people an item names, and
# why the person sees what they read: a new one (a goal's title, say) must be added here, and
# so looked at, or be an id, which the export writes only where the person may see it.
READ_THROUGH = {
    ("people.profile", "team__name"): "teams are organisation data: everyone sees them",
    ("feedback.reviews", "cycle__name"): "the cycle the person takes part in",
    ("feedback.reviews", "cycle__period_start"): "the cycle the person takes part in",
    ("feedback.reviews", "cycle__period_end"): "the cycle the person takes part in",
    ("feedback.reviews", "cycle__status"): "the cycle the person takes part in",
    ("feedback.review_reports", "cycle__name"): "the cycle of the person's own report",
    ("feedback.review_reports", "cycle__period_start"): "the cycle of the person's own report",
    ("feedback.review_reports", "cycle__period_end"): "the cycle of the person's own report",
    ("feedback.review_invitations", "participant__person__name"): "whom the reviewer reviews",
    ("feedback.review_invitations", "participant__cycle__name"): "the cycle of the review",
    # An opening the person showed interest in: its title, shown to them on the openings page.
    ("mobility.interests", "opening__title"): "an opening the person showed interest in",
    # The talent review that included the person: its name and stage, nobody's placement.
    ("talentreview.included", "review__name"): "the talent review that included the person",
    ("talentreview.included", "review__status"): "the talent review that included the person",
    ("talentreview.included", "review__finalised_at"): "the talent review that included them",
    ("talentreview.placements", "review__name"): "the talent review of the person's placement",
}


def test_no_column_reads_through_another_protected_object_unlooked_at():
    found = set()
    for kind in catalogue.registered():
        columns = [(kind.model, c) for c in exporting.columns_of(kind) if isinstance(c, str)]
        for rows in kind.export.rows if kind.export else ():
            model = exporting.rows_model(kind, rows)
            if model is not None:
                columns += [(model, c) for c in rows.columns if isinstance(c, str)]
        for model, column in columns:
            if any(protected(hop) and hop is not Person for hop in hops(model, column)):
                found.add((kind.key, column))
    assert found == set(READ_THROUGH)
