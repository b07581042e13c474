"""Goals against the ideal line: for each group, the goals of its people whose period included
the end of the last month that has ended, their mean progress beside the mean of where a
straight line from start to end put them that day, and the shares that were on or near that
line, not updated for too long, and adjusted (`goals.models`).

The figures are those of the end of the last month, counted by the first run after it ended
with the teams of then, stored (`insights.monthly.kept`, only the newest month kept) and only
read until the next month has ended, as the retention curves are. Counted again at every run
from today's teams, a person moving from one team to another would change both teams' figures
by their own goals (progress, stale, adjusted) between two days; once a month, a whole month's
moves, starts and departures come together. Which goals, the ideal line, staleness and
adjustments are as of that day; progress and status as recorded when the figures were counted
(just after the month ended: no history of a goal's progress is kept to count it for a past
day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals import progress as maths
from goals.models import OPEN_STATUSES, STALE_WEEKS, Adjustment, Kind, Objective, Status
from insights import grouping
from insights.charts import Column, Computed, Variant, chart
from insights.monthly import kept
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope

RESULT, DEVELOPMENT = "result", "development"
KINDS = {
    "": None,
    RESULT: {Kind.RESULT},
    DEVELOPMENT: {Kind.BEHAVIOURAL, Kind.LEARNING},
}
# Progress at most this far below the ideal line is "on the line" (what a goal's page suggests
# as on track, `goals.progress.suggested_status`).
NEAR = 0.1


@dataclass(frozen=True)
class Goal:
    kind: str
    progress: float | None  # 0–1, None where undefined
    ideal: float  # 0–1: where the straight line put it on the reference date
    stale: bool
    adjusted: bool
    start: date
    end: date


def reference_of(run: Run) -> date:
    """The day the figures are of: the last day of the last month that has ended."""
    return grouping.month_end_before(run.today)


def _load(run: Run) -> dict[int, list[Goal]]:
    """{owner id: their goals whose period included the reference date, set by then, dropped
    ones left out}: one query."""
    reference = reference_of(run)
    # The first moment after the reference date: what happened before it happened by then.
    after = timezone.make_aware(datetime.combine(reference + timedelta(days=1), time.min))
    stale_since: datetime = after - timedelta(weeks=STALE_WEEKS.get())
    rows = (
        Objective.objects.filter(owner_person__isnull=False, created_at__lt=after)
        .current(reference)
        .exclude(status=Status.DROPPED)
        .annotate(
            adjusted=Exists(
                Adjustment.objects.filter(objective=OuterRef("pk"), created_at__lt=after)
            )
        )
        .order_by()
        .values_list(
            "owner_person_id",
            "kind",
            "status",
            "start_date",
            "end_date",
            "created_at",
            "progress_cache",
            "last_activity_at",
            "adjusted",
        )
    )
    found: dict[int, list[Goal]] = {}
    for owner, kind, status, start, end, created, progress, activity, adjusted in rows.iterator(
        chunk_size=5000
    ):
        begin = maths.measured_from(start, timezone.localdate(created))
        found.setdefault(owner, []).append(
            Goal(
                kind,
                1.0 if status == Status.DONE else progress,
                maths.expected_progress(begin, end, reference),
                status in OPEN_STATUSES and activity < stale_since,
                bool(adjusted),
                start,
                end,
            )
        )
    return found


@dataclass(frozen=True)
class Figures:
    goals: int
    measured: int  # of which with a defined progress
    progress: float  # sums, 0–1 each, over the measured
    ideal: float
    near: int
    stale: int
    adjusted: int
    first: date | None  # the earliest start and the latest end of the goals
    last: date | None


def _count(run: Run, members: frozenset[int], *, variant: str) -> Figures:
    every: dict[int, list[Goal]] = run.once("insights.goals", lambda: _load(run))
    kinds = KINDS[variant]
    goals = measured = near = stale = adjusted = 0
    progress = ideal = 0.0
    first: date | None = None
    last: date | None = None
    for person in members:
        for goal in every.get(person, ()):
            if kinds is not None and goal.kind not in kinds:
                continue
            goals += 1
            first = goal.start if first is None else min(first, goal.start)
            last = goal.end if last is None else max(last, goal.end)
            stale += goal.stale
            adjusted += goal.adjusted
            if goal.progress is not None:
                measured += 1
                progress += goal.progress
                ideal += goal.ideal
                near += goal.progress >= goal.ideal - NEAR
    return Figures(goals, measured, progress, ideal, near, stale, adjusted, first, last)


def _mean(total: float, count: int) -> int | None:
    return round(100 * total / count) if count else None


def owners(run: Run, variant: str) -> dict[str, frozenset[int]]:
    """The groups released among the people with goals of the variant's kinds: the figures
    stand for them, not for everyone in a group (`grouping.released_among`). Once per run."""

    def load() -> dict[str, frozenset[int]]:
        every: dict[int, list[Goal]] = run.once("insights.goals", lambda: _load(run))
        kinds = KINDS[variant]
        people = [
            pk
            for pk, found in every.items()
            if any(kinds is None or goal.kind in kinds for goal in found)
        ]
        return grouping.released_among(run, f"goals.{variant}", people)

    found: dict[str, frozenset[int]] = run.once(f"insights.goals.owners.{variant}", load)
    return found


def _cells(figures: Figures, people: int) -> dict[str, Any]:
    """What is kept of a group's figures: its row's cells, how many people they stand for and
    the goals' first start and last end."""
    return {
        "goals": figures.goals,
        "progress": _mean(figures.progress, figures.measured),
        "ideal": _mean(figures.ideal, figures.measured),
        "near": grouping.share(figures.near, figures.measured),
        "stale": grouping.share(figures.stale, figures.goals),
        "adjusted": grouping.share(figures.adjusted, figures.goals),
        "n": people,
        "first": figures.first.isoformat() if figures.first else None,
        "last": figures.last.isoformat() if figures.last else None,
    }


