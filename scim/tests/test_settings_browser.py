"""In a real browser (Chromium): the SCIM provisioning page, with a token just made and a long
base URL, fits a phone, runs under Cadence's content security policy with no error, and axe
finds no accessibility problem on it."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from cadence.tests.browser import playwright, pytestmark, snap  # noqa: F401
from cadence.tests.test_every_page_in_a_browser import AXE, WIDTH, axe_violations
from scim.models import ScimToken

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 860}


def test_the_page_with_a_new_token_fits_a_phone_and_passes_axe(browser_page, live_server, cast):
    from access.models import HRRole

    HRRole.objects.create(person=cast.frank, can_manage_people=True)  # may make a token
    ScimToken.issue("Microsoft Entra ID provisioning for the whole organisation", cast.frank)
    client = Client()
    client.force_login(cast.frank)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = browser_page
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto(live_server.url + reverse("scim_admin:settings"))
    page.get_by_label("Name").fill("Okta")
    page.get_by_role("button", name="Make a token").click()
    playwright.expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        snap(page, f"scim-settings-{label}")
        if viewport is PHONE:
            measured = page.evaluate(WIDTH)
            assert measured["scrollWidth"] <= PHONE["width"], measured
        elif AXE.exists():
            assert axe_violations(page) == []
    assert page.problems == []
