"""Erasing a leaver leaves no name, address or text of theirs, or about them, in any text
column of any table, while their records, and every count and figure made of them, stay."""

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast

from accounts.models import SignedInSession
from conftest import make_person
from conversations import tally
from conversations.models import AgendaItem, Conversation, Note, PrivateNote
from feedback.models import Feedback, FeedbackRequest, ReviewAnswer
from feedback.report import build_report
from feedback.tests.factories import give
from goals.models import Objective, ProgressUpdate
from notifications import kinds
from notifications.models import Notification
from notifications.services import notify
from people import search
from people.models import Person
from trust import audit, erasure
from trust.models import AuditEntry, DataExport
from trust.tests import leaver
from trust.tests.leaver import ABOUT, BY, EMAIL, KEPT, NAME, OTHER_EMAIL

pytestmark = pytest.mark.django_db

TEXT = (models.CharField, models.TextField, models.JSONField)


def text_columns():
    """Every text column of every model: (model, field)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT):
                yield model, field


def found(needle: str) -> list[str]:
    """Where `needle` is, in any case: "app.Model.field" for each column that holds it."""
    places = []
    for model, field in text_columns():
        rows = model._base_manager.all()
        if isinstance(field, models.JSONField):
            rows = rows.annotate(as_text=Cast(field.name, models.TextField()))
            hit = rows.filter(as_text__icontains=needle)
        else:
            hit = rows.filter(**{f"{field.name}__icontains": needle})
        if hit.exists():
            places.append(f"{model._meta.label}.{field.name}")
    return places


@pytest.fixture
def world(cast, client):
    world = leaver.build(cast)
    client.force_login(world.zelda)  # a session of hers
    return world


def figures(participant):
    """Every figure of a 360 report: per question, each group's mean and count, and how many
    people stand behind each block of comments."""
    report = build_report(participant)
    return [
        (
            question.question.pk,
            [(row.key, row.mean, row.count) for row in question.rows],
            [(block.key, block.respondents, len(block.comments)) for block in question.comments],
        )
        for section in report.sections
        for question in section.questions
    ]


def test_the_search_sees_what_is_there_before(world):
    for needle in (NAME, EMAIL, OTHER_EMAIL, BY, ABOUT, KEPT):
        assert found(needle), needle
    assert "notifications.Notification.params" in found(NAME)  # JSON columns are read too
    assert "conversations.Conversation.preparation" in found(BY)
    assert Session.objects.exists()


def test_nothing_of_theirs_or_about_them_is_left_in_any_text_column(world):
    erasure.erase(world.zelda)
    for needle in (NAME, "Marchetti", EMAIL, OTHER_EMAIL, BY, ABOUT):
        assert found(needle) == [], needle


def test_what_others_wrote_about_other_things_stays(world):
    erasure.erase(world.zelda)
    places = found(KEPT)
    for column in (
        "goals.Objective.title",
        "goals.ProgressUpdate.comment",
        "conversations.AgendaItem.text",
        "conversations.Note.text",
        "conversations.PrivateNote.text",
        "conversations.ActionItem.text",
        "feedback.Feedback.text",
        "feedback.FeedbackRequest.topic",
        "feedback.ReviewAnswer.comment",
    ):
        assert column in places
    kept = Notification.objects.get(pk=world.kept_notification.pk)
    assert kept.params == {"giver": "Dave Peer"}


def test_their_records_stay_and_say_a_former_employee(world):
    counts = {
        model: model.objects.count()
        for model in (Objective, ProgressUpdate, Conversation, AgendaItem, Note, PrivateNote)
    }
    counts |= {model: model.objects.count() for model in (Feedback, FeedbackRequest)}
    answers = ReviewAnswer.objects.count()

    erasure.erase(world.zelda)

    assert counts == {model: model.objects.count() for model in counts}
    assert ReviewAnswer.objects.count() == answers
    zelda = Person.objects.get(pk=world.zelda.pk)
    assert zelda.name == "A former employee"
    assert zelda.email == f"former-employee-{zelda.pk}@erased.invalid"
    assert zelda.anonymised_at is not None
    assert not zelda.is_active and not zelda.has_usable_password()
    assert (zelda.job_title, zelda.language, zelda.time_zone) == ("", "", "UTC")
    assert (zelda.team_id, zelda.manager_id) == (world.zelda.team_id, world.zelda.manager_id)
    assert zelda.leave_date == world.zelda.leave_date
    assert Objective.objects.get(pk=world.goal.pk).title == "(removed)"
    assert Conversation.objects.get(pk=world.conversation.pk).label == "Check-in"
    alices = Notification.objects.filter(recipient=world.given.receiver)
    assert "A former employee gave you feedback." in [n.text for n in alices]
    assert not Notification.objects.filter(recipient=zelda).exists()
    assert not Session.objects.exists()
    assert not SignedInSession.objects.filter(person=zelda).exists()
    assert not DataExport.objects.filter(person=zelda).exists()


def test_the_directory_search_forgets_them(world):
    assert search.matching(Person.objects.all(), "marchetti").exists()
    erasure.erase(world.zelda)
    for query in ("marchetti", "zelda", "staff engineer"):
        assert not search.matching(Person.objects.all(), query).exists(), query


def test_360_figures_are_the_same_after(world):
    before = [figures(world.participant), figures(world.yuri_participant)]
    erasure.erase(world.zelda)
    world.participant.refresh_from_db()
    world.yuri_participant.refresh_from_db()
    assert [figures(world.participant), figures(world.yuri_participant)] == before


def test_anonymous_answers_are_untouched(world):
    anonymous = ReviewAnswer.objects.exclude(group__in=["self", "manager"])
    before = sorted(anonymous.values_list("id", "participant", "question", "rating", "comment"))
    erasure.erase(world.zelda)
    assert sorted(anonymous.values_list("id", "participant", "question", "rating", "comment")) == (
        before
    )


def test_rhythm_tallies_are_the_same_after(world):
    before = tally.stored()
    assert before
    erasure.erase(world.zelda)
    assert tally.stored() == before
    assert tally.differences() == []


def test_the_result_says_how_many_rows_of_each_table(world):
    result = erasure.erase(world.zelda)
    assert result.done and result.name == NAME
    assert result.rows["people.Person"] == 1
    assert result.rows["goals.Objective"] == 1
    assert result.rows["conversations.Note"] == 3  # her two and Bob's about her
    assert result.rows["feedback.ReviewAnswer"] == 3  # her own, Bob's and hers about Yuri
    assert result.rows["conversations.Conversation"] == 3  # two topics, a skip reason
    assert result.rows["sessions.Session"] == 1
    assert result.rows["accounts.SignedInSession"] == 1
    assert result.rows["trust.DataExport"] == 1


def test_a_namesake_keeps_their_notifications(world, cast):
    namesake = make_person("zelda.two@example.com", NAME, team=cast.sales)
    theirs = give(namesake, cast.alice, "Thank you for the review")
    kept = notify(cast.alice, kinds.FEEDBACK_RECEIVED, theirs.get_absolute_url(), giver=NAME)
    erasure.erase(world.zelda)
    assert Notification.objects.get(pk=kept.pk).params == {"giver": NAME}
    assert Person.objects.get(pk=namesake.pk).name == NAME


def test_a_namesake_keeps_their_admin_history(world, cast):
    namesake = make_person("zelda.two@example.com", NAME, team=cast.sales)
    theirs = LogEntry.objects.create(
        user=cast.frank,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(namesake.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="Changed is_staff.",
    )
    erasure.erase(world.zelda)
    assert LogEntry.objects.get(pk=theirs.pk).object_repr == NAME


def test_the_audit_log_forgets_what_it_said_of_them_and_still_verifies(world, cast):
    result = erasure.erase(world.zelda, by=cast.erin)
    assert result.audit_entries == 1
    entry = AuditEntry.objects.get(action="person.changed", subject=world.zelda.pk)
    assert entry.redacted and entry.changes == {"name": None, "email": None}
    erased = AuditEntry.objects.get(action="person.erased")
    assert (erased.actor_id, erased.subject_id) == (cast.erin.pk, world.zelda.pk)
    assert erased.changes == {"rows": sum(result.rows.values()), "entries": 1}
    assert audit.verify()[1] is None
