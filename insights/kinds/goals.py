"""Goals against the ideal line: for each group, the goals of the current period of the people
in it, their mean progress beside the mean of where a straight line from start to end puts
them today, and the shares that are on or near that line, not updated for too long, and
adjusted (`goals.models`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals import progress as maths
from goals.models import OPEN_STATUSES, STALE_WEEKS, Adjustment, Kind, Objective, Status
from insights import grouping
from insights.charts import Column, Computed, Variant, chart
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
    ideal: float  # 0–1: where the straight line puts it today
    stale: bool
    adjusted: bool
    start: date
    end: date


def _load(run: Run) -> dict[int, list[Goal]]:
    """{owner id: their goals of the current period, dropped ones left out}: one query."""
    today = run.today
    stale_since: datetime = run.now - timedelta(weeks=STALE_WEEKS.get())
    rows = (
        Objective.objects.filter(owner_person__isnull=False)
        .current(today)
        .exclude(status=Status.DROPPED)
        .annotate(adjusted=Exists(Adjustment.objects.filter(objective=OuterRef("pk"))))
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
                maths.expected_progress(begin, end, today),
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


@chart(
    "goals",
    title=_("Goals: progress against the ideal line, stale and adjusted goals"),
    definition=_(
        "The goals of the people working here today (in today's teams) whose period includes "
        "today, dropped goals left out. Progress: the mean of their progress; ideal: the mean "
        "of where a straight line from each goal's start (or the day it was set, when later) "
        "to its end puts it today; on the line: progress at most 10 points below it (done "
        "goals count as 100 %). Stale: open and not updated for the weeks set in the goal "
        "settings. Adjusted: its target, dates or wording changed with a reason. A group is "
        "shown only when enough of its people have such goals. n: people with such goals in "
        "the group."
    ),
    columns=(
        grouping.GROUP_COLUMN,
        Column("goals", _("Goals")),
        Column("progress", _("Mean progress (%)")),
        Column("ideal", _("Ideal line today (%)")),
        Column("near", _("On or near the line (%)")),
        Column("stale", _("Stale (%)")),
        Column("adjusted", _("Adjusted (%)")),
    ),
    labels={
        **grouping.GROUP_LABELS,
        "progress": _("Mean progress"),
        "ideal": _("Ideal line today"),
        "stale": _("Stale"),
        "adjusted": _("Adjusted"),
        "percent": _("Per cent"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=20,
    template="insights/charts/variant.html",
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
    run = scope.run
    found: dict[str, Computed | None] = {}
    for variant in KINDS:
        groups = grouping.shown(scope, owners(run, variant))
        if not groups:
            found[variant] = None
            continue
        rows = []
        own: Figures | None = None
        for group in groups:
            figures = grouping.per_group(
                run, f"insights.goals.{variant}", group, partial(_count, run, variant=variant)
            )
            own = own or figures
            rows.append(
                {
                    "group": grouping.label_of(group, scope),
                    "goals": figures.goals,
                    "progress": _mean(figures.progress, figures.measured),
                    "ideal": _mean(figures.ideal, figures.measured),
                    "near": grouping.share(figures.near, figures.measured),
                    "stale": grouping.share(figures.stale, figures.goals),
                    "adjusted": grouping.share(figures.adjusted, figures.goals),
                }
            )
        shown = rows[: grouping.SERIES * 2]
        found[variant] = Computed(
            n=len(groups[0].members),
            period=(own.first, own.last) if own and own.first and own.last else None,
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
        )
    return found
