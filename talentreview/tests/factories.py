"""Talent reviews for tests: a review of Engineering (Carol's team, with Platform: Bob and
Alice) led by Erin, and Alice placed in it by Bob, written through the services."""

from access.viewer import Viewer
from organisation import current
from talentreview import services
from talentreview.models import Status, TalentReview


def make_review(cast, *, scope="engineering", name="Engineering 2026", status=Status.DRAFT):
    team = None if scope is None else getattr(cast, scope)
    review = services.start_review(Viewer(person=cast.erin), name=name, scope=team)
    if status != Status.DRAFT:
        TalentReview.objects.filter(pk=review.pk).update(status=status)
        review.refresh_from_db()
    return review


def place_alice(cast, review=None, *, performance=2, potential=3, rationale="Takes the lead"):
    review = review or make_review(cast)
    return services.place(
        Viewer(person=cast.bob),
        review,
        cast.alice,
        performance=performance,
        potential=potential,
        rationale=rationale,
    )


def finalised_with_alice(cast):
    """A review in which Bob placed Alice, then HR opened the meeting and finalised it."""
    review = make_review(cast)
    placement = place_alice(cast, review)
    erin = Viewer(person=cast.erin)
    services.open_meeting(erin, review)
    services.finalise(erin, review)
    placement.refresh_from_db()
    return placement


def open_placements(on=True):
    row = current.row()
    row.talent_placements_open = on
    row.save()
