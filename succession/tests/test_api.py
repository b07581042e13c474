"""The succession API, per role: HR and the leads of the part list, read, mark and change key
positions and name candidates; others get 404 (they may not know it exists); errors in the
API's one shape; a candidate the caller may not see is refused as if unknown."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from people.models import Person, Role
from succession.models import SuccessionCandidate
from succession.tests.factories import make_position, name


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def candidate(person_id, **extra):
    return {
        "person_id": person_id,
        "readiness": "now",
        "readiness_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_hr_lists_and_reads_positions_with_bench_strength(client, login, cast):
    position = make_position(cast.platform)
    name(position, cast.alice, emergency=True)
    login(cast.erin)
    listed = client.get("/api/v1/talent/key-positions").json()
    assert [item["title"] for item in listed["items"]] == ["Head of Platform"]
    detail = client.get(f"/api/v1/talent/key-positions/{position.pk}").json()
    assert detail["bench"] == {
        "ready_now": 1,
        "one_to_two_years": 0,
        "three_plus_years": 0,
        "expired": 0,
        "emergency_successor": True,
    }
    candidates = client.get(f"/api/v1/talent/key-positions/{position.pk}/candidates").json()
    assert candidates["items"][0]["person"]["name"] == "Alice Employee"


def test_others_do_not_know_a_position_exists(client, login, cast):
    position = make_position(cast.platform)
    for who in (cast.alice, cast.dave, cast.frank):
        login(who)
        assert client.get(f"/api/v1/talent/key-positions/{position.pk}").status_code == 404
        assert client.get("/api/v1/talent/key-positions").json()["items"] == []


def test_a_lead_marks_a_position_in_their_part_only(client, login, cast):
    role = Role.objects.create(name="Engineering manager")
    login(cast.carol)
    body = {
        "title": "Head of Platform",
        "team_id": cast.platform.pk,
        "role_id": role.pk,
        "level": 4,
    }
    made = post(client, "/api/v1/talent/key-positions", body)
    assert made.status_code == 201 and made.json()["title"] == "Head of Platform"
    elsewhere = post(client, "/api/v1/talent/key-positions", {**body, "team_id": cast.sales.pk})
    assert elsewhere.status_code == 422
    assert elsewhere.json()["detail"][0]["loc"] == ["body", "team_id"]


def test_a_candidate_is_named_changed_and_taken_out(client, login, cast):
    position = make_position(cast.platform)
    login(cast.erin)
    url = f"/api/v1/talent/key-positions/{position.pk}/candidates"
    made = post(client, url, candidate(cast.alice.pk, emergency=True))
    assert made.status_code == 201 and made.json()["emergency"] is True
    pk = made.json()["id"]
    changed = post(
        client,
        f"/api/v1/talent/key-positions/candidates/{pk}",
        {"readiness": "3+", "readiness_on": "2020-01-01", "rank": 2},
        method="put",
    )
    assert changed.status_code == 200 and changed.json()["expired"] is True
    removed = client.post(f"/api/v1/talent/key-positions/candidates/{pk}/remove")
    assert removed.status_code == 200 and removed.json()["bench"]["expired"] == 0


def test_a_hidden_candidate_is_refused_as_an_unknown_one(client, login, cast):
    from access.models import HRRole

    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    gone = Person.objects.create_user(
        "gone@example.com",
        None,
        name="Gone Person",
        team=cast.sales,
        leave_date=timezone.localdate() - timedelta(days=10),
    )
    position = make_position(cast.platform)
    login(cast.erin)
    url = f"/api/v1/talent/key-positions/{position.pk}/candidates"
    hidden = post(client, url, candidate(gone.pk))
    unknown = post(client, url, candidate(gone.pk + 1000))
    assert hidden.status_code == unknown.status_code == 422
    assert hidden.json() == unknown.json()
    assert not SuccessionCandidate.objects.exists()


def test_who_may_not_write_gets_no_further_than_404_or_403(client, login, cast):
    position = make_position(cast.sales, title="Head of Sales")
    candidacy = name(position, cast.alice)
    login(cast.bob)  # Alice's manager: sees her candidacy, does not manage the position
    url = f"/api/v1/talent/key-positions/candidates/{candidacy.pk}"
    answer = post(client, url, {"readiness": "now", "readiness_on": "2026-01-01"}, method="put")
    assert answer.status_code == 403
    login(cast.frank)
    assert post(client, url, {}, method="put").status_code == 404


def test_bad_bodies_answer_in_the_one_error_shape(client, login, cast):
    position = make_position(cast.platform)
    login(cast.erin)
    url = f"/api/v1/talent/key-positions/{position.pk}/candidates"
    answer = post(client, url, {"person_id": cast.alice.pk, "readiness": "soon", "x": 1})
    assert answer.status_code == 422 and isinstance(answer.json()["detail"], list)
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert reverse("api:list_key_positions") == "/api/v1/talent/key-positions"
