"""Outside the pilot scope one receives nothing: no conversation, feedback or 360 reminder, no
feedback e-mail, and no conversation is scheduled (a pair needs both inside). Narrowing calls
off the open rhythm conversations of pairs that leave and keeps everything else."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cadence.jobs import run_jobs
from conftest import make_person
from conversations.models import RHYTHM_KINDS, Conversation, Reminder, Status
from conversations.scheduling import schedule
from conversations.tests.factories import add_action, held, make_conversation
from feedback.tests.factories import add_participant, give, invite, make_cycle, make_request
from organisation.tests.factories import start_pilot


@pytest.fixture
def sid(cast):
    """Dave's manager, in Sales with him: a pair outside a pilot of Platform."""
    sid = make_person("sid@example.com", "Sid Sales", team=cast.sales)
    cast.dave.manager = sid
    cast.dave.save()
    return sid


def mailed():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_reminder_run_reminds_nobody_outside(cast, sid):
    soon = timezone.localdate() + timedelta(days=1)
    make_conversation(cast.alice, due=soon)  # Alice and Bob: inside
    # One-on-ones the two agreed (kept when the pilot narrows, as rhythm ones are not).
    make_conversation(cast.dave, kind="one_on_one", due=soon)  # Dave and Sid: outside
    make_conversation(cast.bob, kind="one_on_one", due=soon)  # Bob inside, Carol outside
    add_action(make_conversation(cast.dave, kind="one_on_one"), cast.dave, due=timezone.localdate())
    start_pilot(cast.platform)
    mail.outbox.clear()
    (line,) = run_jobs(timezone.now(), ["conversations"])
    assert line.endswith("reminders: 2 upcoming, 0 overdue, 0 action items")
    assert mailed() == ["alice@example.com", "bob@example.com"]
    recipients = set(Reminder.objects.values_list("recipient__email", flat=True))
    assert recipients == {"alice@example.com", "bob@example.com"}


def test_a_reminder_recorded_before_the_pilot_narrowed_is_not_sent(cast, sid):
    from conversations.tasks import send_reminder

    soon = timezone.localdate() + timedelta(days=1)
    conversation = make_conversation(cast.dave, due=soon)
    reminder = Reminder.objects.create(
        key="upcoming:test",
        kind=Reminder.Kind.UPCOMING,
        recipient=cast.dave,
        conversation=conversation,
        created_at=timezone.now(),
    )
    start_pilot(cast.platform)
    mail.outbox.clear()
    send_reminder.enqueue(reminder.pk)
    assert mail.outbox == []


def test_no_feedback_or_360_reminder_goes_outside(cast, sid):
    due = timezone.localdate() + timedelta(days=1)
    make_request(cast.bob, [cast.dave, cast.alice], due=due)  # Dave asked: outside
    make_request(cast.dave, [cast.bob], due=due)  # asked by Dave: nobody is reminded of it
    cycle = make_cycle(answers_due=timezone.localdate())
    invite(add_participant(cycle, cast.alice), cast.dave)  # Dave reviews Alice
    invite(add_participant(cycle, cast.dave), cast.bob)  # Bob reviews Dave
    invite(add_participant(cycle, cast.bob), cast.alice)  # inside: reminded
    start_pilot(cast.platform)
    mail.outbox.clear()
    lines = run_jobs(timezone.now(), ["feedback-reminders"])
    assert lines == ["feedback: 1 request reminders, 1 review reminders"]
    assert mailed() == ["alice@example.com", "alice@example.com"]


def test_feedback_given_to_someone_outside_sends_no_e_mail(cast, sid):
    from feedback.tasks import notify_receiver

    start_pilot(cast.platform)
    mail.outbox.clear()
    notify_receiver.enqueue(give(cast.alice, cast.dave).pk)
    notify_receiver.enqueue(give(cast.dave, cast.alice).pk)
    assert mailed() == ["alice@example.com"]
    assert not cast.dave.notifications.filter(kind="feedback_received").exists()


def test_only_pairs_inside_are_scheduled(cast, sid):
    start_pilot(cast.platform)
    schedule()
    pairs = set(Conversation.objects.open().values_list("employee__name", "manager__name"))
    assert pairs == {("Alice Employee", "Bob Manager")}
    assert Conversation.objects.open().count() == len(RHYTHM_KINDS)


def test_the_periodic_job_schedules_and_reminds_inside_only(cast, sid):
    start_pilot(cast.platform)
    run_jobs(timezone.now(), ["conversations"])
    assert set(Conversation.objects.values_list("employee__name", flat=True)) == {"Alice Employee"}


def test_narrowing_calls_off_open_rhythm_conversations_and_keeps_the_rest(cast, sid):
    past = held(make_conversation(cast.dave, due=timezone.localdate() - timedelta(days=40)))
    one_on_one = make_conversation(cast.dave, kind="one_on_one")
    schedule()
    open_before = set(Conversation.objects.open().filter(employee=cast.dave).rhythm())
    assert len(open_before) == len(RHYTHM_KINDS)
    start_pilot(cast.platform)
    schedule()
    assert not Conversation.objects.open().rhythm().filter(employee=cast.dave).exists()
    assert {c.status for c in open_before} == {Status.SCHEDULED}
    assert set(
        Conversation.objects.filter(pk__in=[c.pk for c in open_before]).values_list(
            "status", flat=True
        )
    ) == {Status.CANCELLED}
    past.refresh_from_db()
    one_on_one.refresh_from_db()
    assert past.status == Status.HELD  # what happened stays
    assert one_on_one.status == Status.SCHEDULED  # and so does what the two agreed
    assert Conversation.objects.open().rhythm().filter(employee=cast.alice).count() == 3
