"""Outside the pilot scope: the directory, one's own profile and My data, but no module. The
modules' pages and API answer 404 (to a session and to an API token), the navigation and Home
leave them out; people inside use everything as before. HR, who runs the roll-out, still
reaches the modules' pages. Knowing the viewer's team costs no query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ApiToken
from conversations.tests.factories import make_conversation
from organisation.tests.factories import start_pilot

MODULE_PAGES = ["goals:mine", "goals:company", "conversations:index", "feedback:inbox"]
MODULE_API = ["/api/v1/goals", "/api/v1/conversations", "/api/v1/feedback"]
NAV = ["nav-goals", "nav-conversations", "nav-feedback", "nav-my_team"]


@pytest.fixture
def platform_pilot(cast):
    start_pilot(cast.platform)  # Alice and Bob are in it; Carol, Dave, Erin and Frank are not


@pytest.mark.parametrize("who", ["carol", "dave"])
def test_the_modules_pages_answer_404_outside(login, cast, platform_pilot, who):
    client = login(getattr(cast, who))
    for name in MODULE_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 404, name


def test_my_team_answers_404_to_a_manager_outside(login, cast, platform_pilot):
    assert login(cast.carol).get(reverse("my_team")).status_code == 404


def test_the_modules_api_answers_404_outside_to_a_session_and_to_a_token(
    login, client, cast, platform_pilot
):
    session = login(cast.dave)
    for path in MODULE_API:
        response = session.get(path)
        assert response.status_code == 404, path
        assert "not used in your team" in response.json()["detail"]
    client.logout()
    _token, raw = ApiToken.issue(cast.dave, "script")
    for path in MODULE_API:
        response = client.get(path, headers={"authorization": f"Bearer {raw}"})
        assert response.status_code == 404, path
    # What is not a module's answers as before: the directory's API.
    response = client.get("/api/v1/people", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_a_token_inside_the_pilot_reaches_the_modules(client, cast, platform_pilot):
    _token, raw = ApiToken.issue(cast.alice, "script")
    response = client.get("/api/v1/goals", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_outside_one_still_has_the_directory_ones_profile_and_my_data(login, cast, platform_pilot):
    client = login(cast.dave)
    for url in (
        reverse("home"),
        reverse("people:directory"),
        reverse("people:person", args=[cast.dave.pk]),
        reverse("people:person", args=[cast.alice.pk]),
        reverse("trust:my_data"),
        reverse("accounts:profile"),
        reverse("notifications:index"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_navigation_leaves_the_modules_out_outside(login, cast, platform_pilot):
    page = login(cast.carol).get(reverse("people:directory")).content.decode()
    for css in NAV:
        assert f'class="{css}' not in page, css
    assert 'class="nav-home' in page


def test_inside_the_navigation_and_pages_are_as_before(login, cast, platform_pilot):
    client = login(cast.bob)
    page = client.get(reverse("people:directory")).content.decode()
    for css in NAV:
        assert f'class="{css}' in page, css
    for name in [*MODULE_PAGES, "my_team"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_home_outside_says_why_and_shows_no_module(login, cast, platform_pilot):
    make_conversation(cast.dave, cast.carol)  # from before the pilot: kept, not shown
    page = login(cast.dave).get(reverse("home"))
    content = page.content.decode()
    assert "yours is not among them yet" in content
    assert "conversations-h" not in content
    assert reverse("conversations:index") not in content
    assert page.context["waiting"] == []


def test_hr_outside_the_pilot_still_runs_the_modules(login, cast, platform_pilot):
    client = login(cast.erin)  # in People, outside the pilot
    assert client.get(reverse("conversations:index")).status_code == 200
    assert client.get(reverse("feedback:reviews")).status_code == 200
    page = client.get(reverse("home")).content.decode()
    assert 'class="nav-conversations' in page


def test_without_a_pilot_everyone_uses_the_modules(login, cast):
    client = login(cast.dave)
    assert client.get(reverse("goals:mine")).status_code == 200
    assert 'class="nav-goals' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_the_pilot_costs_no_query_on_a_page(login, cast, who):
    """The viewer's team comes with the signed-in person, the pilot's teams from the settings
    kept by the process: a page costs as many queries with a pilot as without."""
    client = login(getattr(cast, who))
    url = reverse("people:directory")
    client.get(url)  # the first request of the test reads what the process keeps
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    start_pilot(cast.platform)
    client.get(url)  # the settings, read again once after the change
    with CaptureQueriesContext(connection) as inside_or_not:
        client.get(url)
    assert len(inside_or_not) == len(without), [q["sql"] for q in inside_or_not.captured_queries]
