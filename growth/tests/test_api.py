"""The framework in the API: its shapes, for everyone signed in, and read-only."""

from growth.models import Competency
from growth.tests.factories import publish

FRAMEWORK, TRACKS, VERSIONS = (
    "/api/v1/growth/framework",
    "/api/v1/growth/tracks",
    "/api/v1/growth/framework/versions",
)


def test_the_framework_has_its_levels_and_competencies_with_behaviours(login, cast, framework):
    body = login(cast.alice).get(FRAMEWORK).json()
    assert body["version"] == 1 and body["published_at"]
    assert body["levels"][0] == {
        "level": 1,
        "name": "Learning",
        "description": body["levels"][0]["description"],
    }
    first = body["competencies"][0]
    assert first["id"] == Competency.objects.get(key="communication").pk
    assert (first["key"], first["name"], first["category"]) == (
        "communication",
        "Communication",
        "core",
    )
    assert [b["level"] for b in first["behaviours"]] == [1, 2, 3, 4]
    assert (
        first["behaviours"][0]["examples"][0]
        == "Posts a short update when a task is done or blocked."
    )


def test_the_tracks_have_their_roles_and_profiles_with_expectations(login, cast, framework):
    body = login(cast.alice).get(TRACKS).json()
    assert body["version"] == 1
    ic, management = body["tracks"]
    assert (ic["key"], ic["roles"]) == ("individual-contributor", ["Software engineer"])
    assert [p["level"] for p in management["profiles"]] == [3, 4, 5]
    junior = ic["profiles"][0]
    assert (junior["level"], junior["title"]) == (1, "Junior")
    assert junior["expectations"][0] == {"competency": "communication", "level": 1}


def test_the_versions_are_listed_newest_first(login, cast, framework):
    publish(
        login(cast.alice)
        .get("/growth/framework/versions/1/download/")
        .content.decode()
        .replace("name: Craft and quality", "name: Craft"),
        note="Shorter",
    )
    body = login(cast.alice).get(VERSIONS).json()
    assert [(v["version"], v["note"], v["published_by"]) for v in body] == [
        (2, "Shorter", None),
        (1, "", None),
    ]


def test_with_no_framework_yet_the_answers_are_empty(login, cast):
    client = login(cast.alice)
    assert client.get(FRAMEWORK).json() == {
        "version": None,
        "published_at": None,
        "levels": [],
        "competencies": [],
    }
    assert client.get(TRACKS).json() == {"version": None, "tracks": []}
    assert client.get(VERSIONS).json() == []


def test_it_is_read_only_and_needs_sign_in(client, login, cast, framework):
    assert client.get(FRAMEWORK).status_code == 401
    client = login(cast.erin)
    assert client.post(FRAMEWORK, "{}", content_type="application/json").status_code == 405


def test_each_costs_a_fixed_number_of_queries(
    login, cast, framework, django_assert_max_num_queries
):
    client = login(cast.alice)
    # The session and the person, then the framework (`growth.queries.load`: 8).
    for url, most in ((FRAMEWORK, 10), (TRACKS, 10), (VERSIONS, 3)):
        client.get(url)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
