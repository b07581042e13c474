"""In a real browser: the goal page draws its chart, and the SMART hint follows the typing,
without a single console or Content-Security-Policy error."""

from datetime import timedelta

from django.utils import timezone

from cadence.tests.browser import pytestmark, sign_in, snap  # noqa: F401
from goals.models import record_progress
from goals.tests.factories import make_goal


def test_the_goal_page_draws_its_chart(browser_page, live_server, cast):
    goal = make_goal(cast.alice, title="Grow the pipeline", key_results=[(0, 100, 0)])
    result = goal.key_results.get()
    start = timezone.now() - timedelta(days=20)
    for day, value in enumerate([10, 25, 40]):
        at = start + timedelta(days=day * 5)
        record_progress(goal, author=cast.alice, key_result=result, value=value, at=at)
    page = browser_page
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    page.wait_for_function("window.Chart && Chart.getChart('goal-chart')")
    drawn = page.evaluate(
        "Chart.getChart('goal-chart').data.datasets.map(set => set.data.map(point => point.y))"
    )
    assert drawn == [[10, 25, 40], [0, 100]]
    snap(page, "goal")
    assert page.problems == []


def test_the_smart_hint_follows_the_typing(browser_page, live_server, cast):
    page = browser_page
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/goals/new/")
    page.get_by_label("Objective").fill("Improve things a lot")
    hint = page.locator("#smart-hint")
    hint.get_by_text("Vague words").wait_for()
    assert "“improve”, “a lot”" in hint.inner_text()
    snap(page, "goal-create")
    assert page.problems == []
