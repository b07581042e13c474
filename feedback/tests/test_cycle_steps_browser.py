"""In a real browser: HR moves a 360 cycle on. "Move on to…" opens a confirmation that says what
the step does and to whom, with its warnings; "Not now" leaves the cycle as it was, and only
"Yes, move on" moves it. At phone width the confirmation does not scroll sideways."""

from datetime import timedelta

from django.utils import timezone

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from feedback.models import Nomination, ReviewCycle
from feedback.tests.factories import add_participant, make_cycle
from people.tests.factories import add_people


def test_hr_confirms_opening_the_reviews_after_reading_the_warnings(
    browser_page, live_server, cast
):
    cycle = make_cycle(
        "Winter 360",
        status="nominating",
        min_peers=2,
        nominations_due=timezone.localdate() + timedelta(days=5),
    )
    team = add_people(4, manager=cast.bob, team=cast.platform, prefix="mate")
    lucky = add_participant(cycle, team[0])
    for reviewer in team[1:4]:
        Nomination.objects.create(participant=lucky, reviewer=reviewer)
    add_participant(cycle, team[1])  # nobody nominated
    page = browser_page
    sign_in(page, live_server, cast.erin.email, cast.password)
    page.goto(f"{live_server.url}{cycle.get_absolute_url()}")
    page.get_by_role("link", name="Move on to: Reviews open…").click()

    playwright.expect(page.get_by_role("heading", level=1)).to_have_text(
        "Move on to: Reviews open?"
    )
    effects = page.locator(".step-effects")
    # Lucky: self, Bob, 3 peers; the other: self and Bob. Six people in all.
    playwright.expect(effects).to_contain_text("7 invitations go to 5 people")
    warnings = page.locator(".step-warnings")
    playwright.expect(warnings.locator(".warn-minimum")).to_contain_text(
        "1 participant has fewer peers than the minimum of 2."
    )
    playwright.expect(warnings.locator(".warn-threshold")).to_contain_text(
        "1 participant has fewer than 3 peers"
    )
    playwright.expect(warnings.locator(".warn-early")).to_contain_text("in 5 days")
    snap(page, "feedback-cycle-confirm-reviewing")

    page.get_by_role("link", name="Not now").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_contain_text("Winter 360")
    assert ReviewCycle.objects.get(pk=cycle.pk).status == "nominating"

    page.get_by_role("link", name="Move on to: Reviews open…").click()
    page.get_by_role("button", name="Yes, move on to: Reviews open").click()
    playwright.expect(page.locator(".messages")).to_contain_text("The cycle is now: Reviews open.")
    playwright.expect(page.get_by_role("heading", level=1)).to_contain_text("Reviews open")
    assert ReviewCycle.objects.get(pk=cycle.pk).status == "reviewing"

    # At phone width the closing confirmation holds: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Move on to: Closed…").click()
    playwright.expect(page.locator(".step-effects")).to_contain_text("0 of 7 reviews answered.")
    playwright.expect(page.locator(".step-warnings")).to_contain_text("Nobody has answered yet.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "feedback-cycle-confirm-closing-phone")
    assert page.problems == []
