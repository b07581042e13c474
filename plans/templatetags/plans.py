"""Growth's main page shows the viewer's own plan and where they stand against it: a tag, so
that Growth's view needs nothing of the plans module (apps meet through templates here)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from access.viewer import viewer_of
from plans import queries
from plans.models import OPEN_STATUSES, Plan
from plans.rules import sees_coverage

register = template.Library()


@register.simple_tag(takes_context=True)
def my_plan_card(context: dict[str, Any]) -> dict[str, Any]:
    return _card(context, viewer_of(context["request"]))


def _card(context: dict[str, Any], viewer: Any) -> dict[str, Any]:
    me = viewer.person
    if me is None:
        return {}
    today = timezone.localdate()
    # The plan's SQL kept per viewer state and day (`cadence.waiting.kept_rows`): the
    # navigation's counts, read before the page's content, said whether they manage anyone.
    plan = queries.own_plan(
        viewer,
        Plan.objects.annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)),
            overdue=Count(
                "actions",
                filter=Q(actions__status__in=OPEN_STATUSES, actions__due_date__lt=today),
            ),
        ),
        ("my_plan_card",),
        today,
    )
    framework = context.get("framework")
    # Growth's page read the viewer's levels already (`my_levels`).
    levels = context.get("my_levels")
    return {
        "plan": plan,
        "open_actions": getattr(plan, "open_actions", 0),
        "overdue": getattr(plan, "overdue", 0),
        "standing": queries.standing(
            viewer, me, plan, today, framework, kept=True, levels_read=levels
        ),
        "sees_coverage": sees_coverage(viewer),
    }
