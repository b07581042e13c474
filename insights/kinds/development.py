"""Development by month and group: the share of people with an active development plan at the
end of the month (`plans.activity`: the dated periods a plan was active), the development
actions marked done in the month, and the share of people whose competency assessment is up
to date (levels agreed, or the manager's ratings shared, within the last year)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from growth.models import Assessment
from insights import grouping
from insights.charts import Column, Computed, chart
from insights.monthly import Monthly, monthly_table, started
from insights.scopes import MANAGER, ORG, TEAM, PersonRow, Run, Scope
from plans.activity import active_on
from plans.models import ActionStatus, PlanAction, PlanActivePeriod
from plans.readiness import STALE_DAYS


@dataclass
class Person:
    """What the chart knows of one person working here today."""

    start: date | None
    periods: list[tuple[date, date | None]]  # active plan: [start, end)
    assessed: list[date]  # days levels were agreed or ratings shared, sorted
    done: dict[str, int]  # month -> actions marked done in it


def _load(run: Run) -> dict[int, Person]:
    """The development history of everyone working here today: three queries."""
    first = grouping.ended_months(run.today)[0][0]
    rows: list[PersonRow] = [
        row for row in grouping.everyone(run) if grouping.working_on(row, run.today)
    ]
    found = {row.pk: Person(row.start, [], [], {}) for row in rows}
    periods = PlanActivePeriod.objects.filter(
        Q(end__isnull=True) | Q(end__gt=first), start__lte=run.today
    ).values_list("plan__person_id", "start", "end")
    for person, start, end in periods.iterator(chunk_size=5000):
        if person in found:
            found[person].periods.append((start, end))
    since = first - timedelta(days=STALE_DAYS)
    assessments = Assessment.objects.filter(
        Q(agreed_at__date__gte=since) | Q(manager_shared_at__date__gte=since)
    ).values_list("subject_id", "agreed_at", "manager_shared_at")
    for person, agreed, shared in assessments.iterator(chunk_size=5000):
        if person in found:
            moment = agreed or shared
            found[person].assessed.append(timezone.localdate(moment))
    done = (
        PlanAction.objects.filter(status=ActionStatus.DONE, updated_at__date__gte=first)
        .annotate(month=TruncMonth("updated_at"))
        .order_by()
        .values_list("plan__person_id", "month")
    )
    for owner, month in done.iterator(chunk_size=5000):
        if owner in found:
            key = grouping.month_of(month)
            found[owner].done[key] = found[owner].done.get(key, 0) + 1
    for history in found.values():
        history.assessed.sort()
    return found


def _assessed(person: Person, day: date) -> bool:
    """Levels agreed or ratings shared within `STALE_DAYS` before `day` (that day included)."""
    at = bisect.bisect_right(person.assessed, day)
    return at > 0 and person.assessed[at - 1] >= day - timedelta(days=STALE_DAYS)


def _cells(run: Run, members: frozenset[int], first: date, last: date) -> dict[str, int | None]:
    """Of the members who had started by the month's last day: how many, the share with an
    active plan then, the actions done in the month, the share assessed up to date then."""
    every: dict[int, Person] = run.once("insights.development", lambda: _load(run))
    month = grouping.month_key(first)
    people = plans = done = assessed = 0
    for pk in members:
        person = every.get(pk)
        if person is None or (person.start is not None and person.start > last):
            continue
        people += 1
        plans += active_on(person.periods, last)
        done += person.done.get(month, 0)
        assessed += _assessed(person, last)
    return {
        "people": people,
        "plans": grouping.share(plans, people),
        "done": done,
        "assessed": grouping.share(assessed, people),
    }


DEVELOPMENT = Monthly("development", ("people", "plans", "done", "assessed"), started, _cells)


@chart(
    "development",
    title=_("Development: active plans, actions done and assessments up to date, by month"),
    definition=_(
        "Of the people in the group who had started by the end of "
        "the month: the share whose development plan was active then "
        "(an open action due then or later, or updated in the 90 days before), the development "
        "actions marked done in the month (by the day they were last changed), and the share "
        "whose levels were agreed, or whose manager shared their ratings, in the year before. "
        "A group's month is shown only when enough of its people had started by then. "
        "Only months that have ended are shown, this month once it has ended: a month's "
        "figures are counted just after it ended, with the teams of then, and never change. "
        "n: people working here today in the group."
    ),
    columns=(
        grouping.GROUP_COLUMN,
        Column("month", _("Month")),
        Column("people", _("People")),
        Column("plans", _("With an active plan (%)")),
        Column("done", _("Actions done")),
        Column("assessed", _("Assessment up to date (%)")),
    ),
    labels={
        **grouping.GROUP_LABELS,
        "plans": _("With an active plan"),
        "assessed": _("Assessment up to date"),
        "percent": _("Per cent of people"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=40,
)
def development(scope: Scope) -> Computed | None:
    table = monthly_table(scope, DEVELOPMENT)
    if table is None:
        return None
    own = table.groups[0]
    return Computed(
        n=table.n,
        period=table.period,
        rows=table.rows(),
        chart={
            "type": "line",
            "x": table.keys,
            "series": [
                {"key": key, "values": table.values(own, key)} for key in ("plans", "assessed")
            ],
            "y": {"min": 0, "max": 100, "title_key": "percent"},
        },
    )
