"""The people API: /me, the directory, one person, teams, authentication and the schema."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access.models import HRRole
from cadence.tests.paging import every_page
from people.models import Role
from people.tests.factories import add_people

API = "/api/v1"


def person_url(person):
    return f"{API}/people/{person.pk}"


@pytest.fixture
def leaver(cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    return cast.dave


# --- /me ------------------------------------------------------------------------------------------


def test_me_is_the_signed_in_person(login, cast):
    cast.alice.role = Role.objects.create(name="Backend developer")
    cast.alice.save()
    response = login(cast.alice).get(f"{API}/me")
    assert response.status_code == 200
    me = response.json()
    assert me["id"] == cast.alice.pk
    assert me["name"] == "Alice Employee"
    assert me["email"] == "alice@example.com"
    assert me["job_title"] == "Software engineer"
    assert me["role"] == "Backend developer"
    assert me["team"] == {"id": cast.platform.pk, "name": "Platform"}
    assert me["manager"] == {"id": cast.bob.pk, "name": "Bob Manager"}
    assert me["employment"] == {"level": 2, "start_date": None, "leave_date": None}
    assert me["direct_reports"] == []
    assert me["time_zone"] == "UTC"
    assert me["language"] == ""


@pytest.mark.parametrize(
    ("who", "is_hr", "is_manager", "is_admin"),
    [
        ("alice", False, False, False),
        ("bob", False, True, False),
        ("carol", False, True, False),
        ("erin", True, False, False),
        ("frank", False, False, True),
    ],
)
def test_me_tells_the_roles(login, cast, who, is_hr, is_manager, is_admin):
    me = login(getattr(cast, who)).get(f"{API}/me").json()
    assert (me["is_hr"], me["is_manager"], me["is_admin"]) == (is_hr, is_manager, is_admin)


def test_me_lists_direct_reports(login, cast):
    me = login(cast.bob).get(f"{API}/me").json()
    assert me["direct_reports"] == [{"id": cast.alice.pk, "name": "Alice Employee"}]


# --- /people --------------------------------------------------------------------------------------


def test_people_lists_everyone_who_works_here(login, cast):
    body = login(cast.alice).get(f"{API}/people").json()
    assert len(body["items"]) == 6 and body["next_cursor"] is None
    assert [p["name"] for p in body["items"]][:2] == ["Alice Employee", "Bob Manager"]
    assert "employment" not in body["items"][0]


def test_people_never_lists_leavers_outside_hr(login, cast, leaver):
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        body = login(person).get(f"{API}/people").json()
        assert "Dave Peer" not in [p["name"] for p in body["items"]]
        assert len(body["items"]) == 5


def test_people_lists_leavers_to_hr(login, cast, leaver):
    body = login(cast.erin).get(f"{API}/people").json()
    assert "Dave Peer" in [p["name"] for p in body["items"]]


def test_people_pages(login, cast):
    add_people(60, team=cast.sales, prefix="zed")
    client = login(cast.alice)
    first, second = every_page(client, f"{API}/people", {"limit": 50})
    assert len(first) == 50
    assert len(second) == 16
    assert second[-1]["name"] == "Zed 0059"


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("ALICE", ["Alice Employee"]),
        ("dave@example.com", ["Dave Peer"]),
        ("engineer", ["Alice Employee", "Bob Manager", "Carol Leader"]),
        ("nobody", []),
        # As the directory: every word, any order, the team's name, accents or not.
        ("employee alice", ["Alice Employee"]),
        ("sales", ["Dave Peer"]),
        ("ÁLÍCE", ["Alice Employee"]),
    ],
)
def test_people_searches(login, cast, q, found):
    body = login(cast.erin).get(f"{API}/people", {"q": q}).json()
    assert [p["name"] for p in body["items"]] == found


def test_people_filters_by_team(login, cast):
    body = login(cast.alice).get(f"{API}/people", {"team": cast.sales.pk}).json()
    assert [p["name"] for p in body["items"]] == ["Dave Peer"]


def test_people_query_count_does_not_grow(login, cast, django_assert_max_num_queries):
    add_people(200, manager=cast.bob, team=cast.platform)
    client = login(cast.alice)
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/people", {"limit": 100})
    body = response.json()
    assert len(body["items"]) == 100
    with django_assert_max_num_queries(5):  # a page further: the same
        response = client.get(f"{API}/people", {"limit": 100, "cursor": body["next_cursor"]})
    assert len(response.json()["items"]) == 100


# --- /people/{id} --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin"])
def test_person_includes_employment_for_self_chain_and_hr(login, cast, who):
    body = login(getattr(cast, who)).get(person_url(cast.alice)).json()
    assert body["employment"] == {"level": 2, "start_date": None, "leave_date": None}


@pytest.mark.parametrize("who", ["dave", "frank"])
def test_person_leaves_out_employment_for_others(login, cast, who):
    response = login(getattr(cast, who)).get(person_url(cast.alice))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Alice Employee"
    assert body["manager"] == {"id": cast.bob.pk, "name": "Bob Manager"}
    assert body["employment"] is None


def test_person_leaves_out_employment_for_hr_outside_its_scope(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).get(person_url(cast.alice)).json()["employment"] is None


def test_person_includes_the_role(login, cast):
    cast.alice.role = Role.objects.create(name="Backend developer")
    cast.alice.save()
    assert login(cast.dave).get(person_url(cast.alice)).json()["role"] == "Backend developer"
    items = login(cast.dave).get(f"{API}/people", {"q": "alice"}).json()["items"]
    assert items[0]["role"] == "Backend developer"


def test_person_lists_direct_reports(login, cast):
    body = login(cast.dave).get(person_url(cast.carol)).json()
    assert body["direct_reports"] == [{"id": cast.bob.pk, "name": "Bob Manager"}]


def test_a_leaver_is_not_found_outside_hr(login, cast, leaver):
    response = login(cast.alice).get(person_url(leaver))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_hr_finds_a_leaver(login, cast, leaver):
    body = login(cast.erin).get(person_url(leaver)).json()
    assert body["employment"]["leave_date"] == leaver.leave_date.isoformat()


def test_an_unknown_person_is_not_found(login, cast):
    assert login(cast.alice).get(f"{API}/people/999999").status_code == 404


# --- /teams ---------------------------------------------------------------------------------------


def test_teams_lists_the_teams(login, cast):
    body = login(cast.dave).get(f"{API}/teams").json()
    assert len(body["items"]) == 4 and body["next_cursor"] is None
    platform = next(t for t in body["items"] if t["name"] == "Platform")
    assert platform == {
        "id": cast.platform.pk,
        "name": "Platform",
        "parent_id": cast.engineering.pk,
        "lead": {"id": cast.bob.pk, "name": "Bob Manager"},
    }


def test_one_team(login, cast):
    body = login(cast.dave).get(f"{API}/teams/{cast.sales.pk}").json()
    assert body == {"id": cast.sales.pk, "name": "Sales", "parent_id": None, "lead": None}
    assert login(cast.dave).get(f"{API}/teams/999999").status_code == 404


# --- Authentication and the schema ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/me", "/people", "/people/1", "/teams", "/teams/1"], ids=lambda p: p
)
def test_it_refuses_anonymous_requests(client, cast, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Unauthorized"}


def test_it_refuses_the_session_of_someone_who_has_left(client, cast, leaver):
    client.force_login(leaver)
    assert client.get(f"{API}/me").status_code == 401


def test_it_serves_the_openapi_schema(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/me", "/people", "/people/{person_id}", "/teams", "/teams/{team_id}"]:
        assert f"{API}{path}" in paths
    schemes = response.json()["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}


def test_it_serves_the_docs(login, cast):
    response = login(cast.alice).get(f"{API}/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def test_numbers_beyond_the_database_are_refused_not_a_server_error(login, cast):
    client = login(cast.alice)
    assert client.get("/api/v1/people", {"cursor": "10" * 30}).status_code == 422
    assert client.get("/api/v1/people", {"limit": 10**6}).status_code == 422
    assert client.get(f"/api/v1/people/{10**30}").status_code == 404
