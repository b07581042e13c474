"""When a plan is active, and the dated history of it (`PlanActivePeriod`).

A plan is active on a day when it has an open action (planned or in progress) due that day or
later, or when it was updated fewer than `ACTIVE_DAYS` days before; never after its owner's
leave date (their last working day: the plan is active on it at most). Time alone only ends a
period (due dates pass, updates age, the owner leaves); only a write starts one, since a write
updates the plan. So every write first closes the period that lapsed before it (on the plan as
it was), then opens one from today unless the owner has left; and the daily job
(`plans.jobs`) closes what lapsed meanwhile, at the day it lapsed, whenever it runs. Periods
are half-open: `start` is the first day active, `end` the first day not (None while it lasts),
so they never overlap; the period of someone who left ends the day after their leave date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from plans.models import ACTIVE_DAYS, OPEN_STATUSES, Plan, PlanAction, PlanActivePeriod


def updated_on(plan: Plan) -> date:
    return timezone.localdate(plan.updated_at)


def active_until(
    last_update: date, last_open_due: date | None, leave_date: date | None = None
) -> date:
    """The first day a plan with these facts is no longer active: at the latest the day after
    its owner's leave date (`leave_date`, their last working day)."""
    until = last_update + timedelta(days=ACTIVE_DAYS)
    if last_open_due is not None:
        until = max(until, last_open_due + timedelta(days=1))
    if leave_date is not None:
        until = min(until, leave_date + timedelta(days=1))
    return until


def is_active(
    last_update: date, last_open_due: date | None, day: date, leave_date: date | None = None
) -> bool:
    return day < active_until(last_update, last_open_due, leave_date)


def active_on(periods: Iterable[tuple[date, date | None]], day: date) -> bool:
    """Was a plan active on `day`, by its dated periods ((start, end): half-open, end None
    while it lasts)? For readers of the history, such as Insights."""
    return any(start <= day and (end is None or day < end) for start, end in periods)


def leave_date_of(plan: Plan) -> date | None:
    """The plan's owner's leave date, as stored now."""
    found: date | None = (
        Plan.objects.filter(pk=plan.pk).values_list("person__leave_date", flat=True).first()
    )
    return found


def last_open_due(plan: Plan) -> date | None:
    found: date | None = PlanAction.objects.filter(
        plan=plan, status__in=OPEN_STATUSES, due_date__isnull=False
    ).aggregate(last=Max("due_date"))["last"]
    return found


def lapse(plan: Plan, today: date) -> None:
    """Close the plan's open period if it is no longer active today, at the day it lapsed (from
    the plan as stored: call it before a write changes it)."""
    period = PlanActivePeriod.objects.filter(plan=plan, end__isnull=True).first()
    if period is None:
        return
    until = active_until(updated_on(plan), last_open_due(plan), leave_date_of(plan))
    if until <= today:
        period.end = max(until, period.start + timedelta(days=1))
        period.save(update_fields=["end"])


def written(plan: Plan, today: date) -> None:
    """After a write (which set `updated_at`): the plan is active from today on, unless its
    owner has left (their manager may still move an action on)."""
    leaves = leave_date_of(plan)
    if leaves is not None and leaves < today:
        return
    if not PlanActivePeriod.objects.filter(plan=plan, end__isnull=True).exists():
        PlanActivePeriod.objects.create(plan=plan, start=today)


def lapse_all(today: date) -> int:
    """Close every open period that lapsed before `today` (the daily job): by time, or because
    the owner left (at the day after their leave date); how many."""
    closed = 0
    open_periods = PlanActivePeriod.objects.filter(end__isnull=True).select_related("plan__person")
    lasts = dict(
        PlanAction.objects.filter(
            plan__active_periods__end__isnull=True,
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
        )
        .values_list("plan_id")
        .annotate(last=Max("due_date"))
        .order_by()
    )
    changed = []
    for period in open_periods:
        plan = period.plan
        until = active_until(updated_on(plan), lasts.get(plan.pk), plan.person.leave_date)
        if until <= today:
            period.end = max(until, period.start + timedelta(days=1))
            changed.append(period)
            closed += 1
    PlanActivePeriod.objects.bulk_update(changed, ["end"], batch_size=500)
    return closed
