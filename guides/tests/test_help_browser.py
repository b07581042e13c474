"""In a real browser, on a phone and on a desktop: the panel is a closed line under the title,
opens without any script of ours, and its link lands on the guide's section."""

import pytest

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from guides.panels import PANELS

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 860}


@pytest.mark.parametrize(("viewport", "size"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_goals_panel_opens_and_leads_to_the_guide(
    browser_page, live_server, cast, viewport, size
):
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/goals/")
    panel = page.locator("details.help-panel")
    first_point = panel.locator(".help-points li").first
    playwright.expect(panel).not_to_have_attribute("open", "")
    playwright.expect(first_point).to_be_hidden()
    snap(page, f"help-goals-closed-{size}")

    panel.locator("summary").click()
    playwright.expect(first_point).to_be_visible()
    playwright.expect(first_point).to_have_text(str(PANELS["goals"].points[0]))
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= viewport["width"]
    snap(page, f"help-goals-open-{size}")

    panel.get_by_role("link", name="Guide for employees").click()
    section = page.get_by_role("heading", name="Set a goal and keep it current")
    playwright.expect(section).to_be_in_viewport()
    assert page.url.endswith("/guides/employee/#set-a-goal-and-keep-it-current")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= viewport["width"]
    snap(page, f"help-guide-employee-{size}")
    assert page.problems == [], page.problems


@pytest.mark.parametrize(
    ("who", "path", "name"),
    [
        ("bob", "/my-team/", "my-team"),
        ("alice", "/conversations/", "conversations"),
        ("alice", "/feedback/", "feedback"),
        ("alice", "/feedback/reviews/", "reviews"),
        ("alice", "/my-data/", "my-data"),
        ("frank", "/settings/modules/", "settings"),
    ],
)
def test_each_panel_open_on_a_phone(browser_page, live_server, cast, who, path, name):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, getattr(cast, who).email, cast.password)
    page.goto(f"{live_server.url}{path}")
    page.locator("details.help-panel summary").click()
    playwright.expect(page.locator("details.help-panel .help-guides a").first).to_be_visible()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    snap(page, f"help-{name}-open-phone")
    assert page.problems == [], page.problems
