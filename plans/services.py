"""Every write to development plans, shared by the pages and the API: one function per write.

Each takes the viewer and parsed data, checks permission through `plans.rules`, locks the plan
row, checks the domain's limits (`Refused`, on the field as the API names it), writes, marks
the plan updated and keeps its active periods (`plans.activity`): the period that lapsed
before the write is closed on the plan as it was, and the plan is active from today.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can
from cadence.refusals import Refused, clean_text
from growth import queries as growth_queries
from plans import activity
from plans.models import (
    MAX_FOCUS,
    ActionKind,
    ActionStatus,
    Plan,
    PlanAction,
    PlanGoal,
    PlanShare,
)
from plans.rules import CHANGE, COACH, MOVE

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

MAX_COST = Decimal("99999999.99")
EDITABLE = ("kind", "title", "status", "due_date", "support", "cost")


def _today() -> date:
    return timezone.localdate()


@contextmanager
def _writing(plan: Plan) -> Iterator[Plan]:
    """The plan locked for a write; afterwards it is updated and active from today."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        today = _today()
        activity.lapse(locked, today)
        yield locked
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
        activity.written(locked, today)
    plan.updated_at = locked.updated_at


def _require(viewer: Viewer, action: str, obj: Plan | PlanAction | PlanShare) -> None:
    if not can(viewer, action, obj):
        raise PermissionDenied


# --- The plan -----------------------------------------------------------------------------------


def plan_of(viewer: Viewer) -> Plan:
    """The viewer's own plan, made (empty) the first time they write to it."""
    me = viewer.person
    if me is None:
        raise PermissionDenied
    plan, _created = Plan.objects.get_or_create(person=me)
    return plan


def save_plan(viewer: Viewer, *, ambition: str, target: str, focus: Sequence[str]) -> Plan:
    """The owner writes their ambition, target step ("" for none; a step's id, e.g.
    "management-4") and focus competencies (keys, in their order)."""
    plan = plan_of(viewer)
    _require(viewer, CHANGE, plan)
    ambition = clean_text(ambition, "ambition", None, required=False)
    framework = growth_queries.current()
    errors: list[tuple[str, str]] = []
    track, level = "", None
    if target:
        step = framework.step(target) if framework else None
        if step is None:
            errors.append(("target", _("Choose a step of the career tracks.")))
        else:
            track, level = step.track.key, step.profile.level
    keys = list(dict.fromkeys(focus))
    known = {c.key for c in framework.competencies} if framework else set()
    if any(key not in known for key in keys):
        errors.append(("focus", _("Choose competencies of the framework.")))
    elif len(keys) > MAX_FOCUS:
        errors.append(("focus", _("At most %(count)s focus competencies.") % {"count": MAX_FOCUS}))
    if errors:
        raise Refused(errors)
    with _writing(plan) as locked:
        locked.ambition, locked.target_track, locked.target_level = ambition, track, level
        locked.focus = keys
        locked.save(update_fields=["ambition", "target_track", "target_level", "focus"])
    plan.refresh_from_db()
    return plan


# --- Actions ------------------------------------------------------------------------------------


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """The action's fields as the domain takes them; `Refused` naming each one it refuses."""
    errors: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    for name, value in values.items():
        try:
            if name == "title":
                out[name] = clean_text(value, "title", 200)
            elif name == "support":
                out[name] = clean_text(value, "support", None, required=False)
            elif name == "kind":
                if value not in ActionKind.values:
                    raise Refused.on("kind", _("Choose a kind of action."))
                out[name] = value
            elif name == "status":
                if value not in ActionStatus.values:
                    raise Refused.on("status", _("Choose a status."))
                out[name] = value
            elif name == "cost":
                if value is not None and not (Decimal(0) <= value <= MAX_COST):
                    raise Refused.on("cost", _("Give a cost of zero or more."))
                out[name] = value
            elif name == "due_date":
                out[name] = value
            else:  # pragma: no cover - a caller's typo
                raise ValueError(f"not a field of an action: {name}")
        except Refused as refused:
            errors += refused.errors
    if errors:
        raise Refused(errors)
    return out


