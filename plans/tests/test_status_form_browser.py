"""An action's status <select> and its "Set status" button sit on one line, for the plan's owner
and for their manager, on a desktop and on a phone (390 px), with nothing scrolling sideways."""

import pytest

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from plans.models import Plan, PlanAction

WIDTHS = {"desktop": 1280, "phone": 390}


def on_one_line(first, second) -> bool:
    """The two boxes share a line: each one's middle is within the other's height."""
    a, b = first.bounding_box(), second.bounding_box()
    assert a is not None and b is not None
    return a["y"] <= b["y"] + b["height"] / 2 <= a["y"] + a["height"] and (
        b["y"] <= a["y"] + a["height"] / 2 <= b["y"] + b["height"]
    )


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_status_and_its_button_sit_on_one_line(browser_page, live_server, cast, who):
    plan = Plan.objects.create(person=cast.alice, ambition="Lead")
    PlanAction.objects.create(
        plan=plan, kind="stretch", title="Lead the next incident review", support="Time"
    )
    page = browser_page
    sign_in(page, live_server, getattr(cast, who).email, cast.password)
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 860})
        page.goto(f"{live_server.url}/growth/plan/{plan.pk}/")
        action = page.locator(".plan-action").first
        status = action.get_by_label("Status")
        button = action.get_by_role("button", name="Set status")
        playwright.expect(button).to_be_visible()
        snap(page, f"plan-status-{who}-{name}")
        assert on_one_line(status, button), (who, name)
        sideways = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        assert not page.evaluate(sideways), (who, name)
    assert page.problems == []
