"""The goals API decides who may write before it reads the body: whoever may not know a goal
exists gets 404 and whoever may only look at it 403, whatever they send, an invalid body or
none; only whoever may write learns what is wrong with the body (422)."""

import pytest

from goals.models import KeyResult
from goals.tests.factories import make_goal

API = "/api/v1"
INVALID_BODIES = [{"title": 12, "unknown": True}, {"status": "nonsense"}, ""]


@pytest.fixture
def goal(cast):
    goal = make_goal(cast.alice, visibility="team")
    KeyResult.objects.create(objective=goal, title="Reach", start_value=0, target_value=10)
    return goal


def writes(goal):
    result = goal.key_results.get()
    return [
        ("patch", f"{API}/goals/{goal.pk}"),
        ("post", f"{API}/goals/{goal.pk}/key-results"),
        ("patch", f"{API}/goals/{goal.pk}/key-results/{result.pk}"),
        ("post", f"{API}/goals/{goal.pk}/updates"),
    ]


@pytest.mark.parametrize("body", INVALID_BODIES, ids=["wrong-fields", "wrong-value", "none"])
@pytest.mark.parametrize(("who", "status"), [("dave", 404), ("carol", 403), ("alice", 422)])
def test_permission_and_existence_come_before_the_body(client, cast, goal, who, status, body):
    client.force_login(getattr(cast, who))
    for method, url in writes(goal):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == status, (method, url, response.content)
