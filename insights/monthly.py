"""Per-group figures by month (rhythm, feedback flow, development): one table of a group's
figures for each of the last twelve months that have ended, and the rule that keeps a month's
figures as they were once the month has ended.

Groups are today's (`insights.grouping`: the teams and managers' reports of the people working
here today). A past month's figures computed again every day from today's groups would follow
whoever left or moved since: yesterday's figure for Alpha in March minus today's would be what
the person who moved out of Alpha did in March (held their check-ins or not, had a plan or
not). So a month's figures are computed for every group it shows by the first run after the
month ended, stored (`insights.models.ClosedMonth`) and only read from then on. The current
month is not shown at all: counted from today's groups, a person moving from one team to
another would change both teams' figures by their own (whether they held their check-ins, had
a plan) between two days. It is shown once it has ended, frozen with the teams of then; and
not for the organisation alone either, whose figure would still change with whoever joins or
leaves. A group without figures stored for a month (not shown then: too small, or new since)
has none for that month.

A month's figures stand for the people they are about that month, not for the whole group
(in a team's first months, the two who had started; in rhythm, those who had a conversation
due): a group's figures are shown for a month only when the group restricted to them is
released among them, with the rule of every other group (`Monthly`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from insights import grouping, writing
from insights.models import ClosedMonth
from insights.scopes import Run, Scope

Cells = dict[str, Any]
# {group key: its cells} of one month
Month = dict[str, Cells]


@dataclass(frozen=True)
class Monthly:
    """A per-group chart by month: its kind (and variant), the keys of its cells, who a
    month's figures stand for and how to count a group's cells for a month.

    `population(run, first, last)`: `(name, people)`, the people of those working here today
    that the month's figures are about (who had started by then; who had a conversation due
    then), `name` naming that set for the run; `cells(run, members, first, last)`: the cells
    of the group's members among them (the month's first and last day). A group's cells are
    counted only when the group, restricted to the month's people, is released among them
    (`grouping.released_among`): no figure stands for fewer than the smallest group, nor can
    be subtracted from another to leave fewer."""

    kind: str
    columns: tuple[str, ...]
    population: Callable[[Run, date, date], tuple[str, frozenset[int]]]
    cells: Callable[[Run, frozenset[int], date, date], Cells]
    variant: str = ""


@dataclass
class Table:
    """What a chart draws and tabulates: the scope's groups (its own first), the months (oldest
    first) and each month's cells by group."""

    scope: Scope
    monthly: Monthly
    groups: list[grouping.Group]
    spans: list[tuple[date, date]]
    by_month: dict[str, Month]

    @property
    def keys(self) -> list[str]:
        return list(self.by_month)

    def cells(self, group: grouping.Group, month: str) -> Cells:
        """The group's cells for the month; every one None where it has no figures then."""
        found = self.by_month[month].get(group.key)
        return found if found is not None else dict.fromkeys(self.monthly.columns)

    def values(self, group: grouping.Group, column: str) -> list[Any]:
        """One column of the group's cells, month by month (a chart's series)."""
        return [self.cells(group, month).get(column) for month in self.keys]

    def rows(self) -> list[dict[str, Any]]:
        """The table: a row per group and month, group by group."""
        return [
            {
                "group": grouping.label_of(group, self.scope),
                "month": month,
                **self.cells(group, month),
            }
            for group in self.groups
            for month in self.keys
        ]

    @property
    def n(self) -> int:
        return len(self.groups[0].members)

    @property
    def period(self) -> tuple[date, date]:
        return self.spans[0][0], self.spans[-1][1]


@dataclass
class Frozen:
    """A period's stored cells by group, and the smallest group they were released for."""

    min_group: int
    cells: Month


def _frozen(kind: str, variant: str, only: str | None = None) -> dict[str, Frozen]:
    """The chart's periods stored already (or only the period `only`): one query (of the
    months, only those shown are kept: `store` forgets older ones)."""
    chart = ClosedMonth.objects.filter(kind=kind, variant=variant)
    if only is not None:
        chart = chart.filter(period=only)
    rows = chart.values_list("period", "group", "values")
    found: dict[str, Frozen] = {}
    for period, group, values in rows.iterator(chunk_size=5000):
        stored = found.setdefault(period, Frozen(0, {}))
        if not group:  # the period's mark
            stored.min_group = int((values or {}).get("min_group", 0))
        elif values is not None:
            stored.cells[group] = values
    return found


