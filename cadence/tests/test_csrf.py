"""Cross-site request forgery: a write made with the browser session needs the CSRF token, on the
pages and on the API alike; a call with a personal API token (Bearer) needs none, since a
foreign site cannot make a browser send it.

The suite's `client` enforces CSRF and sends the token as a browser does (cadence/tests/
client.py), so every other test exercises the check too; here a client that has no token shows
that the check refuses. (No API route takes DELETE or PUT: ninja answers 405 before any check.)
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from cadence.tests.client import BrowserClient
from goals.models import Objective
from goals.tests.factories import make_goal

API = "/api/v1"


def without_token(person):
    """A signed-in browser session that never received the CSRF token (a foreign site's form)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def bearer(person):
    _token, raw = ApiToken.issue(person, "script")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})


def test_the_suite_client_enforces_csrf(client):
    assert isinstance(client, BrowserClient)
    assert client.handler.enforce_csrf_checks


def test_a_page_refuses_a_session_post_without_the_token(cast):
    response = without_token(cast.alice).post(reverse("accounts:create_token"), {"name": "x"})

    assert response.status_code == 403
    assert "CSRF" in response.text
    assert not ApiToken.objects.exists()


def test_a_page_accepts_the_session_post_with_the_token_it_was_given(login, cast):
    client = login(cast.alice)
    page = client.get(reverse("accounts:profile"))
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    response = client.post(
        reverse("accounts:create_token"), {"name": "x", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 200
    assert ApiToken.objects.filter(person=cast.alice, name="x").exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_page_refuses_every_unsafe_session_request_without_the_token(cast, method):
    goal = make_goal(cast.alice)
    url = reverse("goals:adjust", kwargs={"goal_id": goal.pk})

    response = getattr(without_token(cast.alice), method)(url)

    assert response.status_code == 403
    assert "CSRF" in response.text


def test_the_api_refuses_a_session_post_without_the_token(cast):
    response = without_token(cast.alice).post(
        f"{API}/goals", {"title": "Learn Rust"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert not Objective.objects.exists()


def test_the_api_refuses_a_session_patch_without_the_token(cast):
    goal = make_goal(cast.alice, title="Learn Rust")

    response = without_token(cast.alice).patch(
        f"{API}/goals/{goal.pk}",
        {"title": "Learn Go", "reason": "Changed my mind"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Objective.objects.get(pk=goal.pk).title == "Learn Rust"


def test_the_api_takes_session_writes_with_the_token(login, cast):
    client = login(cast.alice)

    created = client.post(f"{API}/goals", {"title": "Learn Rust"}, content_type="application/json")
    changed = client.patch(
        f"{API}/goals/{created.json()['id']}",
        {"title": "Learn Go", "reason": "Changed my mind"},
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    assert changed.status_code == 200, changed.content
    assert Objective.objects.get().title == "Learn Go"


def test_the_api_takes_bearer_writes_without_any_csrf_token(cast):
    client = bearer(cast.alice)

    created = client.post(f"{API}/goals", {"title": "Learn Rust"}, content_type="application/json")
    changed = client.patch(
        f"{API}/goals/{created.json()['id']}",
        {"title": "Learn Go", "reason": "Changed my mind"},
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    assert changed.status_code == 200, changed.content
    assert Objective.objects.get().title == "Learn Go"
    assert "csrftoken" not in client.cookies


def test_a_form_posted_to_the_api_with_the_session_is_refused_not_a_server_error(login, cast):
    # The CSRF check reads a multipart body's fields; the API still reads the body, and refuses
    # it as JSON it cannot parse.
    response = login(cast.alice).post(f"{API}/goals", {"title": "Learn Rust"})

    assert response.status_code == 400
    assert not Objective.objects.exists()
