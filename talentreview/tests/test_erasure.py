"""Erasing a person who left (`trust.erasure`): the rationales written about them (in their
placements and the placements' history) and their responses go; their boxes and dates stay;
a review's name and labels are the organisation's and stay; what is about others stays."""

from datetime import timedelta

from django.utils import timezone

from access.viewer import Viewer
from talentreview import services
from talentreview.models import Placement, PlacementChange, Response
from talentreview.tests.factories import finalised_with_alice, open_placements
from trust.erasure import erase


def test_the_words_about_them_go_their_boxes_stay(cast):
    placement = finalised_with_alice(cast)
    open_placements()
    services.respond(Viewer(person=cast.alice), placement, text="My own words")
    review = placement.review
    others = Placement.objects.create(
        review=review, person=cast.bob, performance=3, potential=3, rationale="About Bob"
    )
    cast.alice.leave_date = timezone.localdate() - timedelta(days=5)
    cast.alice.save()
    erase(cast.alice, by=cast.erin)
    placement.refresh_from_db()
    assert "Takes the lead" not in placement.rationale
    assert (placement.performance, placement.potential) == (2, 3)
    change = PlacementChange.objects.get(placement=placement)
    assert "Takes the lead" not in change.rationale_after
    assert "My own words" not in Response.objects.get(placement=placement).text
    others.refresh_from_db()
    assert others.rationale == "About Bob"
    review.refresh_from_db()
    assert review.name == "Engineering 2026"
