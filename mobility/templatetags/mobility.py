"""The mobility card on Talent's main page (`talent/_part_mobility.html`): how many openings
are open, my own wish to move and, for HR, the way to supply and demand. One query."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from access.rules import visible
from access.viewer import Viewer
from mobility import queries, rules
from mobility.models import MobilityPreference
from people.models import Person

register = template.Library()


@register.simple_tag
def mobility_card(viewer: Viewer) -> dict[str, Any]:
    me = viewer.person
    assert me is not None
    # Both figures as subqueries of one row (the viewer's): the open openings the viewer may
    # see, and whether their own wish (the rules': their own) says they are open to a move.
    count = (
        queries.openings(viewer)
        .select_related(None)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")
    )
    wish = visible(viewer, MobilityPreference).filter(person=me).values("open_to_move")[:1]
    row = (
        Person.objects.filter(pk=me.pk)
        .annotate(
            openings=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            wish=Subquery(wish),
        )
        .values("openings", "wish")
        .first()
    ) or {"openings": 0, "wish": None}
    return {
        "openings": row["openings"],
        "open_to_move": bool(row["wish"]),
        "sees_supply": rules.sees_supply_and_demand(viewer),
    }