def add_action(
    viewer: Viewer,
    *,
    kind: str,
    title: str,
    status: str = ActionStatus.PLANNED,
    due_date: date | None = None,
    support: str = "",
    cost: Decimal | None = None,
) -> PlanAction:
    plan = plan_of(viewer)
    _require(viewer, CHANGE, plan)
    values = _checked(
        {
            "kind": kind,
            "title": title,
            "status": status,
            "due_date": due_date,
            "support": support,
            "cost": cost,
        }
    )
    with _writing(plan) as locked:
        action = PlanAction.objects.create(plan=locked, **values)
    return action


def change_action(viewer: Viewer, action: PlanAction, changes: dict[str, Any]) -> PlanAction:
    """The owner changes what they plan: any of `EDITABLE`."""
    _require(viewer, CHANGE, action)
    values = _checked(changes)
    with _writing(action.plan):
        for name, value in values.items():
            setattr(action, name, value)
        action.updated_at = timezone.now()
        action.save()
    return action


def set_action_status(viewer: Viewer, action: PlanAction, status: str) -> PlanAction:
    """The owner or their manager (from a conversation, say) moves an action on."""
    _require(viewer, MOVE, action)
    values = _checked({"status": status})
    with _writing(action.plan):
        action.status = values["status"]
        action.updated_at = timezone.now()
        action.save(update_fields=["status", "updated_at"])
    return action


def coach_action(
    viewer: Viewer, action: PlanAction, *, comment: str, confirm_support: bool
) -> PlanAction:
    """The manager comments on an action and confirms (or withdraws) the support it asks."""
    _require(viewer, COACH, action)
    comment = clean_text(comment, "comment", None, required=False)
    with _writing(action.plan):
        if comment != action.manager_comment:
            action.manager_comment = comment
            action.commented_by = viewer.person if comment else None
        if confirm_support and action.support_confirmed_at is None:
            action.support_confirmed_at = timezone.now()
            action.support_confirmed_by = viewer.person
        elif not confirm_support:
            action.support_confirmed_at, action.support_confirmed_by = None, None
        action.updated_at = timezone.now()
        action.save()
    return action


# --- Learning goals -----------------------------------------------------------------------------


def add_learning_goal(
    viewer: Viewer,
    *,
    title: str,
    period: str,
    competency: str = "",
) -> PlanGoal:
    """A private learning goal of the owner's (written by the goals module, as its page
    would), linked to the plan and, where `competency` (a key) is given, to that competency of
    the current framework (`Objective.competency_id`)."""
    from goals import services as goal_services
    from goals.forms import GoalForm, KeyResultFormSet
    from goals.models import Objective

    plan = plan_of(viewer)
    _require(viewer, CHANGE, plan)
    me = viewer.person
    assert me is not None
    competency_id = None
    if competency:
        framework = growth_queries.current()
        found = [c for c in framework.competencies if c.key == competency] if framework else []
        if not found:
            raise Refused.on("competency", _("Choose a competency of the framework."))
        competency_id = found[0].pk
    data = {
        "title": title,
        "description": "",
        "kind": "learning",
        "owner": f"person:{me.pk}",
        "period": period,
        "visibility": "private",
        "parent": "",
    }
    form = GoalForm(data, viewer=viewer)
    key_results = KeyResultFormSet(
        {"kr-TOTAL_FORMS": "0", "kr-INITIAL_FORMS": "0"}, instance=Objective(), prefix="kr"
    )
    with _writing(plan) as locked:
        goal = goal_services.create_goal(viewer, form, key_results, competency_id=competency_id)
        link = PlanGoal.objects.create(plan=locked, objective=goal)
    return link


# --- Sharing ------------------------------------------------------------------------------------


def share_plan(viewer: Viewer, person: Person) -> PlanShare:
    """The owner shares their plan with someone (chosen from the people they may see)."""
    plan = plan_of(viewer)
    _require(viewer, CHANGE, plan)
    if person.pk == plan.person_id:
        raise Refused.on("person", _("Your plan is yours already."))
    if person.has_left:
        raise Refused.on("person", _("Choose someone who works here."))
    with _writing(plan) as locked:
        share, _created = PlanShare.objects.get_or_create(plan=locked, person=person)
    return share


def revoke_share(viewer: Viewer, share: PlanShare) -> None:
    """The owner takes back what they shared: that person sees the plan no more."""
    _require(viewer, CHANGE, share)
    with _writing(share.plan):
        share.delete()