def started(run: Run, _first: date, last: date) -> tuple[str, frozenset[int]]:
    """A `Monthly.population`: those working here today who had started by the month's end."""
    month = grouping.month_key(last)
    people = frozenset(
        row.pk
        for row in grouping.everyone(run)
        if grouping.working_on(row, run.today) and (row.start is None or row.start <= last)
    )
    return f"started.{month}", people


# A closed month's columns, in the order its pending rows give them.
FIELDS = ("kind", "variant", "group", "period", "values", "computed_at")


def _pending(run: Run) -> list[tuple[str, str, str, str, Any, datetime]]:
    found: list[tuple[str, str, str, str, Any, datetime]] = run.once(
        "insights.monthly.pending", list
    )
    return found


def _latest(run: Run) -> dict[str, str]:
    """{kind: its one period still read} of the charts kept with `latest`."""
    found: dict[str, str] = run.once("insights.monthly.latest", dict)
    return found


def kept(
    run: Run,
    kind: str,
    variant: str,
    period: str,
    ended: bool,
    count: Callable[[], Month],
    *,
    latest: bool = False,
) -> Month:
    """Every group's cells for a period (a month, a 360 cycle), once per run: once it has
    ended, as first counted after it ended; else `count()`, set aside to be stored (`store`)
    when the period has ended.

    `latest`: the chart only ever reads its newest period (the retention curves as of the
    end of the last month): only that period is loaded, and `store` forgets the older ones
    (large figures, read by no one again).

    Stored cells were released for the smallest group of then: should it have grown since,
    they are not shown at all (a group of six may stand beside five others no longer), and
    not counted again either (today's count beside the one shown before would tell what
    changed)."""

    def load() -> Month:
        only = period if latest else None
        frozen = run.once(
            f"insights.monthly.frozen:{kind}:{variant}:{only}",
            lambda: _frozen(kind, variant, only),
        )
        if latest:
            _latest(run)[kind] = period
        if ended and period in frozen:
            stored = frozen[period]
            return stored.cells if stored.min_group >= run.min_group else {}
        found = count()
        if ended:
            _pending(run).extend(
                (kind, variant, group, period, values, run.now)
                for group, values in [("", {"min_group": run.min_group}), *found.items()]
            )
        return found

    found: Month = run.once(f"insights.monthly:{kind}:{variant}:{period}", load)
    return found


def _month(run: Run, monthly: Monthly, first: date, last: date) -> Month:
    """Every group's cells for a month: counted for every group released among the people the
    month's figures are about."""

    def count() -> Month:
        name, people = monthly.population(run, first, last)
        released = grouping.released_among(run, name, people)
        return {key: monthly.cells(run, members, first, last) for key, members in released.items()}

    return kept(run, monthly.kind, monthly.variant, grouping.month_key(first), True, count)


def monthly_table(scope: Scope, monthly: Monthly) -> Table | None:
    """The scope's groups' cells for the last twelve months that have ended (None: no group
    to show)."""
    groups = grouping.shown(scope)
    if not groups:
        return None
    run = scope.run
    spans = grouping.ended_months(run.today)
    by_month = {
        grouping.month_key(first): _month(run, monthly, first, last) for first, last in spans
    }
    return Table(scope, monthly, groups, spans, by_month)


def store(run: Run) -> int:
    """Store the periods that ended that this run counted (a run beside another may have
    stored them first: the first stays), and forget the months no chart shows any more (a
    month sorts before any other kind of period: "2026-03" < "c:12"), and those before the
    newest of a chart kept with `latest`."""
    pending = _pending(run)
    writing.insert(ClosedMonth, FIELDS, pending, unique=("kind", "variant", "period", "group"))
    oldest = grouping.month_key(grouping.ended_months(run.today)[0][0])
    ClosedMonth.objects.filter(period__lt=oldest).delete()
    for kind, period in _latest(run).items():
        ClosedMonth.objects.filter(kind=kind, period__lt=period).delete()
    return len(pending)
