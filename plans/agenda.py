"""The development plan on a conversation's agenda (`conversations.agenda.agenda_source`): on
every check-in and development conversation, the employee's focus competencies, open actions
and what is due soon, as far as the viewer may see the plan (the employee and their current
manager; a manager before them sees nothing of it). The actions are updated from there, with
htmx, through the plan's own forms and services (`plans.views_actions`)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.rules import can, shown, visible
from access.viewer import Viewer
from conversations.agenda import AgendaSection, agenda_source
from conversations.models import Conversation, Kind
from growth.models import Competency, FrameworkVersion
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
    plan = (
        visible(viewer, Plan.objects.filter(person_id=conversation.employee_id))
        .select_related("person")
        .first()
    )
    if plan is None:
        return None
    actions = list(
        PlanAction.objects.filter(plan=plan, status__in=OPEN_STATUSES)
        .select_related("plan")
        .order_by("due_date", "pk")[:LIMIT]
    )
    # The focus competencies of the current version, in the same query as the version.
    latest = FrameworkVersion.objects.order_by("-number").values("pk")[:1]
    focus = Competency.objects.filter(version=Subquery(latest), key__in=plan.focus or [])
    by_key = {c.key: c for c in focus} if plan.focus else {}
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
