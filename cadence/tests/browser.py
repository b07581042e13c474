"""Browser tests' shared pieces: a Playwright page on Debian's Chromium, signing in, screenshots.

The `browser_page` fixture is registered in the root conftest.py. Set SCREENSHOTS=dir to keep a
screenshot of every page a test snaps, for looking at them.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright import sync_api as playwright
except ImportError:  # pragma: no cover - playwright is a dev dependency
    playwright = None  # type: ignore[assignment]  # checked below: the tests are skipped

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        playwright is None or (not Path(CHROMIUM).exists() and not os.environ.get("CI")),
        reason="Chromium is not installed (apt-get install chromium); CI always runs this",
    ),
]


def benign(message: str) -> bool:
    """htmx reports a request it cancelled (a newer keystroke, or leaving the page) as an error;
    real failures still come through as htmx:responseError or a page error."""
    return message.startswith(("htmx:sendAbort", "htmx:afterRequest"))


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, launched for the length of the block. Playwright's sync API runs an
    event loop in this thread meanwhile; the ORM calls the test makes itself (fixtures, the
    database's flush) happen beside it, and the server runs in its own thread."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(live_server):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        problems = []
        page.on(
            "console",
            lambda m: m.type == "error" and not benign(m.text) and problems.append(m.text),
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.problems = problems
        yield page


def snap(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    snap(page, "login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
