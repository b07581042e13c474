"""In a real browser, end to end: Bob opens Alice's goal; Alice, on her phone, finds on My data
who looked, filters by him, and the page fits the screen."""

from playwright.sync_api import expect

from cadence.tests.browser import pytestmark, sign_in, snap  # noqa: F401
from goals.tests.factories import make_goal

PHONE = {"width": 390, "height": 800}


def test_alice_sees_on_her_phone_that_her_manager_opened_her_goal(browser_page, live_server, cast):
    goal = make_goal(cast.alice, visibility="team", title="Ship the search")
    page = browser_page
    sign_in(page, live_server, cast.bob.email, cast.password)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Ship the search")).to_be_visible()
    page.context.clear_cookies()

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/my-data/")
    page.get_by_role("link", name="Who looked").click()
    entry = page.get_by_role("row").filter(has_text="Bob Manager, your manager")
    expect(entry).to_contain_text("Goals shared with your team and management chain")
    expect(entry).to_contain_text("(one item)")
    page.get_by_label("Who", exact=True).select_option(label="Bob Manager")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row").filter(has_text="Bob Manager, your manager")).to_have_count(1)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"]
    snap(page, "phone-who-looked")
    assert page.problems == []