def _month(run: Run, variant: str) -> dict[str, dict[str, Any]]:
    """Every released group's cells as of the reference date ({group key: cells}): as first
    counted after the month ended, then only read (`insights.monthly.kept`)."""

    def count() -> dict[str, dict[str, Any]]:
        return {
            key: _cells(_count(run, members, variant=variant), len(members))
            for key, members in owners(run, variant).items()
        }

    return kept(
        run,
        "goals",
        variant,
        grouping.month_key(reference_of(run)),
        True,
        count,
        latest=True,
    )


COLUMNS = ("goals", "progress", "ideal", "near", "stale", "adjusted")


@chart(
    "goals",
    title=_("Goals: progress against the ideal line, stale and adjusted goals"),
    definition=_(
        "As of the end of the last month that has ended: the goals of the people working here "
        "then (in the teams of then) whose period included that day, set by then, dropped "
        "goals left out. Progress: the mean of their progress (as recorded just after the "
        "month ended); ideal: the mean of where a straight line from each goal's start (or "
        "the day it was set, when later) to its end put it that day; on the line: progress at "
        "most 10 points below it (done goals count as 100 %). Stale: open and not updated for "
        "the weeks set in the goal settings before that day. Adjusted: its target, dates or "
        "wording changed with a reason by then. A group is shown only when enough of its "
        "people had such goals. n: people with such goals in the group. Counted once a month, "
        "just after it ends, and kept as they are until the next month has ended."
    ),
    columns=(
        grouping.GROUP_COLUMN,
        Column("goals", _("Goals")),
        Column("progress", _("Mean progress (%)")),
        Column("ideal", _("Ideal line (%)")),
        Column("near", _("On or near the line (%)")),
        Column("stale", _("Stale (%)")),
        Column("adjusted", _("Adjusted (%)")),
    ),
    labels={
        **grouping.GROUP_LABELS,
        "progress": _("Mean progress"),
        "ideal": _("Ideal line"),
        "stale": _("Stale"),
        "adjusted": _("Adjusted"),
        "percent": _("Per cent"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=20,
    template="insights/charts/goals.html",
    variants=Variant(
        "goals",
        _("Goals"),
        (
            ("", _("All goals")),
            (RESULT, _("Result goals")),
            (DEVELOPMENT, _("Behavioural and learning goals")),
        ),
    ),
)
def goals(scope: Scope) -> dict[str, Computed | None]:
    """The scope's groups' figures of every variant, as stored for the end of the last month
    (counted now only when that month has none yet): those of its groups that had figures
    then, its own first; nothing when its own had none."""
    run = scope.run
    reference = reference_of(run)
    found: dict[str, Computed | None] = {}
    for variant in KINDS:
        month = _month(run, variant)
        # The groups as kept (their figures, not their people: those of then, whoever moved or
        # left since); today's tree only places the teams on the page.
        groups = [
            grouping.Group(key, name, frozenset(), own=not number)
            for number, (key, name) in enumerate(grouping.shown_keys(scope, month))
        ]
        if not groups:
            found[variant] = None
            continue
        rows = [
            {
                "group": grouping.label_of(group, scope),
                **{key: month[group.key][key] for key in COLUMNS},
            }
            for group in groups
        ]
        own = month[groups[0].key]
        shown = rows[: grouping.SERIES * 2]
        found[variant] = Computed(
            n=own["n"],
            period=(date.fromisoformat(own["first"]), date.fromisoformat(own["last"]))
            if own["first"] and own["last"]
            else None,
            rows=rows,
            chart={
                "type": "bar",
                "x": [row["group"] for row in shown],
                "series": [
                    {"key": key, "values": [row[key] for row in shown]}
                    for key in ("progress", "ideal", "stale", "adjusted")
                ],
                "y": {"min": 0, "max": 100, "title_key": "percent"},
            },
            extra={"reference": reference.isoformat()},
        )
    return found
