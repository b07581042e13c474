"""The people picker in a real browser (Playwright + Debian Chromium): choosing two colleagues
by keyboard in Ask for feedback, removing a chip, sending; the same without JavaScript; and a
phone's width."""

import re

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from feedback.models import FeedbackRequest


def ask_page(page, live_server, cast):
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/feedback/requests/new/")
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Ask for feedback")


def test_two_colleagues_are_chosen_by_keyboard_one_removed_and_the_request_sent(
    browser_page, live_server, cast
):
    page = browser_page
    ask_page(page, live_server, cast)
    box = page.get_by_role("combobox", name="Whom to ask")
    chips = page.locator("#id_people_chips .picker-chip")
    listbox = page.get_by_role("listbox", name="Suggestions")
    playwright.expect(page.locator(".picker-search")).to_have_count(0)  # JavaScript took over

    box.focus()
    page.keyboard.type("bob")
    playwright.expect(listbox).to_be_visible()
    playwright.expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option", name=re.compile("Bob Manager"))
    playwright.expect(option).to_contain_text("Engineering manager")  # the job title
    playwright.expect(option.locator(".avatar")).to_have_text("BM")  # the initials
    playwright.expect(option).to_have_attribute("aria-selected", "true")
    playwright.expect(box).to_have_attribute("aria-activedescendant", re.compile(".+"))
    page.keyboard.press("Enter")
    playwright.expect(chips).to_have_count(1)
    playwright.expect(chips.first).to_contain_text("Bob Manager")
    playwright.expect(listbox).to_be_hidden()
    playwright.expect(box).to_have_value("")

    page.keyboard.type("example.com")  # everyone but Alice and Bob (already chosen)
    playwright.expect(
        listbox.get_by_role("option", name=re.compile("Carol Leader"))
    ).to_be_visible()
    playwright.expect(listbox.get_by_role("option", name=re.compile("Bob Manager"))).to_have_count(
        0
    )
    playwright.expect(listbox.get_by_role("option", name=re.compile("Alice"))).to_have_count(0)
    page.keyboard.type(" carol")
    playwright.expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")  # wraps round to the only one
    page.keyboard.press("Enter")
    playwright.expect(chips).to_have_count(2)
    snap(page, "picker-two-chosen")

    page.keyboard.press("Backspace")  # in the empty box: the last chip goes
    playwright.expect(chips).to_have_count(1)
    playwright.expect(page.locator(".picker-status")).to_have_text("Carol Leader removed.")

    page.keyboard.type("dave")
    playwright.expect(listbox.get_by_role("option", name=re.compile("Dave Peer"))).to_be_visible()
    page.keyboard.press("Escape")
    playwright.expect(listbox).to_be_hidden()
    page.keyboard.press("ArrowDown")  # opens the suggestions again
    playwright.expect(listbox.get_by_role("option", name=re.compile("Dave Peer"))).to_be_visible()
    page.keyboard.press("Enter")
    playwright.expect(chips).to_have_count(2)

    page.get_by_role("button", name="Remove Bob Manager").click()  # the chip's ×
    playwright.expect(chips).to_have_count(1)
    playwright.expect(box).to_be_focused()
    page.keyboard.type("bob")
    playwright.expect(listbox.get_by_role("option", name=re.compile("Bob Manager"))).to_be_visible()
    page.keyboard.press("Enter")
    playwright.expect(chips).to_have_count(2)

    page.get_by_label("About").fill("My demo on Tuesday")
    page.get_by_role("button", name="Send the request").click()
    playwright.expect(page.get_by_text("Your request went out to")).to_contain_text("Bob Manager")
    snap(page, "picker-sent")
    request = FeedbackRequest.objects.get()
    assert {a.requestee_id for a in request.asks.all()} == {cast.bob.pk, cast.dave.pk}
    assert request.topic == "My demo on Tuesday"
    assert page.problems == []


def test_without_javascript_the_search_keeps_the_topic(browser_page, live_server, cast):
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    ask_page(page, live_server, cast)
    page.get_by_label("About").fill("Kept while searching")
    page.get_by_role("combobox", name="Whom to ask").fill("dave")
    page.get_by_role("button", name="Search").click()
    playwright.expect(page.get_by_label("About")).to_have_value("Kept while searching")
    page.get_by_role("checkbox", name=re.compile("Dave Peer")).check()
    page.get_by_role("combobox", name="Whom to ask").fill("")
    snap(page, "picker-no-javascript")
    page.get_by_role("button", name="Send the request").click()
    playwright.expect(page.get_by_text("Your request went out to Dave Peer.")).to_be_visible()
    assert FeedbackRequest.objects.get().topic == "Kept while searching"
    context.close()


def test_the_picker_fits_a_phone(browser_page, live_server, cast):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/feedback/give/")
    box = page.get_by_role("combobox", name="To")
    box.fill("dave")
    option = page.get_by_role("option", name=re.compile("Dave Peer"))
    playwright.expect(option).to_be_visible()
    option.click()
    playwright.expect(page.locator("#id_to_chips .picker-chip")).to_contain_text("Dave Peer")
    snap(page, "picker-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.problems == []
