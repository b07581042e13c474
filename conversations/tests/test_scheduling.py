"""The rhythm: rules, due dates, idempotent scheduling, time zones, sign-off and skipping."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conversations.adherence import adherence_by, adherence_of
from conversations.models import (
    Conversation,
    Kind,
    RhythmRule,
    Status,
    add_months,
)
from conversations.scheduling import Locked, Rules, schedule, sign_off, skip
from conversations.tests.factories import held, make_conversation


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 36))
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)


def test_new_pairs_get_one_open_conversation_per_kind_due_one_interval_ahead(cast):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    result = schedule(now=now)
    alice = Conversation.objects.filter(employee=cast.alice).open()
    assert {(c.kind, c.due_date, c.manager_id) for c in alice} == {
        (Kind.CHECK_IN, date(2026, 4, 10), cast.bob.pk),
        (Kind.QUARTERLY, date(2026, 6, 10), cast.bob.pk),
        (Kind.DEVELOPMENT, date(2026, 9, 10), cast.bob.pk),
    }
    # Alice (reports to Bob) and Bob (reports to Carol): three each. No manager, no rhythm.
    assert result == {"created": 6, "cancelled": 0}
    assert not Conversation.objects.filter(employee__in=[cast.carol, cast.dave]).exists()


def test_scheduling_again_changes_nothing(cast):
    schedule()
    before = list(Conversation.objects.values_list("pk", "due_date", "status").order_by("pk"))
    assert schedule() == {"created": 0, "cancelled": 0}
    after = list(Conversation.objects.values_list("pk", "due_date", "status").order_by("pk"))
    assert after == before


def test_a_second_open_conversation_of_a_kind_is_refused_by_the_database(cast):
    make_conversation(cast.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_conversation(cast.alice, due=date(2030, 1, 1))


def test_the_next_is_due_from_the_last_held_one_or_a_skipped_ones_due_date(cast):
    done = held(make_conversation(cast.alice, due=date(2026, 1, 5)), on=date(2026, 1, 20))
    schedule([cast.alice.pk], now=datetime(2026, 1, 21, tzinfo=UTC))
    nxt = Conversation.objects.get(employee=cast.alice, kind=Kind.CHECK_IN, status="scheduled")
    assert nxt.due_date == date(2026, 2, 20)
    assert done.pk != nxt.pk
    skip(nxt, cast.bob, "Alice on holiday", now=datetime(2026, 2, 21, tzinfo=UTC))
    after = Conversation.objects.get(employee=cast.alice, kind=Kind.CHECK_IN, status="scheduled")
    assert after.due_date == date(2026, 3, 20)


def test_a_missed_conversation_stays_open_and_overdue(cast):
    missed = make_conversation(cast.alice, due=date(2026, 1, 5))
    schedule([cast.alice.pk], now=datetime(2026, 5, 1, tzinfo=UTC))
    missed.refresh_from_db()
    assert missed.status == Status.SCHEDULED
    assert missed.is_overdue(date(2026, 5, 1))
    assert Conversation.objects.filter(employee=cast.alice, kind=Kind.CHECK_IN).count() == 1


def test_rules_resolve_pair_then_nearest_team_then_organisation(cast):
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=2)
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=3, team=cast.engineering)
    rules = Rules.load()
    assert rules.explain(cast.alice, Kind.CHECK_IN) == (3, cast.engineering.pk)
    assert rules.explain(cast.dave, Kind.CHECK_IN) == (2, "organisation")
    assert rules.explain(cast.dave, Kind.QUARTERLY) == (3, "organisation")
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=1, team=cast.platform)
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=6, employee=cast.alice)
    rules = Rules.load()
    assert rules.explain(cast.bob, Kind.CHECK_IN) == (1, cast.platform.pk)
    assert rules.explain(cast.alice, Kind.CHECK_IN) == (6, "pair")


def test_turning_a_rhythm_off_cancels_the_open_one_and_schedules_no_more(cast):
    schedule()
    RhythmRule.objects.create(kind=Kind.DEVELOPMENT, interval_months=0, employee=cast.alice)
    assert schedule()["cancelled"] == 1
    assert not Conversation.objects.filter(
        employee=cast.alice, kind=Kind.DEVELOPMENT, status="scheduled"
    ).exists()


def test_a_new_manager_cancels_the_old_pairs_open_conversations(cast):
    schedule()
    cast.alice.manager = cast.carol
    cast.alice.save()
    schedule()
    open_ = Conversation.objects.filter(employee=cast.alice).open()
    assert {c.manager_id for c in open_} == {cast.carol.pk}
    assert Conversation.objects.filter(employee=cast.alice, status="cancelled").count() == 3


def test_leavers_have_no_rhythm(cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    schedule()
    assert not Conversation.objects.filter(employee=cast.alice, status="scheduled").exists()


def test_due_dates_use_the_employees_local_date(cast):
    # 23:30 UTC on 31 January: already 1 February in Auckland, still 31 January in Honolulu.
    now = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    cast.alice.time_zone = "Pacific/Auckland"
    cast.alice.save()
    cast.bob.time_zone = "Pacific/Honolulu"
    cast.bob.save()
    assert cast.alice.local_today(now) == date(2026, 2, 1)
    assert cast.bob.local_today(now) == date(2026, 1, 31)
    schedule(now=now)
    due = dict(
        Conversation.objects.filter(kind=Kind.CHECK_IN).values_list("employee_id", "due_date")
    )
    assert due == {cast.alice.pk: date(2026, 3, 1), cast.bob.pk: date(2026, 2, 28)}


def test_sign_off_by_both_holds_locks_and_schedules_the_next(cast):
    conversation = make_conversation(cast.alice, due=date(2026, 3, 1))
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    sign_off(conversation, cast.alice, now=now)
    conversation.refresh_from_db()
    # The employee's sign-off alone does not make it held.
    assert conversation.status == Status.SCHEDULED and conversation.held_on is None
    assert not conversation.is_locked
    sign_off(conversation, cast.bob, now=now)
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD and conversation.held_on == date(2026, 3, 2)
    assert conversation.is_locked
    nxt = Conversation.objects.get(employee=cast.alice, kind=Kind.CHECK_IN, status="scheduled")
    assert nxt.due_date == date(2026, 4, 2)


def test_strangers_cannot_sign_and_skipped_ones_cannot_be_signed(cast):
    conversation = make_conversation(cast.alice)
    with pytest.raises(PermissionError):
        sign_off(conversation, cast.carol)
    skip(conversation, cast.bob, "Reorganisation")
    with pytest.raises(Locked):
        sign_off(conversation, cast.alice)
    with pytest.raises(Locked):
        skip(conversation, cast.bob, "again")


def test_adherence_counts_held_in_window_against_held_skipped_and_missed(cast):
    today = date(2026, 6, 30)
    on_time = held(make_conversation(cast.alice, due=date(2026, 1, 10)), on=date(2026, 1, 17))
    late = held(make_conversation(cast.alice, due=date(2026, 2, 10)), on=date(2026, 2, 18))
    Conversation.objects.filter(pk=late.pk).update(status=Status.HELD)
    skipped = make_conversation(cast.alice, due=date(2026, 3, 10))
    skipped.status = Status.SKIPPED
    skipped.save()
    missed = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=date(2026, 6, 1))
    # Not counted: still inside its window, cancelled, or older than 12 months.
    make_conversation(cast.alice, kind=Kind.DEVELOPMENT, due=date(2026, 6, 25))
    make_conversation(cast.alice, due=date(2026, 4, 10), status=Status.CANCELLED)
    held(make_conversation(cast.alice, due=date(2025, 5, 1)), on=date(2025, 5, 1))
    one_on_one = make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=date(2026, 5, 1))
    held(one_on_one)
    result = adherence_of(Conversation.objects.filter(employee=cast.alice), today)
    assert (result.on_time, result.counted) == (1, 4)
    assert result.percent == 25
    by_manager = adherence_by(Conversation.objects.all(), "manager_id", today)
    assert by_manager[cast.bob.pk].counted == 4
    assert on_time and missed  # named for the reader
