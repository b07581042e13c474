"""Reminders for feedback requests and 360 reviews: when they go out (in each recipient's own
calendar), at most once a day even when two runs overlap, never to leavers, never about what
is answered or declined, and in the recipient's language."""

import threading
from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from cadence.jobs import retrying
from feedback.models import AskStatus, FeedbackAsk, ReviewInvitation
from feedback.reminders import send_due_feedback_reminders
from feedback.tests.factories import add_participant, invite, make_cycle, make_request
from people.tests.factories import add_people

DAY = timedelta(days=1)


def today_utc():
    return timezone.now().astimezone(UTC).date()


def noon(day):
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def ask_due_in(cast, days, requestee=None, **fields):
    request = make_request(
        cast.alice, [requestee or cast.bob], due=today_utc() + DAY * days, **fields
    )
    return request.asks.get()


# --- Feedback requests ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "reminded"),
    [(5, False), (3, False), (2, True), (0, True), (-1, True), (-7, True), (-8, False)],
)
def test_a_pending_ask_is_reminded_from_two_days_before_until_a_week_after(cast, days, reminded):
    ask_due_in(cast, days)
    counts = send_due_feedback_reminders(noon(today_utc()))
    assert counts == {"requests": int(reminded), "reviews": 0}
    assert len(mail.outbox) == int(reminded)
    if reminded:
        message = mail.outbox[0]
        assert message.to == ["bob@example.com"]
        assert "Alice Employee" in message.subject
        assert f"/feedback/asks/{FeedbackAsk.objects.get().pk}/answer/" in message.body
        if days < 0:
            assert "Overdue" in message.subject


def test_at_most_once_a_day_and_again_the_next_day(cast):
    ask = ask_due_in(cast, 1)
    now = noon(today_utc())
    assert send_due_feedback_reminders(now)["requests"] == 1
    assert send_due_feedback_reminders(now + timedelta(hours=5))["requests"] == 0
    assert len(mail.outbox) == 1
    ask.refresh_from_db()
    assert ask.last_reminded_on == today_utc()
    assert send_due_feedback_reminders(now + DAY)["requests"] == 1
    assert len(mail.outbox) == 2


def test_answered_and_declined_asks_are_not_reminded(cast):
    answered = ask_due_in(cast, 1)
    declined = ask_due_in(cast, 1, requestee=cast.dave)
    FeedbackAsk.objects.filter(pk=answered.pk).update(status=AskStatus.ANSWERED)
    FeedbackAsk.objects.filter(pk=declined.pk).update(status=AskStatus.DECLINED)
    assert send_due_feedback_reminders(noon(today_utc()))["requests"] == 0
    assert not mail.outbox


def test_a_new_request_is_not_reminded_the_day_it_was_sent(login, cast):
    login(cast.alice).post(
        "/feedback/requests/new/",
        {
            "people": "bob@example.com",
            "topic": "Tomorrow's talk",
            "due_date": (timezone.localdate() + DAY).isoformat(),
        },
    )
    assert len(mail.outbox) == 1  # the request itself
    assert send_due_feedback_reminders()["requests"] == 0
    assert send_due_feedback_reminders(timezone.now() + DAY)["requests"] == 1


def test_the_day_is_the_recipients_own(cast):
    """At 20:00 UTC it is already tomorrow in Auckland: a request due in three UTC days is due
    in two there, and the day recorded is Auckland's."""
    now = datetime.combine(today_utc(), time(20, 0), tzinfo=UTC)
    cast.dave.time_zone = "Pacific/Auckland"
    cast.dave.save()
    far = ask_due_in(cast, 3)  # Bob, in UTC
    near = ask_due_in(cast, 3, requestee=cast.dave)
    assert send_due_feedback_reminders(now)["requests"] == 1
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]
    near.refresh_from_db()
    far.refresh_from_db()
    assert near.last_reminded_on == cast.dave.local_today(now) == today_utc() + DAY
    assert far.last_reminded_on is None
    # Six hours later it is the same day in Auckland (nothing new for Dave), and the next in
    # UTC, two days before Bob's due date: now he is reminded.
    assert send_due_feedback_reminders(now + timedelta(hours=6))["requests"] == 1
    assert [m.to for m in mail.outbox] == [["dave@example.com"], ["bob@example.com"]]


