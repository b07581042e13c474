"""Talent's succession card: for HR and the leads of a team, the key positions in their part
and how many have no ready successor (counts: three queries at most); nothing for others."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from access.viewer import Viewer
from succession import queries
from succession.rules import sees_succession

register = template.Library()


@register.inclusion_tag("succession/_card.html")
def succession_card(viewer: Viewer) -> dict[str, Any]:
    if not sees_succession(viewer):
        return {"shown": False}
    ids = list(queries.positions(viewer).values_list("pk", flat=True)[: queries.LIST_MAX])
    benches = queries.bench(viewer, ids, timezone.localdate())
    return {
        "shown": True,
        "count": len(ids),
        "without_ready": sum(not bench.has_ready for bench in benches.values()),
    }
