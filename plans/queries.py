"""Reading plans: a plan with what its page shows, in a fixed number of queries, and the gap
and readiness of its owner (`plans.readiness`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Length

from access.rules import shown, visible
from cadence.prepared import ById
from cadence.waiting import kept_rows
from goals.models import Objective
from growth import queries as growth_queries
from growth.models import Competency
from growth.queries import Assessed, Framework, Step
from growth.rules import sees_levels_of
from plans import readiness as ready
from plans.models import OPEN_STATUSES, Plan, PlanAction, PlanActivePeriod, PlanShare

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

# Open actions due within this many days are "due soon" (the agenda).
SOON_DAYS = 30


def plans_with_owner() -> QuerySet[Plan]:
    """Plans with their owner and their shares (the rules read them), each share with its
    person: the owner's page lists them (`shares_of`) without a query of its own."""
    return Plan.objects.select_related("person__team", "person__manager").prefetch_related(
        Prefetch("shares", PlanShare.objects.select_related("person").order_by("pk"))
    )


def own_plan(
    viewer: Viewer,
    plans: QuerySet[Plan] | None = None,
    kept: tuple[Any, ...] | None = None,
    today: date | None = None,
) -> Plan | None:
    """The viewer's own plan (of `plans`, to load or annotate more), as the plans rules let
    them see it; None before they first write to it. With `kept` (a key naming `plans`, and
    what went into it) and `today` (the viewer's day, on a page that has read the
    navigation's counts), its SQL kept per viewer state and day (`cadence.waiting.kept_rows`)."""
    me = viewer.person
    if me is None:
        return None

    def build() -> QuerySet[Plan]:
        found = visible(viewer, plans if plans is not None else Plan.objects.all())
        return found.filter(person=me.pk).order_by("pk")[:1]

    if kept is None or today is None:
        return next(iter(build()), None)
    return next(iter(kept_rows(viewer, today, ("plans.own_plan", *kept), build)), None)


@dataclass(frozen=True)
class Row:
    competency: Competency
    current: int | None
    current_name: str
    mine: ready.Gap | None
    target: ready.Gap | None


@dataclass
class Standing:
    """Where the owner stands: against their own role's step and against the plan's target."""

    framework: Framework | None
    mine: Step | None
    target: Step | None
    mine_gaps: list[ready.Gap] = field(default_factory=list)
    target_gaps: list[ready.Gap] = field(default_factory=list)
    readiness: ready.Readiness | None = None
    suggested: list[str] = field(default_factory=list)
    # The viewer may not see the owner's levels as a whole (`growth.rules.sees_levels_of`):
    # only what each step expects is shown.
    levels_hidden: bool = False

    @property
    def rows(self) -> list[Row]:
        """One row per competency either step expects, in the framework's order."""
        if self.framework is None:
            return []
        mine = {row.competency.key: row for row in self.mine_gaps}
        target = {row.competency.key: row for row in self.target_gaps}
        rows = []
        for competency in self.framework.competencies:
            either = mine.get(competency.key) or target.get(competency.key)
            if either is None:
                continue
            rows.append(
                Row(
                    competency,
                    either.current,
                    either.current_name,
                    mine.get(competency.key),
                    target.get(competency.key),
                )
            )
        return rows

    def focus(self, keys: list[str]) -> list[Competency]:
        if self.framework is None:
            return []
        by_key = {c.key: c for c in self.framework.competencies}
        return [by_key[key] for key in keys if key in by_key]


def standing(
    viewer: Viewer,
    person: Person,
    plan: Plan | None,
    today: date,
    framework: Framework | None = None,
    *,
    kept: bool = False,
    levels_read: Mapping[str, Assessed] | None = None,
) -> Standing:
    """Where `person` stands, as `viewer` may see it: their levels, gap and readiness only for
    the person and their manager (`growth.rules.sees_levels_of`); the levels shown are
    recorded in the access log. `kept`: the levels' SQL kept per viewer state and day (a page
    that has read the navigation's counts, which say whether the viewer manages anyone);
    `levels_read`: the person's levels as `growth.queries.assessed_levels` gave them to this
    viewer on this request (Growth's page reads them for itself), not read again."""
    framework = framework or growth_queries.current()
    if framework is None:
        return Standing(None, None, None)
    mine = framework.step_of(person.role_id, person.level)
    target = framework.step(plan.target_step_id) if plan and plan.target_step_id else None
    result = Standing(framework, mine, target, levels_hidden=not sees_levels_of(viewer, person))
    levels: Mapping[str, Assessed] = {}
    if not result.levels_hidden:
        if levels_read is not None:
            levels = levels_read
        else:
            found = ready.current_levels(viewer, [person.pk], today if kept else None)
            levels = found.get(person.pk, {})
        shown(viewer, [level.as_rating() for level in levels.values()])
    if mine is not None:
        result.mine_gaps = ready.gaps(framework, mine, levels)
    if target is not None:
        result.target_gaps = ready.gaps(framework, target, levels)
        if not result.levels_hidden:
            result.readiness = ready.readiness(result.target_gaps, today)
            result.suggested = ready.suggested_focus(result.target_gaps)
    return result