def test_leavers_get_nothing(cast):
    yesterday = timezone.localdate() - DAY
    cast.bob.leave_date = yesterday
    cast.bob.save()
    cast.dave.is_active = False
    cast.dave.save()
    ask_due_in(cast, 1)
    ask_due_in(cast, 1, requestee=cast.dave)
    # Nobody is reminded of a request from someone who has left either.
    request = make_request(cast.carol, [cast.erin], due=today_utc() + DAY)
    cast.carol.leave_date = yesterday
    cast.carol.save()
    assert send_due_feedback_reminders()["requests"] == 0
    assert not mail.outbox
    assert request.asks.get().last_reminded_on is None


def test_the_email_is_in_the_recipients_language(cast):
    cast.bob.language = "nl"
    cast.bob.save()
    ask = ask_due_in(cast, 2)
    due = ask.request.due_date
    send_due_feedback_reminders(noon(today_utc()))
    body = mail.outbox[0].body
    months = "jan feb mrt apr mei jun jul aug sep okt nov dec"  # cadence/formats/nl
    dutch = dict(enumerate(months.split(), start=1))
    assert f"{due.day} {dutch[due.month]} {due.year}" in body


# --- 360 reviews ------------------------------------------------------------------------------


@pytest.fixture
def invitation(cast):
    """Alice reviews Bob; answers are due in ten days."""
    cycle = make_cycle(answers_due=today_utc() + DAY * 10)
    return invite(add_participant(cycle, cast.bob), cast.alice)


def test_an_open_review_is_reminded_every_three_days(cast, invitation):
    start = noon(today_utc())
    sent = []
    for day in range(7):
        counts = send_due_feedback_reminders(start + DAY * day)
        sent.append(counts["reviews"])
    assert sent == [1, 0, 0, 1, 0, 0, 1]
    assert all(m.to == ["alice@example.com"] for m in mail.outbox)
    assert "Bob Manager" in mail.outbox[0].subject
    assert "/feedback/reviews/invitations/" in mail.outbox[0].body
    assert "anonymous" in mail.outbox[0].body


def test_and_once_more_two_days_before_the_answers_are_due(cast, invitation):
    due = invitation.participant.cycle.answers_due
    ReviewInvitation.objects.filter(pk=invitation.pk).update(last_reminded_on=due - DAY * 3)
    assert send_due_feedback_reminders(noon(due - DAY * 2))["reviews"] == 1
    assert send_due_feedback_reminders(noon(due - DAY * 2) + timedelta(hours=3))["reviews"] == 0
    assert send_due_feedback_reminders(noon(due - DAY))["reviews"] == 0


def test_answered_declined_and_closed_reviews_are_not_reminded(cast, invitation):
    declined = invite(invitation.participant, cast.dave, declined=True)
    ReviewInvitation.objects.filter(pk=invitation.pk).update(answered=True)
    closed = make_cycle(name="Old", status="closed")
    invite(add_participant(closed, cast.carol), cast.alice)
    drafting = make_cycle(name="Next", status="nominating")
    invite(add_participant(drafting, cast.carol), cast.dave)
    assert send_due_feedback_reminders(noon(today_utc()))["reviews"] == 0
    assert not mail.outbox
    declined.refresh_from_db()
    assert declined.last_reminded_on is None


def test_reviewers_who_left_get_nothing(cast, invitation):
    cast.alice.leave_date = timezone.localdate() - DAY
    cast.alice.save()
    assert send_due_feedback_reminders(noon(today_utc()))["reviews"] == 0
    assert not mail.outbox


# --- The schedule command -----------------------------------------------------------------------


def run() -> str:
    out = StringIO()
    call_command("run_schedules", stdout=out)
    return out.getvalue()


def test_run_schedules_sends_them_and_says_so(cast, invitation):
    ask_due_in(cast, 1)
    out = run()
    assert "feedback: 1 request reminders, 1 review reminders" in out
    assert "feedback:" not in run()  # nothing new: no line


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(cast):
    people = add_people(8, prefix="asked")
    make_request(cast.alice, people, due=today_utc() + DAY)
    cycle = make_cycle()
    for person in people[:4]:
        invite(add_participant(cycle, person), cast.bob)
    now = noon(today_utc())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            # As run_schedules does: SQLite may report "database is locked" under contention,
            # and running again is always safe.
            results.append(retrying(send_due_feedback_reminders, now))
        except Exception as error:  # reported below
            barrier.abort()  # the other stops waiting for this one
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(mail.outbox) == 12
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 12
    assert sum(r["requests"] + r["reviews"] for r in results) == 12  # each counts its own
    assert not FeedbackAsk.objects.filter(last_reminded_on__isnull=True).exists()
