"""What erasure (`trust.erasure`) does to the talentreview module's data.

An erased person's placements keep their boxes and dates (a review's figures stay right) but
lose their words: the rationales written about them, in the placement and in its history, and
their own responses. A review's name and box labels are the organisation's own text.
"""

from __future__ import annotations

from django.db.models import Q

from talentreview.models import Placement, PlacementChange, Response, TalentReview
from trust.erasure import Replace, keep, register

register(
    Replace(Placement, ("rationale",), lambda pk: Q(person=pk)),
    Replace(
        PlacementChange, ("rationale_before", "rationale_after"), lambda pk: Q(placement__person=pk)
    ),
    Replace(Response, ("text",), lambda pk: Q(placement__person=pk)),
)
keep(TalentReview, ("name", "labels"), "the organisation's own words for its review and grid")
