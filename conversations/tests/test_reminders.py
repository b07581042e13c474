"""Reminders: what is due in each recipient's own calendar, sent at most once, to people who
still work here, in their language and time zone, with links to the right page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from conversations import reminders
from conversations.models import Kind, Reminder, Status
from conversations.tests.factories import add_action, held, make_conversation
from people.tests.factories import add_people

# 11:00 UTC on 10 March 2026: already 11 March (00:00) in Auckland (UTC+13), still
# 10 March (01:00) in Honolulu (UTC-10).
NOW = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
AUCKLAND, HONOLULU = "Pacific/Auckland", "Pacific/Honolulu"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://cadence.example.com"


def send(now=NOW):
    return reminders.send_due_reminders(now)


def to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def live(person, zone):
    person.time_zone = zone
    person.save()


# --- Upcoming ---------------------------------------------------------------------------------


def test_both_hear_of_a_conversation_due_within_three_days(cast):
    conversation = make_conversation(cast.alice, due=date(2026, 3, 12))
    assert send() == {"upcoming": 2, "overdue": 0, "action_due": 0}
    (alice_mail,) = to(cast.alice)
    (bob_mail,) = to(cast.bob)
    assert alice_mail.subject == "Check-in with Bob Manager: due 12 Mar"
    assert "Check-in with Bob Manager is due on 12 Mar 2026." in alice_mail.body
    prepare = f"https://cadence.example.com/conversations/{conversation.pk}/prepare/"
    assert prepare in alice_mail.body
    assert bob_mail.subject == "Check-in with Alice Employee: due 12 Mar"
    page = f"https://cadence.example.com/conversations/{conversation.pk}/\n"
    assert page in bob_mail.body and "prepare" not in bob_mail.body
    assert all(r.sent_at is not None for r in Reminder.objects.all())


def test_a_reminder_is_sent_once_however_often_the_run(cast):
    make_conversation(cast.alice, due=date(2026, 3, 12))
    send()
    assert send() == {"upcoming": 0, "overdue": 0, "action_due": 0}
    assert send(NOW + timedelta(days=1))["upcoming"] == 0
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_a_new_due_date_reminds_again(cast):
    conversation = make_conversation(cast.alice, due=date(2026, 3, 12))
    send()
    conversation.due_date = date(2026, 3, 20)
    conversation.save()
    assert send(NOW + timedelta(days=7))["upcoming"] == 2
    assert len(mail.outbox) == 4


def test_nothing_is_due_a_week_ahead_nor_for_closed_conversations(cast):
    make_conversation(cast.alice, due=date(2026, 3, 17))
    held(make_conversation(cast.alice, kind=Kind.QUARTERLY, due=date(2026, 3, 11)))
    make_conversation(
        cast.alice, kind=Kind.DEVELOPMENT, due=date(2026, 3, 11), status=Status.SKIPPED
    )
    assert send() == {"upcoming": 0, "overdue": 0, "action_due": 0}
    assert mail.outbox == []


def test_a_meeting_time_reminds_the_day_before_in_the_readers_time_zone(cast):
    live(cast.bob, HONOLULU)
    starts = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)  # 10 March, 16:30 in Honolulu
    conversation = make_conversation(cast.alice, due=date(2026, 3, 25), starts_at=starts)
    assert send(starts - timedelta(hours=25))["upcoming"] == 0
    assert send(starts - timedelta(hours=23))["upcoming"] == 2
    (bob_mail,) = to(cast.bob)
    assert "Check-in with Alice Employee is on 10 Mar 2026, 16:30." in bob_mail.body
    (alice_mail,) = to(cast.alice)
    assert "11 Mar 2026, 02:30" in alice_mail.body
    assert str(conversation.pk) in alice_mail.body


def test_a_meeting_time_rules_over_the_due_date(cast):
    """A time agreed for next week: not reminded now because the due date is near."""
    make_conversation(cast.alice, due=date(2026, 3, 11), starts_at=NOW + timedelta(days=6))
    assert send()["upcoming"] == 0


def test_the_due_date_is_read_in_each_recipients_time_zone(cast):
    live(cast.alice, AUCKLAND)
    live(cast.bob, HONOLULU)
    make_conversation(cast.alice, due=date(2026, 3, 14))  # 3 days ahead in Auckland, 4 here
    assert send()["upcoming"] == 1
    assert len(to(cast.alice)) == 1 and to(cast.bob) == []
    # A day later it is 3 days ahead in Honolulu too.
    assert send(NOW + timedelta(days=1))["upcoming"] == 1
    assert len(to(cast.bob)) == 1 and len(to(cast.alice)) == 1


# --- Overdue ----------------------------------------------------------------------------------


def test_an_overdue_conversation_reminds_both_once_its_day_is_over_where_they_are(cast):
    live(cast.alice, AUCKLAND)
    live(cast.bob, HONOLULU)
    conversation = make_conversation(cast.alice, due=date(2026, 3, 10))
    Reminder.objects.create(  # the upcoming ones went out days ago
        key=f"upcoming:{conversation.pk}:2026-03-10:{cast.alice.pk}",
        kind="upcoming",
        recipient=cast.alice,
    )
    Reminder.objects.create(
        key=f"upcoming:{conversation.pk}:2026-03-10:{cast.bob.pk}",
        kind="upcoming",
        recipient=cast.bob,
    )
    assert send() == {"upcoming": 0, "overdue": 1, "action_due": 0}
    (alice_mail,) = to(cast.alice)
    assert alice_mail.subject == "Overdue: Check-in with Bob Manager"
    assert "was due on 10 Mar 2026" in alice_mail.body
    assert send(NOW + timedelta(hours=23))["overdue"] == 1  # 11 March in Honolulu
    assert to(cast.bob)[0].subject == "Overdue: Check-in with Alice Employee"
    assert send(NOW + timedelta(days=3))["overdue"] == 0


def test_long_overdue_conversations_send_no_mail(cast):
    make_conversation(cast.alice, due=date(2026, 1, 5))
    assert send() == {"upcoming": 0, "overdue": 0, "action_due": 0}


# --- Action items -----------------------------------------------------------------------------


def test_the_owner_hears_of_an_action_item_due_today_in_their_time_zone(cast):
    live(cast.alice, AUCKLAND)
    live(cast.bob, HONOLULU)
    conversation = held(make_conversation(cast.alice, due=date(2026, 3, 1)))
    add_action(conversation, cast.alice, text="Write the RFC", due=date(2026, 3, 11))
    add_action(conversation, cast.bob, text="Book the course", due=date(2026, 3, 11))
    add_action(conversation, cast.bob, text="Done already", due=date(2026, 3, 9), done=True)
    add_action(conversation, cast.alice, text="No date")
    assert send() == {"upcoming": 0, "overdue": 0, "action_due": 1}
    (alice_mail,) = mail.outbox
    assert alice_mail.to == [cast.alice.email]
    assert alice_mail.subject == "Action item due: Write the RFC"
    assert "  Write the RFC\n" in alice_mail.body
    assert f"https://cadence.example.com/conversations/{conversation.pk}/" in alice_mail.body
    assert send(NOW + timedelta(days=1)) == {"upcoming": 0, "overdue": 0, "action_due": 1}
    assert mail.outbox[1].to == [cast.bob.email]
    assert send(NOW + timedelta(days=2))["action_due"] == 0


# --- Who gets mail ----------------------------------------------------------------------------


def test_leavers_and_inactive_people_get_nothing(cast):
    cast.alice.leave_date = date(2026, 3, 1)
    cast.alice.save()
    cast.bob.is_active = False
    cast.bob.save()
    make_conversation(cast.alice, due=date(2026, 3, 11))
    conversation = held(make_conversation(cast.carol, manager=cast.bob, due=date(2026, 3, 1)))
    add_action(conversation, cast.bob, due=date(2026, 3, 10))
    add_action(conversation, cast.carol, due=date(2026, 3, 10))
    assert send() == {"upcoming": 0, "overdue": 0, "action_due": 1}
    assert [m.to for m in mail.outbox] == [[cast.carol.email]]


def test_mail_is_in_the_recipients_language(cast):
    cast.alice.language = "nl"
    cast.alice.save()
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title="O'Brien & co", due=date(2026, 3, 12))
    send()
    (alice_mail,) = to(cast.alice)
    assert "12 mrt 2026" in alice_mail.body  # Dutch dates (cadence/formats/nl)
    assert "O'Brien & co" in alice_mail.subject and "O'Brien & co" in alice_mail.body
    (bob_mail,) = to(cast.bob)
    assert "12 Mar 2026" in bob_mail.body


# --- At most once -----------------------------------------------------------------------------


def test_a_reminder_recorded_by_another_run_is_not_sent_again(cast):
    conversation = make_conversation(cast.alice, due=date(2026, 3, 12))
    Reminder.objects.create(
        key=f"upcoming:{conversation.pk}:2026-03-12:{cast.alice.pk}",
        kind="upcoming",
        recipient=cast.alice,
        conversation=conversation,
    )
    assert send()["upcoming"] == 1
    assert [m.to for m in mail.outbox] == [[cast.bob.email]]


def test_a_task_run_twice_sends_once_and_a_held_conversation_not_at_all(cast):
    conversation = make_conversation(cast.alice, due=date(2026, 3, 12))
    first = Reminder.objects.create(
        key="upcoming:x", kind="upcoming", recipient=cast.alice, conversation=conversation
    )
    assert reminders.deliver(first.pk, NOW) is True
    assert reminders.deliver(first.pk, NOW) is False
    assert len(mail.outbox) == 1
    held(conversation)
    second = Reminder.objects.create(
        key="upcoming:y", kind="upcoming", recipient=cast.bob, conversation=conversation
    )
    assert reminders.deliver(second.pk, NOW) is False
    assert len(mail.outbox) == 1
    second.refresh_from_db()
    assert second.sent_at is None


def test_a_failed_send_is_not_recorded_as_sent(cast, monkeypatch):
    conversation = make_conversation(cast.alice, due=date(2026, 3, 12))
    reminder = Reminder.objects.create(
        key="upcoming:z", kind="upcoming", recipient=cast.alice, conversation=conversation
    )

    def broken(*args, **kwargs):
        raise ConnectionError("no mail server")

    monkeypatch.setattr(reminders, "send_email", broken)
    with pytest.raises(ConnectionError):
        reminders.deliver(reminder.pk, NOW)
    reminder.refresh_from_db()
    assert reminder.sent_at is None


# --- Bounded work -----------------------------------------------------------------------------


def test_a_run_with_nothing_new_does_a_fixed_number_of_queries(cast, django_assert_num_queries):
    def fill(count, prefix):
        for person in add_people(count, manager=cast.bob, prefix=prefix):
            conversation = make_conversation(person, manager=cast.bob, due=date(2026, 3, 11))
            make_conversation(person, manager=cast.bob, kind=Kind.QUARTERLY, due=date(2026, 3, 8))
            add_action(conversation, person, due=date(2026, 3, 10))

    fill(2, "few")
    send()
    with CaptureQueriesContext(connection) as few:
        assert send() == {"upcoming": 0, "overdue": 0, "action_due": 0}
    fill(20, "many")
    send()
    assert len(mail.outbox) == 22 * 2 * 2 + 22
    with django_assert_num_queries(len(few.captured_queries)):
        assert send() == {"upcoming": 0, "overdue": 0, "action_due": 0}
    assert len(few.captured_queries) <= 6


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_with_the_database_backend_the_worker_sends_what_the_run_queued(cast, settings):
    # The task handler reads TASKS again when the setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_conversation(cast.alice, due=date(2026, 3, 12))
    assert send()["upcoming"] == 2
    assert mail.outbox == []  # queued, with the reminders, in one transaction
    assert DBTaskResult.objects.count() == 2
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
