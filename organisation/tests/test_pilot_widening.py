"""Widening the pilot schedules the newcomers' rhythm from the day they join, without a flood
of overdue items: nothing due before counts as overdue or missed, in the reminders, rhythm
health or the waiting counts. Narrowing again keeps what they did."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from cadence.jobs import run_jobs
from cadence.waiting import counts
from conftest import make_person
from conversations.adherence import adherence_of, counted_q
from conversations.models import Conversation, Kind, Status, add_months
from conversations.scheduling import schedule
from conversations.tests.factories import held, make_conversation
from organisation.models import PilotTeam
from organisation.tests.factories import start_pilot

PILOT = reverse("organisation:pilot")


@pytest.fixture
def sid(cast):
    sid = make_person("sid@example.com", "Sid Sales", team=cast.sales)
    cast.dave.manager = sid
    cast.dave.save()
    return sid


@pytest.fixture
def long_ago(cast, sid):
    """Dave's last check-in with Sid, five months ago: by its rhythm, the next one would have
    been due four months ago."""
    day = add_months(timezone.localdate(), -5)
    return held(make_conversation(cast.dave, due=day))


def pilot_page(login, cast, *teams):
    response = login(cast.erin).post(PILOT, {"pilot": "on", "teams": [t.pk for t in teams]})
    assert response.status_code == 302
    return response


def dave_open(cast):
    return Conversation.objects.open().rhythm().filter(employee=cast.dave)


def test_widening_schedules_the_newcomers_from_that_day(login, cast, long_ago):
    schedule()  # before the pilot: Dave's check-in is four months overdue
    assert dave_open(cast).filter(due_date__lt=timezone.localdate()).exists()
    pilot_page(login, cast, cast.platform)  # Dave is outside: his open ones are called off
    assert not dave_open(cast).exists()

    response = pilot_page(login, cast, cast.platform, cast.sales)
    today = timezone.localdate()
    assert PilotTeam.objects.get(team=cast.sales).since == today
    check_in = dave_open(cast).get(kind=Kind.CHECK_IN)
    assert check_in.due_date == add_months(today, 1)  # a month from today, not from long ago
    assert not dave_open(cast).filter(due_date__lt=today).exists()
    page = login(cast.erin).get(response["Location"])
    assert b"2 people joined Cadence" in page.content  # Dave and Sid


def test_after_widening_nothing_is_overdue_or_missed(login, cast, sid, long_ago):
    schedule()
    pilot_page(login, cast, cast.platform)
    pilot_page(login, cast, cast.platform, cast.sales)
    now = timezone.now()
    today = timezone.localdate()
    # Reminders: none overdue, for anyone (the job schedules, then reminds).
    (line,) = run_jobs(now, ["conversations"])
    assert "reminders: 0 upcoming, 0 overdue" in line
    # Rhythm health: no open conversation of Dave's counts as missed; what was held still counts.
    dave = Conversation.objects.filter(employee=cast.dave)
    assert not dave.filter(counted_q(today), status=Status.SCHEDULED).exists()
    assert adherence_of(dave, today).counted == 1
    # The waiting counts: nothing for Sid to hold now.
    assert counts(Viewer(sid), today)["conversations_to_hold"] == 0
    assert not dave_open(cast).filter(due_date__lt=today).exists()


def test_the_job_alone_starts_a_newcomers_rhythm_on_their_teams_first_day(cast, long_ago):
    start_pilot(cast.platform, cast.sales)  # Sales joined today; nothing was scheduled yet
    schedule()
    today = timezone.localdate()
    assert dave_open(cast).get(kind=Kind.CHECK_IN).due_date == add_months(today, 1)


def test_inside_from_the_start_the_rhythm_follows_what_was_held(cast):
    since = add_months(timezone.localdate(), -12)
    start_pilot(cast.platform, since=since)
    last = held(make_conversation(cast.alice, due=timezone.localdate() - timedelta(days=10)))
    schedule()
    check_in = Conversation.objects.open().get(employee=cast.alice, kind=Kind.CHECK_IN)
    assert check_in.due_date == add_months(last.held_on, 1)


def test_narrowing_again_keeps_what_the_newcomers_did(login, cast, sid, long_ago):
    pilot_page(login, cast, cast.platform, cast.sales)
    pilot_page(login, cast, cast.platform)
    long_ago.refresh_from_db()
    assert long_ago.status == Status.HELD
    assert not dave_open(cast).exists()
