"""The plan on a conversation's agenda, Plan to update on Home, and readiness from the levels
Growth's assessments give (`plans.readiness.current_levels`, injected here)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from cadence.waiting import SOURCES
from conversations.models import Kind
from conversations.tests.factories import make_conversation
from growth import queries as growth_queries
from plans import readiness
from plans.models import ActionStatus, Plan, PlanAction


@pytest.fixture
def plan(cast, framework):
    plan = Plan.objects.create(
        person=cast.alice, target_track="management", target_level=4, focus=["developing-people"]
    )
    PlanAction.objects.create(
        plan=plan,
        kind="mentoring",
        title="Mentoring with Carol",
        due_date=timezone.localdate() + timedelta(days=10),
    )
    return plan


@pytest.mark.parametrize("kind", [Kind.CHECK_IN, Kind.DEVELOPMENT])
def test_the_plan_is_on_the_agenda_for_both_and_the_manager_marks_an_action_done(
    client, login, cast, plan, kind
):
    conversation = make_conversation(cast.alice, kind=kind)
    for person in (cast.alice, cast.bob):
        login(person)
        page = client.get(conversation.get_absolute_url()).content.decode()
        assert "Mentoring with Carol" in page and "Developing people" in page
    action = plan.actions.get()
    response = client.post(
        reverse("plans:action_status", args=[action.pk]),
        {"status": "done", "next": conversation.get_absolute_url()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Done" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_previous_manager_sees_no_plan_on_an_old_conversation(client, login, cast, plan):
    conversation = make_conversation(cast.alice)
    cast.alice.manager = cast.carol
    cast.alice.save()
    login(cast.bob)
    page = client.get(conversation.get_absolute_url())
    assert "Mentoring with Carol" not in page.content.decode()


def test_a_quarterly_review_shows_no_plan(client, login, cast, plan):
    conversation = make_conversation(cast.alice, kind=Kind.QUARTERLY)
    login(cast.alice)
    assert "Mentoring with Carol" not in client.get(conversation.get_absolute_url()).text


def test_actions_past_due_wait_for_their_owner(cast, plan):
    from access.viewer import Viewer

    source = SOURCES["plan_to_update"]
    later = timezone.localdate() + timedelta(days=11)
    assert source.pending(Viewer(cast.alice), timezone.localdate()).count() == 0
    assert source.pending(Viewer(cast.alice), later).count() == 1
    assert [i.what for i in source.items(Viewer(cast.alice), later, 5)] == ["Mentoring with Carol"]
    assert source.pending(Viewer(cast.bob), later).count() == 0


def assessed(level: int, on: date, person) -> growth_queries.Assessed:
    return growth_queries.Assessed(level, on, "agreed", 1, 1, person.pk)


def test_readiness_counts_the_target_competencies_met_and_goes_stale(
    client, login, cast, plan, monkeypatch
):
    today = timezone.localdate()
    levels = {
        "communication": assessed(4, today, cast.alice),
        "developing-people": assessed(1, today, cast.alice),
    }
    monkeypatch.setattr(
        readiness, "current_levels", lambda viewer, ids, today=None: {cast.alice.pk: levels}
    )
    login(cast.alice)
    page = client.get(reverse("plans:mine")).content.decode()
    assert "Ready for" in page and "Stale" not in page
    before = today - timedelta(days=400)
    old = {key: assessed(value.level, before, cast.alice) for key, value in levels.items()}
    monkeypatch.setattr(
        readiness, "current_levels", lambda viewer, ids, today=None: {cast.alice.pk: old}
    )
    assert "Stale: no assessment" in client.get(reverse("plans:mine")).content.decode()


def test_levels_come_from_assessments_the_managers_shared_rating_not_the_self_rating(cast):
    from growth.tests.factories import publish_starter
    from growth.tests.helpers import rated

    manager = Viewer(cast.bob)
    assert readiness.current_levels(manager, [cast.alice.pk]) == {}
    publish_starter()
    rated(cast, mine=4, theirs=2)
    levels = readiness.current_levels(manager, [cast.alice.pk, cast.dave.pk])
    assert set(levels) == {cast.alice.pk}
    assert levels[cast.alice.pk]["communication"].level == 2


def test_the_agenda_links_the_plans_styles_once(login, cast, framework):
    from plans.models import Plan

    Plan.objects.create(person=cast.alice, ambition="Lead")
    conversation = make_conversation(cast.alice, kind=Kind.DEVELOPMENT)
    page = login(cast.bob).get(conversation.get_absolute_url()).text
    assert page.count("plans/plans") == 1


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_plan_on_the_agenda_costs_a_fixed_number_of_queries(
    login, cast, framework, who, django_assert_num_queries
):
    from conversations.agenda import automatic_agenda
    from plans.agenda import development_plan

    plan = Plan.objects.create(person=cast.alice, ambition="Lead", focus=["communication"])
    for n in range(12):
        PlanAction.objects.create(plan=plan, kind="course", title=f"Course {n}")
    conversation = make_conversation(cast.alice, kind=Kind.DEVELOPMENT)
    viewer = Viewer(person=getattr(cast, who))
    automatic_agenda(conversation, viewer)  # the framework and the viewer's own rows, kept
    # The plan with its open actions (the focus competencies are kept per process).
    with django_assert_num_queries(1):
        section = development_plan(conversation, viewer)
    assert section is not None and len(section.context["actions"]) == 12
    assert [c.key for c in section.context["focus"]] == ["communication"]
    PlanAction.objects.filter(plan=plan).update(status="done")
    with django_assert_num_queries(1):  # without an open action: the plan alone, the same query
        section = development_plan(conversation, viewer)
    assert section is not None and section.context["plan"] == plan
    assert section.context["actions"] == []


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_agenda_shows_the_plan_as_it_is_now(login, cast, framework, who):
    """The plan's SQL is kept (`cadence.waiting.kept_rows`), never its rows: an action added,
    done or changed, the focus changed, shows on the next page; another viewer sees theirs."""
    from plans.agenda import development_plan

    plan = Plan.objects.create(person=cast.alice, focus=["communication"])
    first = PlanAction.objects.create(plan=plan, kind="course", title="Course A")
    conversation = make_conversation(cast.alice, kind=Kind.DEVELOPMENT)
    viewer = Viewer(person=getattr(cast, who))

    def shown():
        section = development_plan(conversation, viewer)
        assert section is not None
        return [a.title for a in section.context["actions"]], [
            c.key for c in section.context["focus"]
        ]

    assert shown() == (["Course A"], ["communication"])
    PlanAction.objects.create(plan=plan, kind="course", title="Course B")
    first.title = "Course A, renamed"
    first.save()
    Plan.objects.filter(pk=plan.pk).update(focus=[])
    assert shown() == (["Course A, renamed", "Course B"], [])
    PlanAction.objects.filter(pk=first.pk).update(status="done")
    assert shown() == (["Course B"], [])
    # Someone who may not see the plan gets no section, after these viewers.
    assert development_plan(conversation, Viewer(person=cast.dave)) is None


def test_the_growth_page_shows_readiness_once_and_the_role_table_once(client, login, cast, plan):
    """Where I stand lists what the role expects; the plan's card adds the readiness for the
    target, not the same competencies again (the gap competency by competency is the plan's)."""
    from growth.tests.helpers import rated

    rated(cast, mine=4, theirs=3)
    login(cast.alice)
    page = client.get(reverse("growth:index")).content.decode()
    assert page.count("Ready for") == 1
    assert "Gap and readiness" not in page
    assert page.count(">Communication<") == 1


def test_without_any_assessed_level_readiness_says_not_assessed_not_zero(client, login, cast, plan):
    login(cast.alice)
    for url in (reverse("plans:mine"), reverse("growth:index")):
        page = client.get(url).content.decode()
        assert "not assessed yet" in page
        assert ": 0%" not in page and "Stale" not in page
