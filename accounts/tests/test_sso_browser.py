"""In a real browser (Chromium): "Sign in with Okta" on the sign-in page, the provider's own
page, and back, signed in, under Cadence's strict content security policy; the sign-in page
(with single sign-on, and with passwords off) and the single sign-on settings page fit a phone,
and axe finds no accessibility problem on them."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts import sso
from accounts.models import SsoSettings
from accounts.tests.oidc_provider import CONFIRM, emailed_code, running_provider
from cadence.tests.browser import playwright, pytestmark, snap  # noqa: F401
from cadence.tests.test_every_page_in_a_browser import AXE, WIDTH, axe_violations

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 860}


def configure(provider, **fields):
    SsoSettings.objects.update_or_create(
        pk=1,
        defaults={
            "enabled": True,
            "provider_name": "Okta",
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "client_secret_sealed": sso.seal_secret(provider.client_secret),
            **fields,
        },
    )


def no_cdn(page):
    """The provider's page styles itself from a CDN, out of reach here: an empty sheet."""
    page.route(
        "https://cdn.jsdelivr.net/**",
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )


def test_a_person_signs_in_with_the_provider_in_a_browser(browser_page, live_server, cast):
    callback = live_server.url + reverse("accounts:sso_callback")
    with running_provider(callback=callback) as provider:
        configure(provider)
        provider.set_user("okta-alice", email="alice@example.com", email_verified=True)
        page = browser_page
        no_cdn(page)
        page.goto(f"{live_server.url}/")
        snap(page, "sso-sign-in")
        page.get_by_role("link", name="Sign in with Okta").click()
        page.wait_for_url(f"{provider.issuer}/oauth2/authorize**")
        page.get_by_placeholder("sub").fill("okta-alice")
        page.get_by_role("button", name="Authorize").click()
        # A first sign-in: the code e-mailed to her address in Cadence, typed in this browser.
        page.wait_for_url(f"{live_server.url}{CONFIRM}")
        snap(page, "sso-confirm")
        page.get_by_label("Code from the e-mail").fill(emailed_code())
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
        assert page.problems == []


def test_a_stranger_is_told_why_in_a_browser(browser_page, live_server, cast):
    callback = live_server.url + reverse("accounts:sso_callback")
    with running_provider(callback=callback) as provider:
        configure(provider)
        provider.set_user("okta-stranger", email="stranger@example.com", email_verified=True)
        page = browser_page
        no_cdn(page)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="Sign in with Okta").click()
        page.get_by_placeholder("sub").fill("okta-stranger")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")
        playwright.expect(page.get_by_role("status")).to_contain_text(
            "Nobody in Cadence can sign in with this Okta account."
        )
        snap(page, "sso-refused")
        assert page.problems == []


def _as(page, live_server, person):
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("passwords_off", [False, True])
def test_the_pages_fit_a_phone_and_axe_finds_nothing(
    browser_page, live_server, cast, passwords_off
):
    SsoSettings.objects.create(
        pk=1,
        enabled=True,
        provider_name="Microsoft Entra ID",
        issuer="https://login.microsoftonline.com/3f2c8d1e-0a4b-4c6d-9e8f-7a6b5c4d3e2f/v2.0",
        client_id="9b1c7e52-4d3a-4f8e-b6a2-1c0d9e8f7a6b",
        client_secret_sealed=sso.seal_secret("secret"),
        sso_only=passwords_off,
        break_glass=cast.frank if passwords_off else None,
    )
    page = browser_page
    pages = [
        ("login", None, reverse("accounts:login")),
        ("sso-confirm", None, reverse("accounts:sso_confirm")),
        ("settings", cast.frank, reverse("organisation:sso")),
    ]
    suffix = "sso-only" if passwords_off else "sso"
    for name, person, path in pages:
        if person is not None:
            _as(page, live_server, person)
        for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200
            snap(page, f"{name}-{suffix}-{label}")
            if viewport is PHONE:
                measured = page.evaluate(WIDTH)
                assert measured["scrollWidth"] <= PHONE["width"], (name, measured)
            elif AXE.exists():
                assert axe_violations(page) == [], name
    assert page.problems == []
