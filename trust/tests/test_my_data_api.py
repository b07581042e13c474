"""`GET /api/v1/me/data`: the same as My data's page, as JSON, for each role."""

import pytest

from access import catalogue
from accounts.models import ApiToken
from feedback.models import Kind, Visibility
from feedback.tests.factories import give
from goals.models import Visibility as GoalVisibility
from goals.tests.factories import make_goal

URL = "/api/v1/me/data"


def kinds(response):
    return {kind["key"]: kind for kind in response.json()["kinds"]}


def people(kind, role):
    group = next(group for group in kind["seen_by"] if group["role"] == role)
    return [person["name"] for person in group["people"]]


def test_it_lists_every_kind_with_who_can_see_it(login, cast):
    make_goal(cast.alice, visibility=GoalVisibility.PRIVATE)
    response = login(cast.alice).get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = kinds(response)
    assert set(found) == {kind.key for kind in catalogue.registered()}
    private = found["goals.private"]
    assert private["count"] == 1 and private["module"] == "goals"
    assert private["label"] == "Private goals"
    assert private["seen_by"] == [
        {
            "role": "self",
            "label": "you",
            "everyone": False,
            "example": False,
            "count": 1,
            "people": [{"id": cast.alice.pk, "name": "Alice Employee", "items": 1}],
            "items": 1,
        },
        {
            "role": "manager",
            "label": "your manager",
            "everyone": False,
            "example": False,
            "count": 1,
            "people": [{"id": cast.bob.pk, "name": "Bob Manager", "items": 1}],
            "items": 1,
        },
    ]
    assert people(found["people.employment"], "hr") == ["Erin HR"]
    assert found["people.profile"]["seen_by"][0]["everyone"] is True


def test_it_says_what_nobody_can_see_and_which_reports_count_me(login, cast):
    found = kinds(login(cast.alice).get(URL))
    assert found["conversations.private_notes"]["only_you"] is True
    assert "Cadence itself does not know" in found["feedback.review_invitations"]["nobody"]
    aggregates = login(cast.alice).get(URL).json()["aggregates"]
    assert {a["key"] for a in aggregates} == {a.key for a in catalogue.aggregates()}
    assert all(a["count"] == 0 for a in aggregates)


def test_a_kind_with_none_yet_says_who_would_see_one(login, cast):
    given = kinds(login(cast.alice).get(URL))["feedback.given"]
    assert given["count"] == 0
    receiver = next(group for group in given["seen_by"] if group["role"] == "receiver")
    assert receiver["example"] is True and receiver["people"] == []


def test_the_union_counts_the_items_each_person_sees(login, cast):
    give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE)
    give(cast.carol, cast.alice, visibility=Visibility.TEAM)
    received = kinds(login(cast.alice).get(URL))["feedback.received"]
    givers = next(group for group in received["seen_by"] if group["role"] == "giver")
    assert {p["name"]: p["items"] for p in givers["people"]} == {
        "Carol Leader": 1,
        "Dave Peer": 1,
    }
    team = next(group for group in received["seen_by"] if group["role"] == "team")
    assert team["items"] == 1 and received["count"] == 2


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin", "frank"])
def test_each_role_gets_their_own_data_and_never_the_administrator_named_by_others(
    login, cast, who
):
    person = getattr(cast, who)
    found = kinds(login(person).get(URL))
    assert people(found["people.employment"], "self") == [person.name]
    if who != "frank":
        # Only the audit log grants administrators anything: the changes made about you.
        assert "Frank Admin" not in str({k: v for k, v in found.items() if k != "trust.audit"})
        assert people(found["trust.audit"], "administrators") == ["Frank Admin"]


def test_with_an_api_token_it_answers_the_tokens_owner(client, cast):
    _token, secret = ApiToken.issue(cast.bob, "script")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert people(kinds(response)["people.employment"], "self") == ["Bob Manager"]


def test_signed_out_it_answers_401(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"]}


def test_it_is_documented_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/me/data"]["get"]
    assert operation["summary"] == "Your data and who can see it"
    assert "200" in operation["responses"] and "401" in operation["responses"]


def test_a_kind_with_one_audience_for_all_is_counted_not_loaded(
    login, cast, django_assert_max_num_queries
):
    """Who looked at my data: many entries, each seen by me alone; counted in full, asked
    about once, in the same number of queries however many there are."""
    from django.utils import timezone

    from trust.models import AccessLogEntry

    def looked(times):
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                at=timezone.now(),
                viewer=cast.bob,
                subject=cast.alice,
                kind="goals.team",
                channel="page",
            )
            for _ in range(times)
        )

    looked(3)
    client = login(cast.alice)
    # 10: the log is counted with every other kind and aggregate, in one query, and nothing of
    # it is loaded; Alice's profile and employment, the people in every audience, and who reads
    # rhythm health.
    with django_assert_max_num_queries(10) as few:
        found = kinds(client.get(URL))["trust.access_log"]
    assert found["count"] == 3
    assert [(g["role"], g["items"]) for g in found["seen_by"]] == [("self", 3)]
    looked(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        found = kinds(client.get(URL))["trust.access_log"]
    assert found["count"] == 43
    assert found["seen_by"][0]["items"] == 43
    assert found["only_you"] is True
