"""In a real browser: create a goal, update it inline from the list, and watch the chart move."""

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from goals.models import Objective, ProgressUpdate


def test_an_employee_creates_a_goal_updates_it_inline_and_the_chart_follows(
    browser_page, live_server, cast
):
    page = browser_page
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/goals/new/")
    page.get_by_label("Objective").fill("Grow the newsletter")
    page.locator('input[name="kr-0-title"]').fill("Subscribers")
    page.locator('input[name="kr-0-start_value"]').fill("100")
    page.locator('input[name="kr-0-target_value"]').fill("200")
    snap(page, "goal-create")
    page.get_by_role("button", name="Save the goal").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Grow the newsletter")
    goal = Objective.objects.get(title="Grow the newsletter")
    page.wait_for_function("() => window.Chart && Chart.getChart('goal-chart')")
    before = page.evaluate("() => Chart.getChart('goal-chart').data.datasets[0].data.length")

    page.goto(f"{live_server.url}/goals/")
    row = page.locator(".goal-row", has_text="Grow the newsletter")
    row.get_by_role("link", name="Update").click()
    form = page.locator("form.goal-update")
    form.locator('input[type="text"], input[type="number"]').first.fill("150")
    snap(page, "goal-inline-update")
    form.get_by_role("button", name="Save progress").click()
    updated = page.locator(".goal-row", has_text="Grow the newsletter")
    playwright.expect(updated).to_contain_text("50%")
    snap(page, "goal-updated")
    assert ProgressUpdate.objects.filter(objective=goal).count() == 1

    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    page.wait_for_function("() => window.Chart && Chart.getChart('goal-chart')")
    after = page.evaluate("() => Chart.getChart('goal-chart').data.datasets[0].data.length")
    assert after == before + 1
    snap(page, "goal-chart")
    assert page.problems == [], page.problems


def test_key_result_rows_are_added_as_needed(browser_page, live_server, cast):
    page = browser_page
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/goals/new/")
    rows = page.locator("#kr-rows > li")
    playwright.expect(rows).to_have_count(1)
    page.get_by_label("Objective").fill("Grow the newsletter")
    page.locator('input[name="kr-0-title"]').fill("Subscribers")
    page.locator('input[name="kr-0-start_value"]').fill("100")
    page.locator('input[name="kr-0-target_value"]').fill("200")

    add = page.get_by_role("button", name="Add key result")
    add.click()
    playwright.expect(rows).to_have_count(2)
    # The new row is numbered, named for the formset and has the focus; nothing typed is lost.
    playwright.expect(page.get_by_label("Key result 2", exact=True)).to_be_focused()
    playwright.expect(page.locator('input[name="kr-TOTAL_FORMS"]')).to_have_value("2")
    playwright.expect(page.locator('input[name="kr-0-title"]')).to_have_value("Subscribers")
    page.locator('input[name="kr-1-title"]').fill("Issues sent")
    page.locator('input[name="kr-1-start_value"]').fill("0")
    page.locator('input[name="kr-1-target_value"]').fill("12")
    snap(page, "goal-create-two-rows")

    for _ in range(3):
        add.click()
    playwright.expect(rows).to_have_count(5)
    playwright.expect(add).to_be_hidden()  # five at most

    # Enter in a field still saves the goal (it does not add a row).
    page.get_by_label("Objective").press("Enter")
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Grow the newsletter")
    goal = Objective.objects.get(title="Grow the newsletter")
    assert list(goal.key_results.values_list("title", flat=True)) == ["Subscribers", "Issues sent"]
    assert page.problems == [], page.problems
