"""An assessment to complete waits on Home: for the person until they share, for their manager
until he shares."""

from django.urls import reverse
from django.utils import timezone

from cadence import waiting
from growth import services
from growth.tests.helpers import as_, rated


def items_of(person):
    today = timezone.localdate()
    return waiting.SOURCES["assessments_to_complete"].items(as_(person), today, 10)


def test_an_open_assessment_waits_for_both_until_each_shares(cast, framework):
    assessment = services.start_assessment(as_(cast.bob), cast.alice.pk)
    [hers] = items_of(cast.alice)
    assert hers.what == "Your self-assessment" and hers.url == reverse(
        "growth:assessment", args=[assessment.pk]
    )
    [his] = items_of(cast.bob)
    assert his.whom == "Alice Employee"
    assert items_of(cast.erin) == [] and items_of(cast.carol) == []


def test_shared_sides_wait_no_more(cast, framework):
    rated(cast, mine=3, theirs=2)
    assert items_of(cast.alice) == [] and items_of(cast.bob) == []


def test_home_lists_it(login, cast, framework):
    services.start_assessment(as_(cast.bob), cast.alice.pk)
    page = login(cast.alice).get(reverse("home")).text
    assert "Your self-assessment" in page
