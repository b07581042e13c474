"""Every goals page and endpoint that opens one goal or template loads it through
`access.rules.get_visible_or_404`: the object passes the read hook (where the access log will
record reads), and only when the viewer may see it."""

import pytest
from django.urls import reverse

from access import rules
from goals.models import GoalTemplate
from goals.tests.factories import make_goal

API = "/api/v1"


@pytest.fixture
def reads(monkeypatch):
    seen = []
    monkeypatch.setattr(
        rules, "read", lambda viewer, obj, action="view": seen.append((viewer.person, obj))
    )
    return seen


@pytest.mark.parametrize(
    "url",
    [
        lambda goal: reverse("goals:goal", args=[goal.pk]),
        lambda goal: reverse("goals:adjust", args=[goal.pk]),
        lambda goal: reverse("goals:update", args=[goal.pk]),
        lambda goal: reverse("goals:copy_forward", args=[goal.pk]),
        lambda goal: f"{API}/goals/{goal.pk}",
        lambda goal: f"{API}/goals/{goal.pk}/key-results",
        lambda goal: f"{API}/goals/{goal.pk}/updates",
    ],
    ids=["page", "adjust", "update", "copy forward", "api", "api key results", "api updates"],
)
def test_a_goal_is_read_through_the_loader(login, cast, reads, url):
    goal = make_goal(cast.alice, visibility="team")
    assert login(cast.bob).get(url(goal)).status_code == 200
    assert reads == [(cast.bob, goal)]


def test_a_goal_the_viewer_may_not_see_is_not_read(login, cast, reads):
    goal = make_goal(cast.alice, visibility="team")
    assert login(cast.dave).get(reverse("goals:goal", args=[goal.pk])).status_code == 404
    assert login(cast.dave).get(f"{API}/goals/{goal.pk}").status_code == 404
    assert reads == []


def test_a_goal_the_viewer_may_only_look_at_is_not_read_for_a_change(login, cast, reads):
    goal = make_goal(cast.alice, visibility="team")
    assert login(cast.carol).get(reverse("goals:adjust", args=[goal.pk])).status_code == 403
    response = login(cast.carol).patch(
        f"{API}/goals/{goal.pk}", {"status": "at_risk"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You may look at this goal but not change it."}
    assert reads == []


def test_a_template_is_changed_through_the_loader(login, cast, reads):
    template = GoalTemplate.objects.create(title="Grow the pipeline")
    url = reverse("goals:template_edit", args=[template.pk])
    assert login(cast.alice).get(url).status_code == 403
    assert login(cast.erin).get(url).status_code == 200
    assert reads == [(cast.erin, template)]
