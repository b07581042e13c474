"""The development plan on a conversation's agenda (`conversations.agenda.agenda_source`): on
every check-in and development conversation, the employee's focus competencies, open actions
and what is due soon, as far as the viewer may see the plan (the employee and their current
manager; a manager before them sees nothing of it). The actions are updated from there, with
htmx, through the plan's own forms and services (`plans.views_actions`)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.rules import can, shown, visible
from access.viewer import Viewer
from cadence.waiting import kept_rows
from conversations.agenda import AgendaSection, agenda_source
from conversations.models import Conversation, Kind
from growth.queries import CURRENT_COMPETENCIES
from organisation import current
from plans.models import OPEN_STATUSES, Plan, PlanAction
from plans.queries import SOON_DAYS
from plans.rules import CHANGE, COACH

KINDS = (Kind.CHECK_IN, Kind.DEVELOPMENT)
LIMIT = 20


@agenda_source(order=30)
def development_plan(conversation: Conversation, viewer: Viewer) -> AgendaSection | None:
    if conversation.kind not in KINDS:
        return None
    assert viewer.person is not None  # only the two participants see an agenda
    day = viewer.person.local_today()
    employee_id = conversation.employee_id
    rows = kept_rows(
        viewer, day, ("agenda:plan", employee_id, LIMIT), lambda: _plan(viewer, employee_id)
    )
    if not rows:
        return None
    plan = rows[0]
    actions = _actions_of(plan, rows)
    # The focus competencies of the current version (kept per process).
    by_key = CURRENT_COMPETENCIES.get() if plan.focus else {}
    shown(viewer, [plan, *actions])
    today = timezone.localdate()
    soon = today + timedelta(days=SOON_DAYS)
    return AgendaSection(
        "plan",
        _("Development plan"),
        "plans/agenda/_plan.html",
        {
            "plan": plan,
            "focus": [by_key[key] for key in plan.focus or [] if key in by_key],
            "actions": actions,
            "due_soon": [a for a in actions if a.due_date is not None and a.due_date <= soon],
            "today": today,
            "currency": current.settings().currency,
            "may_change": can(viewer, CHANGE, plan),
            "coaching": can(viewer, COACH, plan),
            "next": conversation.get_absolute_url(),
        },
        stylesheet="plans/plans.css",
    )


# An open action's columns, read on each row of its plan (`_plan`).
_ACTION_FIELDS = tuple(field.attname for field in PlanAction._meta.concrete_fields)
assert _ACTION_FIELDS[0] == "id"


def _plan(viewer: Viewer, employee_id: int) -> QuerySet[Plan]:
    """The employee's plan as far as the viewer may see it, once per open action (the first
    `LIMIT`, by due date), the action's columns beside the plan's; once, with none, when it has
    no open action: the section in one query, whatever it holds (a person has one plan at
    most). Its SQL is kept per viewer state and day (`cadence.waiting.kept_rows`): building it
    costs more than running it."""
    open_action = FilteredRelation("actions", condition=Q(actions__status__in=OPEN_STATUSES))
    columns = {f"action_{name}": F(f"open_action__{name}") for name in _ACTION_FIELDS}
    return (
        visible(viewer, Plan.objects.filter(person_id=employee_id))
        .annotate(open_action=open_action, **columns)
        .select_related("person")
        .order_by("open_action__due_date", "open_action__pk")[:LIMIT]
    )


def _actions_of(plan: Plan, rows: list[Plan]) -> list[PlanAction]:
    """The open actions `_plan` read beside their plan, as actions of `plan`."""
    actions = []
    for row in rows:
        values = [getattr(row, f"action_{name}") for name in _ACTION_FIELDS]
        if values[0] is None:  # its id: the plan has no open action
            continue
        action = PlanAction.from_db(plan._state.db, list(_ACTION_FIELDS), values)
        action.plan = plan
        actions.append(action)
    return actions
