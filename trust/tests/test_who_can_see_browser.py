"""My data in a real browser, at desktop and phone width: the kinds with who can see them, a long
list of names folded away until asked for, nothing scrolling sideways on a phone."""

import pytest
from django.test import Client
from django.urls import reverse

from access.models import HRRole
from cadence.tests.browser import playwright, pytestmark, snap  # noqa: F401
from conftest import make_person
from feedback.models import Kind, Visibility
from feedback.tests.factories import give
from goals.models import Visibility as GoalVisibility
from goals.tests.factories import make_goal
from people.tests.factories import add_people

PHONE = {"width": 390, "height": 800}


@pytest.fixture
def alices_data(cast):
    """Alice with a team of eight, HR for Engineering of three, and data of several kinds."""
    add_people(6, team=cast.platform, manager=cast.bob, prefix="platform")
    for number in range(3):
        HRRole.objects.create(
            person=make_person(f"hr{number}@example.com", f"Engineering HR {number}"),
            scope=cast.engineering,
        )
    make_goal(cast.alice, visibility=GoalVisibility.TEAM, title="Ship the importer")
    give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, shared_with=cast.bob)
    give(cast.carol, cast.alice, visibility=Visibility.TEAM)
    return cast


def signed_in_page(browser_page, live_server, person):
    client = Client()
    client.force_login(person)
    cookie = client.cookies["sessionid"]
    browser_page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    return browser_page


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_my_data_shows_who_can_see_each_kind(browser_page, live_server, alices_data, viewport):
    page = signed_in_page(browser_page, live_server, alices_data.alice)
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("trust:my_data"))
    team_goals = page.get_by_role("article", name="Goals shared with your team")
    playwright.expect(team_goals).to_contain_text("Your team, Platform: 8 people")
    playwright.expect(team_goals).to_contain_text("HR for Engineering: 3 people")
    names = team_goals.locator("details").first
    playwright.expect(names.get_by_text("Platform 0001")).to_be_hidden()
    names.locator("summary").click()
    playwright.expect(names.get_by_text("Platform 0001")).to_be_visible()
    playwright.expect(page.get_by_text("Private notes: only you.")).to_be_visible()
    snap(page, f"my-data-{'phone' if viewport else 'desktop'}")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= (viewport or {"width": 1280})["width"]
    assert page.problems == []
