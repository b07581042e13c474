"""The development plan in the API (`cadence.api_kit`): my plan, read and written as its owner;
someone's plan for whoever may read it; actions (the owner writes them, the manager coaches
and either moves their status on); my plan's learning goals; my gap and readiness; whom the
plan is shared with. The same services as the pages (`plans.services`), the same rules
(`plans.rules`), the same reads (`plans.queries`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from access.rules import can, read, shown, visible
from access.viewer import Viewer, viewer_of
from cadence.api_kit import (
    Id,
    PersonRef,
    Strict,
    body_of,
    documents,
    invalid,
    loaded,
    signed_in,
    written,
)
from goals.models import Objective
from growth import queries as growth_queries
from growth.queries import Step
from people.models import Person
from plans import queries, services
from plans.models import ActionKind, ActionStatus, Plan, PlanAction, PlanShare
from plans.queries import plans_with_owner
from plans.rules import CHANGE, COACH, MOVE

router = Router(tags=["growth"])


class ActionOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    due_date: date | None
    support: str
    cost: Decimal | None
    manager_comment: str
    support_confirmed_at: datetime | None
    updated_at: datetime


class PlanOut(Schema):
    id: int | None  # None: not written yet
    person: PersonRef
    ambition: str
    target: str  # a step of the career tracks ("management-4"), or ""
    focus: list[str]  # competency keys
    active: bool  # it has an open active period (`PlanActivePeriod`), as the coverage says
    updated_at: datetime | None
    actions: list[ActionOut]


class ShareOut(Schema):
    id: int
    person: PersonRef
    created_at: datetime


class PlanIn(Strict):
    ambition: str = Field("", max_length=10000)
    target: str = Field("", max_length=60, description='A step\'s id, "management-4"; "" for none')
    focus: list[str] = Field(default_factory=list, max_length=20)


class ActionIn(Strict):
    kind: ActionKind
    title: str = Field(max_length=200)
    status: ActionStatus = ActionStatus.PLANNED
    due_date: date | None = None
    support: str = Field("", max_length=10000)
    cost: Decimal | None = Field(None, max_digits=10, decimal_places=2)


class ActionPatch(Strict):
    kind: ActionKind | None = None
    title: str | None = Field(None, max_length=200)
    status: ActionStatus | None = None
    due_date: date | None = None
    support: str | None = Field(None, max_length=10000)
    cost: Decimal | None = Field(None, max_digits=10, decimal_places=2)


class CoachIn(Strict):
    comment: str = Field("", max_length=10000)
    confirm_support: bool = False


class ShareIn(Strict):
    person_id: Id


class LearningGoalOut(Schema):
    id: int  # the goal's, as `/goals/{id}` knows it
    title: str
    start_date: date
    end_date: date
    period: str = Field(alias="period_label")
    status: str
    visibility: str
    competency: str | None  # the key of the competency it develops; None: none in particular


class LearningGoalIn(Strict):
    title: str = Field(max_length=200)
    period: Literal["this_quarter", "next_quarter", "this_year"] = "this_quarter"
    competency: str = Field(
        "", max_length=50, description='A competency\'s key it develops; "" for none'
    )


class StepOut(Schema):
    id: str  # "management-4", as my plan's `target` names it
    track: str  # the track's key
    title: str
    level: int


class GapOut(Schema):
    competency: str  # its key
    name: str
    # My assessed level (the latest agreed, else my manager's shared rating), its name and
    # when it was assessed; None: not assessed.
    current: int | None
    current_name: str
    assessed_on: date | None
    # What my role's step and my target's expect (None: it expects nothing of it), and how
    # many levels I am short of it (0: met).
    expected_now: int | None
    short_now: int | None
    expected_at_target: int | None
    short_at_target: int | None


class ReadinessOut(Schema):
    percent: int  # of the target's competencies at or above what it expects
    met: int
    total: int
    evidence_on: date | None  # the latest assessment behind it
    stale: bool  # no assessment in the last 12 months


class StandingOut(Schema):
    version: int | None  # the framework's; None: no framework published yet
    role_step: StepOut | None  # my role and level's step of the career tracks, if any
    target: StepOut | None  # my plan's target, if chosen
    rows: list[GapOut]  # one per competency either step expects, in the framework's order
    readiness: ReadinessOut | None  # for the target; None without one
    suggested_focus: list[str]  # competency keys, the furthest below the target first


def _out(viewer: Viewer, plan: Plan | None, person: Person) -> dict[str, object]:
    """The plan as the API shows it; its actions and whether it is active (its latest active
    period, as the coverage page says) in the access log."""
    actions = queries.actions_of(plan) if plan is not None else []
    period = queries.latest_period(viewer, plan) if plan is not None else None
    shown(viewer, [*actions, *([period] if period is not None else [])])
    return {
        "id": plan.pk if plan else None,
        "person": person,
        "ambition": plan.ambition if plan else "",
        "target": plan.target_step_id if plan else "",
        "focus": plan.focus if plan else [],
        "active": queries.is_active(period),
        "updated_at": plan.updated_at if plan else None,
        "actions": actions,
    }


@router.get("/growth/plan", response=PlanOut, summary="My development plan")
def get_my_plan(request):
    viewer = viewer_of(request)
    me = signed_in(viewer)
    plan = queries.own_plan(viewer, plans_with_owner())
    return _out(viewer, plan, me)


@router.put(
    "/growth/plan",
    response=PlanOut,
    summary="Write my development plan",
    openapi_extra=documents(PlanIn),
)
def put_my_plan(request):
    viewer = viewer_of(request)
    me = signed_in(viewer)
    payload = body_of(request, PlanIn)
    plan = written(
        services.save_plan,
        viewer,
        ambition=payload.ambition,
        target=payload.target,
        focus=payload.focus,
    )
    return _out(viewer, plan, me)


@router.get("/growth/plans/{id:plan_id}", response=PlanOut, summary="Someone's development plan")
def get_plan(request, plan_id: Id):
    viewer = viewer_of(request)
    plan = loaded(viewer, Plan, plan_id, queryset=plans_with_owner())
    return _out(viewer, plan, plan.person)


@router.post(
    "/growth/plan/actions",
    response={201: ActionOut},
    summary="Add an action to my plan",
    openapi_extra=documents(ActionIn),
)
def create_plan_action(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    payload = body_of(request, ActionIn)
    action = written(services.add_action, viewer, **payload.dict())
    return Answer(201, action)


def _action(viewer, action_id: int, action: str, denied: str = "") -> PlanAction:
    return loaded(
        viewer,
        PlanAction,
        action_id,
        action,
        queryset=PlanAction.objects.select_related("plan__person"),
        denied=denied,
    )


@router.patch(
    "/growth/plan/actions/{id:action_id}",
    response=ActionOut,
    summary="Change an action",
    openapi_extra=documents(ActionPatch),
)
def update_plan_action(request, action_id: Id):
    """The owner changes any field; their manager only the `status`."""
    viewer = viewer_of(request)
    action = _action(
        viewer,
        action_id,
        MOVE,
        denied=gettext("Only the plan's owner and their manager change its actions."),
    )
    may_change = can(viewer, CHANGE, action)
    payload = body_of(request, ActionPatch)
    changes = payload.dict(exclude_unset=True)
    if set(changes) == {"status"} and changes["status"] is not None:
        return written(services.set_action_status, viewer, action, changes["status"])
    if not may_change:
        return written(_refuse)
    for name in ("kind", "title", "status", "support"):
        if name in changes and changes[name] is None:
            invalid([((name,), gettext("Give a value, or leave the field out."))])
    return written(services.change_action, viewer, action, changes)


def _refuse() -> None:
    raise PermissionDenied(
        gettext("Only the plan's owner changes an action; you may set its status.")
    )


@router.post(
    "/growth/plan/actions/{id:action_id}/coaching",
    response=ActionOut,
    summary="Comment on an action and confirm its support (the manager)",
    openapi_extra=documents(CoachIn),
)
def coach_plan_action(request, action_id: Id):
    viewer = viewer_of(request)
    action = _action(
        viewer, action_id, COACH, denied=gettext("Only the owner's manager coaches an action.")
    )
    payload = body_of(request, CoachIn)
    return written(
        services.coach_action,
        viewer,
        action,
        comment=payload.comment,
        confirm_support=payload.confirm_support,
    )


def _goals_out(goals: list[Objective]) -> list[dict[str, Any]]:
    keys = queries.competency_keys(goals)
    return [
        {
            "id": goal.pk,
            "title": goal.title,
            "start_date": goal.start_date,
            "end_date": goal.end_date,
            "period_label": goal.period_label,
            "status": goal.status,
            "visibility": goal.visibility,
            "competency": keys.get(goal.pk),
        }
        for goal in goals
    ]


@router.get(
    "/growth/plan/goals", response=list[LearningGoalOut], summary="My plan's learning goals"
)
def list_plan_goals(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    plan = queries.own_plan(viewer)
    return _goals_out(queries.goals_of(viewer, plan)) if plan is not None else []


@router.post(
    "/growth/plan/goals",
    response={201: LearningGoalOut},
    summary="Add a learning goal to my plan",
    openapi_extra=documents(LearningGoalIn),
)
def create_plan_goal(request):
    """A private goal of mine (kind "learning"), in the goals too, linked to my plan and, with
    `competency`, to that competency of the current framework."""
    viewer = viewer_of(request)
    signed_in(viewer)
    payload = body_of(request, LearningGoalIn)
    link = written(
        services.add_learning_goal,
        viewer,
        title=payload.title,
        period=payload.period,
        competency=payload.competency,
    )
    return Answer(201, _goals_out([link.objective])[0])


def _step(step: Step | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {
        "id": step.id,
        "track": step.track.key,
        "title": step.profile.title,
        "level": step.profile.level,
    }


@router.get("/growth/plan/standing", response=StandingOut, summary="My gap and readiness")
def get_my_standing(request):
    """Where I stand against my role's step and my plan's target: my assessed levels, what
    each step expects, my readiness for the target and the focus it suggests. Read-only."""
    viewer = viewer_of(request)
    me = signed_in(viewer)
    framework = growth_queries.current()
    plan = queries.own_plan(viewer)
    standing = queries.standing(viewer, me, plan, timezone.localdate(), framework)
    hidden = standing.levels_hidden
    rows = []
    for row in standing.rows:
        either = row.mine or row.target
        rows.append(
            {
                "competency": row.competency.key,
                "name": row.competency.name,
                "current": None if hidden else row.current,
                "current_name": "" if hidden else row.current_name,
                "assessed_on": None if hidden or either is None else either.on,
                "expected_now": row.mine.expected if row.mine else None,
                "short_now": row.mine.short_by if row.mine and not hidden else None,
                "expected_at_target": row.target.expected if row.target else None,
                "short_at_target": row.target.short_by if row.target and not hidden else None,
            }
        )
    readiness = standing.readiness
    return {
        "version": framework.version.number if framework else None,
        "role_step": _step(standing.mine),
        "target": _step(standing.target),
        "rows": rows,
        "readiness": readiness
        and {
            "percent": readiness.percent,
            "met": readiness.met,
            "total": readiness.total,
            "evidence_on": readiness.evidence_on,
            "stale": readiness.stale,
        },
        "suggested_focus": standing.suggested,
    }


@router.get("/growth/plan/shares", response=list[ShareOut], summary="Whom my plan is shared with")
def plan_shares(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    plan = queries.own_plan(viewer)
    return queries.shares_of(plan) if plan is not None else []


@router.post(
    "/growth/plan/shares",
    response={201: ShareOut},
    summary="Share my plan with someone",
    openapi_extra=documents(ShareIn),
)
def share_plan(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    payload = body_of(request, ShareIn)
    person = visible(viewer, Person.objects.current()).filter(pk=payload.person_id).first()
    if person is None:
        invalid([(("person_id",), gettext("Choose someone who works here."))])
    share = written(services.share_plan, viewer, person)
    return Answer(201, share)


@router.post(
    "/growth/plan/shares/{id:share_id}/revoke",
    response=list[ShareOut],
    summary="Stop sharing my plan with someone",
)
def revoke_plan_share(request, share_id: Id):
    """Answers whom the plan is still shared with."""
    viewer = viewer_of(request)
    share = loaded(
        viewer,
        PlanShare,
        share_id,
        CHANGE,
        queryset=PlanShare.objects.select_related("plan__person"),
    )
    written(services.revoke_share, viewer, share)
    read(viewer, share.plan)
    return queries.shares_of(share.plan)
