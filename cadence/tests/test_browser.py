"""A real browser signs in through the form and walks the shell (Playwright + Debian Chromium)."""

import re

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401


def test_an_employee_signs_in_walks_the_shell_and_signs_out(browser_page, live_server, cast):
    page = browser_page
    sign_in(page, live_server, cast.alice.email, cast.password)
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
    snap(page, "home")

    modules = page.get_by_role("navigation", name="Modules").get_by_role("link")
    labels = [label.strip().split("\n")[0] for label in modules.all_inner_texts()]
    assert [label.split(" soon")[0] for label in labels] == [
        "Home",
        "Goals",
        "Conversations",
        "Feedback",
        "Growth",
        "Talent",
        "Surveys",
        "Insights",
    ]
    nav = page.get_by_role("navigation", name="Modules")
    nav.get_by_role("link", name="Goals").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("My goals")
    snap(page, "goals")
    page.get_by_role("navigation", name="Modules").get_by_role("link", name="Conversations").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
    playwright.expect(page.locator("nav.sidebar a[aria-current=page]")).to_contain_text(
        "Conversations"
    )
    snap(page, "conversations")
    page.get_by_role("navigation", name="Modules").get_by_role("link", name="Growth").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Growth")
    playwright.expect(page.locator("nav.sidebar a[aria-current=page]")).to_contain_text("Growth")
    snap(page, "growth")
    for label in ["Talent", "Surveys", "Insights"]:
        page.get_by_role("navigation", name="Modules").get_by_role("link", name=label).click()
        playwright.expect(page.get_by_role("heading", level=1)).to_have_text(label)
        playwright.expect(page.locator("nav.sidebar a[aria-current=page]")).to_contain_text(label)
        snap(page, label.lower())

    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Your page in the directory").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Employee")
    playwright.expect(page.get_by_text("Bob Manager").first).to_be_visible()
    snap(page, "person")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.problems == []


def test_hr_finds_a_person_with_the_live_search(browser_page, live_server, cast):
    page = browser_page
    sign_in(page, live_server, cast.erin.email, cast.password)
    page.get_by_role("navigation", name="Modules").get_by_role("link", name="Organisation").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    page.get_by_label("Search by name, e-mail, job title or team").fill("alice")
    playwright.expect(page.locator("#results tbody tr")).to_have_count(1)
    playwright.expect(page).to_have_url(re.compile(r"q=alice"))
    snap(page, "directory-search")
    page.get_by_role("link", name="Alice Employee").click()
    playwright.expect(page.get_by_role("heading", name="Role and employment")).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Job title").fill("Senior software engineer")
    page.get_by_role("button", name="Save changes").click()
    playwright.expect(page.get_by_text("Changes to Alice Employee are saved.")).to_be_visible()
    snap(page, "person-edited")
    assert page.problems == []


def test_the_shell_reflows_on_a_phone(browser_page, live_server, cast):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, live_server, cast.bob.email, cast.password)
    nav = page.get_by_role("navigation", name="Modules")
    assert nav.get_by_role("link", name="My team").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    snap(page, "phone-home")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    assert page.problems == []