# A plan's actions and its shares, their SQL prepared once per process and run with the plan's
# id (`cadence.prepared.ById`): the plan page reads them on every visit.
ACTIONS = ById(
    lambda pk: PlanAction.objects.filter(plan=pk).select_related("support_confirmed_by", "plan")
)
SHARES = ById(lambda pk: PlanShare.objects.filter(plan=pk).select_related("person").order_by("pk"))


def actions_of(plan: Plan) -> list[PlanAction]:
    return ACTIONS.run(plan.pk)


def goals_of(viewer: Viewer, plan: Plan, today: date | None = None) -> list[Objective]:
    """The plan's learning goals the viewer may see (they are goals: the goals rules). With
    `today` (the viewer's day, on a page that has read the navigation's counts), the SQL kept
    per viewer state, day and plan (`cadence.waiting.kept_rows`)."""

    def build() -> QuerySet[Objective]:
        goals = Objective.objects.filter(plan_link__plan=plan.pk).order_by("end_date", "pk")
        return visible(viewer, goals)

    if today is None:
        return list(build())
    return kept_rows(viewer, today, ("plans.goals_of", plan.pk), build)


def competency_keys(goals: list[Objective]) -> dict[int, str]:
    """{goal id: the key of the competency it develops}, for the goals that develop one."""
    ids = {goal.competency_id for goal in goals if goal.competency_id is not None}
    if not ids:
        return {}
    keys = dict(Competency.objects.filter(pk__in=ids).values_list("pk", "key"))
    return {goal.pk: keys[goal.competency_id] for goal in goals if goal.competency_id in keys}


def shares_of(plan: Plan) -> list[PlanShare]:
    """The plan's shares with their people, in the order they were made: those loaded with it
    (`plans_with_owner`), else read."""
    loaded = getattr(plan, "_prefetched_objects_cache", {}).get("shares")
    if loaded is not None and all(PlanShare.person.is_cached(share) for share in loaded):
        return sorted(loaded, key=lambda share: share.pk)
    return SHARES.run(plan.pk)


def is_active(period: PlanActivePeriod | None) -> bool:
    """Whether a plan whose latest active period is `period` is active: its period is open.
    The one notion of "active" that coverage and the API show (`plans.activity` opens a period
    on every write; the daily job, `plans.jobs`, closes it at the day it lapsed)."""
    return period is not None and period.end is None


def latest_period(viewer: Viewer, plan: Plan) -> PlanActivePeriod | None:
    """The plan's latest active period, if the viewer may see it (as the coverage does)."""
    periods = PlanActivePeriod.objects.filter(plan=plan).select_related("plan")
    return visible(viewer, periods).order_by("-start").first()


def others_plans(viewer: Viewer) -> QuerySet[Plan]:
    """The plans of others the viewer may read: their reports' and those shared with them."""
    assert viewer.person is not None
    return (
        visible(viewer, Plan)
        .exclude(person=viewer.person)
        .select_related("person")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)))
        .order_by("person__name", "pk")
    )


@dataclass(frozen=True)
class Coverage:
    plan: Plan
    period: PlanActivePeriod | None  # the latest
    open_actions: int

    @property
    def has_ambition(self) -> bool:
        return bool(getattr(self.plan, "ambition_length", 0))

    @property
    def active(self) -> bool:
        return is_active(self.period)


def coverage(viewer: Viewer, limit: int = 500) -> list[Coverage]:
    """For HR: whose plans (of the people in scope) are active and how complete, no words."""
    plans = list(
        visible(viewer, Plan, "view_coverage")
        .filter(person__leave_date__isnull=True)
        .select_related("person__team")
        .only(
            "person__name",
            "person__team__name",
            "target_track",
            "target_level",
            "focus",
            "updated_at",
        )
        .annotate(ambition_length=Length("ambition"))
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)))
        .order_by("person__name", "pk")[:limit]
    )
    latest: dict[int, PlanActivePeriod] = {}
    periods = PlanActivePeriod.objects.filter(plan__in=[p.pk for p in plans]).order_by("start")
    for period in periods:
        latest[period.plan_id] = period
    return [Coverage(p, latest.get(p.pk), p.open_actions) for p in plans]
