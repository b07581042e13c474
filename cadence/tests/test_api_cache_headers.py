"""Every answer of the JSON API, success or error, tells browsers and proxies not to store it."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from goals.tests.factories import make_goal

API = "/api/v1"


def assert_not_stored(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in cache_control, response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"authorization", "cookie"} <= vary, response["Vary"]


@pytest.fixture
def token(cast):
    return ApiToken.issue(cast.alice, "script")[1]


def test_an_answer_read_with_a_token_is_not_stored(client, token):
    response = client.get(f"{API}/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert_not_stored(response)


def test_an_answer_read_with_the_session_is_not_stored(login, cast):
    response = login(cast.alice).get(f"{API}/goals")
    assert response.status_code == 200
    assert_not_stored(response)


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "status"),
    [
        (None, "get", "/me", None, 401),
        ("dave", "get", "/goals/{goal}", None, 404),
        ("carol", "patch", "/goals/{goal}", {"title": "Mine", "reason": "why"}, 403),
        ("alice", "patch", "/goals/{goal}", {"nonsense": 1}, 422),
        ("alice", "post", "/goals", "{not json", 400),
        ("alice", "get", "/no-such-route", None, 404),
    ],
)
def test_an_error_is_not_stored_either(client, cast, who, method, path, body, status):
    goal = make_goal(cast.alice, visibility="team")
    if who:
        client.force_login(getattr(cast, who))
    url = API + path.format(goal=goal.pk)
    if body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == status
    assert_not_stored(response)


def test_the_api_description_is_not_stored(client, db):
    assert_not_stored(client.get(f"{API}/openapi.json"))


def test_pages_keep_their_own_caching(login, cast):
    response = login(cast.alice).get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")
