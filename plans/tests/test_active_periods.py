"""A plan's active periods: every write opens one (the plan is active after it), time alone
closes it at the day it lapsed (the daily job, whenever it runs), and the periods never overlap
and agree with the rule replayed day by day over any sequence of writes and days. When the
owner leaves, the period ends at their leave date, and no write opens another."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans import activity
from plans.jobs import close_lapsed_periods
from plans.models import ACTIVE_DAYS, ActionStatus, Plan, PlanAction, PlanActivePeriod

START = date(2024, 1, 1)


def _write(plan: Plan, day: date, change) -> None:
    """A write on `day` as the services make it: lapse, change, mark updated, open."""
    activity.lapse(plan, day)
    change(plan)
    plan.updated_at = datetime.combine(day, time(12), tzinfo=UTC)
    plan.save(update_fields=["updated_at"])
    activity.written(plan, day)


def test_a_write_opens_a_period_and_time_alone_closes_it(cast):
    plan = Plan.objects.create(person=cast.alice)
    _write(plan, START, lambda p: None)
    assert activity.lapse_all(START + timedelta(days=ACTIVE_DAYS - 1)) == 0
    # The job runs late: the period still ends on the day the plan lapsed.
    assert activity.lapse_all(START + timedelta(days=ACTIVE_DAYS + 30)) == 1
    period = PlanActivePeriod.objects.get()
    assert (period.start, period.end) == (START, START + timedelta(days=ACTIVE_DAYS))
    assert activity.lapse_all(START + timedelta(days=ACTIVE_DAYS + 31)) == 0  # idempotent


def test_an_open_action_due_later_keeps_the_plan_active(cast):
    plan = Plan.objects.create(person=cast.alice)
    due = START + timedelta(days=200)

    def add(p):
        PlanAction.objects.create(plan=p, kind="course", title="Course", due_date=due)

    _write(plan, START, add)
    activity.lapse_all(START + timedelta(days=150))
    assert PlanActivePeriod.objects.get().end is None
    activity.lapse_all(due + timedelta(days=5))
    assert PlanActivePeriod.objects.get().end == due + timedelta(days=1)


# One step: ("write", days later, what the write does) or ("job", days later).
WRITES = st.one_of(
    st.tuples(st.just("add"), st.integers(-30, 200)),  # an action due this many days on
    st.tuples(st.just("close"), st.sampled_from([ActionStatus.DONE, ActionStatus.DROPPED])),
    st.tuples(st.just("touch"), st.just(0)),
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 150), WRITES),
        st.tuples(st.just("job"), st.integers(0, 150), st.none()),
    ),
    min_size=1,
    max_size=12,
)


def _replayed(writes: list[tuple[date, date | None]], day: date) -> bool:
    """The rule on `day`, from the plan as the last write on or before it left it."""
    before = [w for w in writes if w[0] <= day]
    if not before:
        return False
    updated, last_due = before[-1]
    return activity.is_active(updated, last_due, day)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_periods_never_overlap_and_agree_with_the_rule_replayed(cast, steps):
    Plan.objects.filter(person=cast.alice).delete()
    plan = Plan.objects.create(person=cast.alice)
    day = START
    writes: list[tuple[date, date | None]] = []  # (day, last open due date after the write)
    for what, later, change in steps:
        day += timedelta(days=later)
        if what == "job":
            activity.lapse_all(day)
            continue
        kind, value = change

        def apply(p, kind=kind, value=value, day=day):
            if kind == "add":
                PlanAction.objects.create(
                    plan=p, kind="course", title="x", due_date=day + timedelta(days=value)
                )
            elif kind == "close":
                first = PlanAction.objects.filter(plan=p, status=ActionStatus.PLANNED).first()
                if first is not None:
                    first.status = value
                    first.save()

        _write(plan, day, apply)
        writes.append((day, activity.last_open_due(plan)))
    end = day + timedelta(days=400)
    activity.lapse_all(end)
    periods = list(PlanActivePeriod.objects.filter(plan=plan).order_by("start"))
    for earlier, later in pairwise(periods):
        assert earlier.end is not None and earlier.end <= later.start
    assert all(p.end is not None for p in periods)  # a year on, nothing is active any more
    covered = {p.start + timedelta(days=n) for p in periods for n in range((p.end - p.start).days)}
    every_day = [START + timedelta(days=n) for n in range((end - START).days)]
    assert {d for d in every_day if _replayed(writes, d)} == covered


# --- The owner leaves ---------------------------------------------------------------------------


@pytest.fixture
def busy_plan(cast):
    """Alice's plan, active for 100 days, updated 10 days ago, an open action due in 200 days:
    nothing of time would end it soon."""
    today = timezone.localdate()
    plan = Plan.objects.create(person=cast.alice)
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now() - timedelta(days=10))
    PlanAction.objects.create(
        plan=plan, kind="course", title="Course", due_date=today + timedelta(days=200)
    )
    PlanActivePeriod.objects.create(plan=plan, start=today - timedelta(days=100))
    return plan


def _leaves(person, on: date) -> None:
    person.leave_date = on
    person.save(update_fields=["leave_date"])


def test_the_daily_job_ends_a_leavers_period_at_their_leave_date(cast, busy_plan):
    """The leave date is their last working day: the plan is active on it, not after."""
    left = timezone.localdate() - timedelta(days=5)
    _leaves(cast.alice, left)
    call_command("run_jobs", "plan-active-periods", stdout=StringIO())
    period = PlanActivePeriod.objects.get()
    assert (period.start, period.end) == (left - timedelta(days=95), left + timedelta(days=1))


def test_a_leave_date_to_come_ends_the_period_when_it_passes(cast, busy_plan):
    leaves = timezone.localdate() + timedelta(days=10)
    _leaves(cast.alice, leaves)
    assert close_lapsed_periods(timezone.now()) is None  # still working here
    assert close_lapsed_periods(timezone.now() + timedelta(days=10)) is None  # the last day
    assert PlanActivePeriod.objects.get().end is None
    # The job runs late: the period still ends at the leave date.
    close_lapsed_periods(timezone.now() + timedelta(days=30))
    assert PlanActivePeriod.objects.get().end == leaves + timedelta(days=1)


def test_a_write_after_they_left_opens_no_period(client, login, cast, busy_plan):
    """Their manager may still move an action on: the plan of someone who left stays
    inactive, and its period ends at the leave date."""
    left = timezone.localdate() - timedelta(days=5)
    _leaves(cast.alice, left)
    action = busy_plan.actions.get()
    login(cast.bob)
    response = client.post(reverse("plans:action_status", args=[action.pk]), {"status": "done"})
    assert response.status_code == 302
    periods = list(PlanActivePeriod.objects.values_list("start", "end"))
    assert periods == [(left - timedelta(days=95), left + timedelta(days=1))]
