"""Talent's main page shows the talent review card: the reviews the viewer may know of (HR
covering them, the chains of the people in them) and, where the organisation lets people see
their own, a link to the viewer's own finalised placements. A tag, so that Talent's view needs
nothing of this module; two queries at most."""

from __future__ import annotations

from typing import Any

from django import template

from access.rules import visible
from talentreview import rules
from talentreview.models import Placement, TalentReview
from talentreview.rules import RESPOND

register = template.Library()
SHOWN = 5


@register.simple_tag
def talent_reviews_card(viewer: Any) -> dict[str, Any]:
    me = viewer.person
    if me is None:
        return {}
    reviews = list(visible(viewer, TalentReview.objects.select_related("scope"))[: SHOWN + 1])
    mine = rules.placements_open() and (
        visible(viewer, Placement.objects.filter(person=me), RESPOND).exists()
    )
    return {
        "reviews": reviews[:SHOWN],
        "more": len(reviews) > SHOWN,
        "mine": mine,
        "starts": rules.starts_reviews(viewer),
    }
