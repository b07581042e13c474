"""In a real browser: a reviewer finds the 360 review they owe on Home and reaches the answer
page in one click; the navigation counts it; the list holds on a phone; the bell leads to the
notifications."""

from datetime import timedelta

from django.utils import timezone

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from feedback.models import RaterGroup
from feedback.tests.factories import add_participant, invite, make_cycle, make_request
from notifications import kinds
from notifications.services import notify


def test_a_reviewer_finds_a_review_owed_on_home_and_answers_in_one_click(
    browser_page, live_server, cast
):
    cycle = make_cycle(name="Spring 360", answers_due=timezone.localdate() + timedelta(days=4))
    invitation = invite(add_participant(cycle, cast.alice), cast.dave, group=RaterGroup.PEER)
    make_request(cast.bob, [cast.dave], topic="My talk", due=timezone.localdate() + timedelta(9))
    page = browser_page
    sign_in(page, live_server, cast.dave.email, cast.password)
    waiting = page.get_by_role("region", name="Waiting for you")
    playwright.expect(waiting.locator(".waiting-item")).to_have_count(2)
    first = waiting.locator(".waiting-item").first
    playwright.expect(first).to_contain_text("360 review")
    playwright.expect(first).to_contain_text("Alice Employee")
    feedback_link = page.get_by_role("navigation", name="Modules").get_by_role(
        "link", name="Feedback"
    )
    playwright.expect(feedback_link.locator(".nav-count")).to_have_text("2 waiting for you")
    snap(page, "home-waiting")
    first.get_by_role("link", name="Answer").click()
    page.wait_for_url(f"{live_server.url}/feedback/reviews/invitations/{invitation.pk}/")
    playwright.expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Employee")
    assert page.problems == []


def test_home_holds_on_a_phone_and_the_bell_leads_to_notifications(browser_page, live_server, cast):
    for number in range(12):
        make_request(cast.alice, [cast.bob], topic=f"A rather long topic to wrap, number {number}")
    notify(cast.bob, kinds.MANAGER_CHANGED, "/", manager="Carol Leader")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, live_server, cast.bob.email, cast.password)
    playwright.expect(page.locator(".waiting-item")).to_have_count(10)
    playwright.expect(page.get_by_role("link", name="and 2 more in Feedback")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"Home scrolls sideways ({width}px)"
    snap(page, "phone-home-waiting")
    page.locator("a.bell").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("button", name="Mark all read").click()
    playwright.expect(page.locator("a.bell .bell-count")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"Notifications scroll sideways ({width}px)"
    snap(page, "phone-notifications")
    assert page.problems == []
