"""`manage.py run_schedules`: schedules the rhythm and sends due reminders; running it again
changes and sends nothing, and two runs at the same moment (cron overlapping a slow run) create
one conversation per pair and kind and send each reminder once."""

import threading
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from conversations.models import RHYTHM_KINDS, Conversation, Kind, Reminder
from conversations.tests.factories import add_action, held, make_conversation
from people.tests.factories import add_people


def run() -> str:
    """The command's report of the rhythm (its first line; other jobs report below it)."""
    out = StringIO()
    call_command("run_schedules", stdout=out)
    return out.getvalue().strip().splitlines()[0]


def open_per_pair_and_kind():
    return Counter(
        Conversation.objects.open()
        .exclude(kind=Kind.ONE_ON_ONE)
        .values_list("employee_id", "manager_id", "kind")
    )


def test_it_schedules_reminds_and_reports(cast):
    soon = timezone.localdate() + timedelta(days=1)
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=soon)
    # Alice and Bob each get the three rhythm kinds with their manager.
    assert run() == "Scheduled 6, cancelled 0; reminders: 2 upcoming, 0 overdue, 0 action items"
    assert set(open_per_pair_and_kind().values()) == {1}
    assert len(open_per_pair_and_kind()) == 6
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]


def test_running_it_again_changes_and_sends_nothing(cast):
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=timezone.localdate())
    run()
    sent = len(mail.outbox)
    assert run() == "Scheduled 0, cancelled 0; reminders: 0 upcoming, 0 overdue, 0 action items"
    assert len(mail.outbox) == sent


def test_a_pair_that_ended_has_its_open_conversations_cancelled(cast):
    run()
    cast.alice.manager = cast.carol
    cast.alice.save()
    report = run()
    assert report.startswith("Scheduled 3, cancelled 3;")
    assert not Conversation.objects.open().filter(employee=cast.alice, manager=cast.bob).exists()


def run_together(count=2):
    """Run the command in `count` threads at once; their outputs."""
    barrier = threading.Barrier(count)
    outputs, errors = [], []

    def work():
        try:
            barrier.wait()
            outputs.append(run())
        except Exception as error:  # reported by the test
            barrier.abort()  # the others stop waiting for this one
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connections

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return outputs


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_schedule_once_and_send_each_reminder_once(cast):
    today = timezone.localdate()
    people = add_people(12, manager=cast.bob, prefix="report")
    for number, person in enumerate(people):
        # Some already have an open check-in due soon, overdue, or an action item due.
        if number % 3 == 0:
            make_conversation(person, manager=cast.bob, due=today + timedelta(days=1))
        elif number % 3 == 1:
            make_conversation(person, manager=cast.bob, due=today - timedelta(days=2))
        else:
            past = held(make_conversation(person, manager=cast.bob, due=today - timedelta(days=20)))
            add_action(past, person, due=today - timedelta(days=1))
    pairs = len(people) + 2  # the reports, Alice with Bob and Bob with Carol

    reported = 0
    for _round in range(2):
        outputs = run_together()
        for out in outputs:
            reminders = out.split("reminders: ")[1]
            reported += sum(int(word) for word in reminders.split() if word.isdigit())
        counts = open_per_pair_and_kind()
        assert len(counts) == pairs * len(RHYTHM_KINDS)
        assert set(counts.values()) == {1}

    # Each reminder was recorded once and its e-mail sent once, by one of the runs.
    recipients = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert set(recipients.values()) == {1}, recipients
    assert len(mail.outbox) == Reminder.objects.count() == 4 * 2 + 4 * 2 + 4
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert reported == len(mail.outbox)  # each run counts what it sent itself
    # (The scheduling count is the lead's `schedule()`: two runs at once may both count the
    # conversations created, though only one of each exists, as checked above.)
    assert all("reminders: 0 upcoming, 0 overdue, 0 action items" in out for out in outputs)
