"""The demo's talent reviews: last year's finalised (everyone with a manager in its scope
placed, some adjusted in the meeting, each change kept), this year's in draft; HR (hr@) leads
both and sees every placement but their own; the same for the same seed."""

import pytest

from access import rules
from access.viewer import Viewer
from people.demo import build_demo
from talentreview.models import Placement, PlacementChange, Status, TalentReview

pytestmark = pytest.mark.django_db


def fingerprint():
    return sorted(
        (p.review.name, p.person.email, p.performance, p.potential, p.rationale, p.adjusted)
        for p in Placement.objects.select_related("review", "person")
    )


def test_one_finalised_and_one_draft_review_led_by_hr():
    org = build_demo(people=120, years=2, seed=5)
    finalised, draft = TalentReview.objects.order_by("created_at")
    assert (finalised.status, draft.status) == (Status.FINALISED, Status.DRAFT)
    assert finalised.led_by == org.hr == draft.led_by
    placed = Placement.objects.filter(review=finalised)
    assert placed.count() == sum(1 for p in org.current if p.manager_id is not None)
    assert 0 < Placement.objects.filter(review=draft).count() < placed.count()
    # Every placement's latest change is where it stands; adjusted ones changed in the meeting.
    for placement in Placement.objects.prefetch_related("changes"):
        last = list(placement.changes.all())[-1]
        assert (last.performance_after, last.potential_after) == (
            placement.performance,
            placement.potential,
        )
        assert last.in_meeting == placement.adjusted
    assert PlacementChange.objects.filter(in_meeting=True).exists()
    hr = Viewer(person=org.hr)
    # Everyone's but hr@'s own (HR sees their own only as everyone does).
    others = Placement.objects.exclude(person=org.hr)
    assert rules.visible(hr, Placement).count() == others.count()
    assert rules.can(hr, "manage", finalised)


def test_the_same_seed_gives_the_same_reviews():
    build_demo(people=60, years=1, seed=9)
    first = fingerprint()
    build_demo(people=60, years=1, seed=9, flush=True)
    assert fingerprint() == first
