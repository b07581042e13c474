"""The mobility card on Talent's main page (`talent/_part_mobility.html`): how many openings
are open, my own wish to move and, for HR, the way to supply and demand. Two queries."""

from __future__ import annotations

from typing import Any

from django import template

from access.viewer import Viewer
from mobility import queries, rules

register = template.Library()


@register.simple_tag
def mobility_card(viewer: Viewer) -> dict[str, Any]:
    return {
        "openings": queries.openings(viewer).count(),
        "preference": queries.my_preference(viewer),
        "sees_supply": rules.sees_supply_and_demand(viewer),
    }
