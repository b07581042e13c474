"""In a real browser: HR writes a draft cycle's questions. A new question with words for its
scale, a question moved up, one taken from the bank, and the preview shows them as a reviewer
will; at phone width the editor and the preview do not scroll sideways."""

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from feedback.question_bank import BY_KEY
from feedback.tests.factories import make_cycle


def test_hr_writes_reorders_and_previews_the_questions(browser_page, live_server, cast):
    cycle = make_cycle("Draft 360", status="draft")
    page = browser_page
    sign_in(page, live_server, cast.erin.email, cast.password)
    page.goto(f"{live_server.url}{cycle.get_absolute_url()}")
    page.get_by_role("link", name="Questions", exact=True).click()
    playwright.expect(page.get_by_role("heading", level=1)).to_contain_text("Questions")

    page.get_by_role("link", name="Add a question").click()
    page.locator("#id_text").fill("Makes meetings worth the time.")
    page.get_by_label("Competency").fill("Collaboration")
    for point, words in enumerate(["Never", "Seldom", "Half the time", "Mostly", "Always"], 1):
        page.get_by_label(f"Words for {point}").fill(words)
    # An open question has no scale: its words are hidden while "open" is chosen.
    page.get_by_label("Open: reviewers answer in their own words").check()
    playwright.expect(page.get_by_label("Words for 1")).to_be_hidden()
    page.get_by_label("Rating: reviewers choose 1 to 5").check()
    playwright.expect(page.get_by_label("Words for 1")).to_be_visible()
    page.get_by_role("button", name="Add the question").click()

    items = page.locator(".question-item .question-text")
    playwright.expect(items).to_have_text(
        ["Communicates clearly", "What should they keep doing?", "Makes meetings worth the time."]
    )
    page.get_by_role("button", name="Up question 3").click()
    playwright.expect(items).to_have_text(
        ["Communicates clearly", "Makes meetings worth the time.", "What should they keep doing?"]
    )
    listens = str(BY_KEY["communication-listens"].text)
    page.get_by_label(listens).check()
    page.get_by_role("button", name="Add the ticked questions").click()
    playwright.expect(items).to_have_count(4)
    playwright.expect(items.nth(3)).to_have_text(listens)
    snap(page, "feedback-questions-editor")

    page.get_by_role("link", name="Preview").first.click()
    form = page.locator(".answer-form")
    playwright.expect(form).to_contain_text("Makes meetings worth the time.")
    playwright.expect(form.get_by_text("3 · Half the time")).to_be_visible()
    playwright.expect(form.get_by_role("button", name="Send my answers")).to_be_disabled()
    snap(page, "feedback-questions-preview")
    page.get_by_role("link", name="Manager").click()
    playwright.expect(page.locator(".page-header")).to_contain_text("You review as their manager.")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("questions", "preview"):
        page.goto(f"{live_server.url}/feedback/reviews/cycles/{cycle.pk}/{path}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    snap(page, "feedback-questions-preview-phone")
    assert page.problems == []
