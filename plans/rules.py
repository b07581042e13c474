"""Who may see and do what with development plans: the plans module's one policy.

A plan's content (ambition, target, focus, actions, learning goals, shares) reaches its owner,
their *current* manager and the people the owner shared it with (by name, until taken back):
a previous manager loses it when the reporting line changes, a new one gets it. Only the owner
writes the plan; the manager coaches: comments on an action and confirms the support it asks
for. Either moves an action's status on (`MOVE`: the manager from a conversation, say).
Whether a plan is active and how complete it is (counts, not words: `VIEW_COVERAGE`) is also
seen by HR whose scope covers the owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from access import relations, who
from access.rules import QuerySetT, Rules, register
from access.who import Group
from plans.models import Plan, PlanAction, PlanActivePeriod, PlanGoal, PlanShare

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, CHANGE, COACH, VIEW_COVERAGE = "view", "change", "coach", "view_coverage"
# An action's status: the owner or their manager (`PlanActionRules` only).
MOVE = "move"


def _shared_q(viewer: Viewer, field: str) -> Q:
    """The plan at `field` ("pk" for plans) is shared with the viewer."""
    shares = PlanShare.objects.filter(relations.self_q(viewer, "person"))
    return Q(**{f"{field}__in": shares.values("plan_id")})


def _shared_with(viewer: Viewer, plan: Plan) -> bool:
    if viewer.person is None or plan.pk is None:
        return False
    return any(relations.is_self(viewer, share.person_id) for share in plan.shares.all())


def _shared_group(plan: Plan) -> list[Group]:
    if plan.pk is None:  # an example (My data): the role, nobody named
        return [Group(who.PLAN_SHARED, about=plan.person, example=True)]
    ids = tuple(share.person_id for share in plan.shares.all())
    return [Group(who.PLAN_SHARED, about=plan.person, ids=ids)] if ids else []


def _q(viewer: Viewer, action: str, prefix: str = "") -> Q:
    """The plans (at `prefix`, "plan__" for their rows) the viewer may `action`, in SQL."""
    person = f"{prefix}person"
    owner = relations.self_q(viewer, person)
    manager = relations.reports_q(viewer, person)
    if action == CHANGE:
        return owner
    if action == COACH:
        return manager
    if action == MOVE:
        return owner | manager
    content = owner | manager | _shared_q(viewer, f"{prefix}pk" if not prefix else "plan")
    if action == VIEW_COVERAGE:
        return content | relations.hr_covers_q(viewer, person)
    return content


def _can(viewer: Viewer, action: str, plan: Plan) -> bool:
    owner = relations.is_self(viewer, plan.person_id)
    if action == CHANGE:
        return owner
    manager = relations.is_report(viewer, plan.person)
    if action == COACH:
        return manager
    if action == MOVE:
        return owner or manager
    content = owner or manager or _shared_with(viewer, plan)
    if action == VIEW_COVERAGE:
        return content or relations.hr_covers(viewer, plan.person)
    return content


def _who(plan: Plan, action: str) -> list[Group]:
    owner = relations.the_person(plan.person)
    manager = relations.manager_of(plan.person)
    if action == CHANGE:
        return owner
    if action == COACH:
        return manager
    if action == MOVE:
        return owner + manager
    content = owner + manager + _shared_group(plan)
    if action == VIEW_COVERAGE:
        return content + relations.hr_covering(plan.person)
    return content


@register
class PlanRules(Rules[Plan]):
    model = Plan
    actions = (VIEW, CHANGE, COACH, VIEW_COVERAGE)
    reads = (
        "pk",
        "shares",
        "person__name",
        "person__manager",
        "person__team__path",
        "person__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_q(viewer, action))

    def can(self, viewer: Viewer, action: str, obj: Plan) -> bool:
        return _can(viewer, action, obj)

    def who(self, obj: Plan, action: str = VIEW) -> list[Group]:
        return _who(obj, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person__team").prefetch_related("shares")


# What the rules of what follows its plan read of it (My data asks once per audience,
# `access.audiences`): the plan's shares and its person's place.
THROUGH_THE_PLAN = (
    "plan__shares",
    "plan__person__name",
    "plan__person__manager",
    "plan__person__team__path",
    "plan__person__team__name",
)


class _FollowsItsPlan(Rules[PlanAction | PlanGoal | PlanShare]):
    """An action, a learning goal's link and a share: whoever may see (change) the plan."""

    reads = THROUGH_THE_PLAN

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_q(viewer, action, "plan__"))

    def can(self, viewer: Viewer, action: str, obj: PlanAction | PlanGoal | PlanShare) -> bool:
        return _can(viewer, action, obj.plan)

    def who(self, obj: PlanAction | PlanGoal | PlanShare, action: str = VIEW) -> list[Group]:
        return _who(obj.plan, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("plan__person__team").prefetch_related("plan__shares")


@register
class PlanActionRules(_FollowsItsPlan):
    model = PlanAction
    actions = (VIEW, CHANGE, COACH, MOVE)


@register
class PlanGoalRules(_FollowsItsPlan):
    model = PlanGoal
    actions = (VIEW, CHANGE)


@register
class PlanShareRules(_FollowsItsPlan):
    model = PlanShare
    actions = (VIEW, CHANGE)


@register
class PlanActivePeriodRules(Rules[PlanActivePeriod]):
    """Whether a plan was active when: whoever sees the plan's coverage (HR in scope too)."""

    model = PlanActivePeriod
    reads = THROUGH_THE_PLAN

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_q(viewer, VIEW_COVERAGE, "plan__"))

    def can(self, viewer: Viewer, action: str, obj: PlanActivePeriod) -> bool:
        return _can(viewer, VIEW_COVERAGE, obj.plan)

    def who(self, obj: PlanActivePeriod, action: str = VIEW) -> list[Group]:
        return _who(obj.plan, VIEW_COVERAGE)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("plan__person__team").prefetch_related("plan__shares")


def sees_coverage(viewer: Viewer) -> bool:
    """The coverage page (whose plans are active, how complete): HR, for the people in scope."""
    return viewer.hr_scope_path is not None
