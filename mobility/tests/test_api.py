"""The openings in the API: the same services and rules as the pages, 4xx JSON errors."""

import json

from django.urls import reverse

from mobility.models import Interest, Opening, OpeningStatus
from people.models import Role

LIST = reverse("api:list_openings")
CREATE = reverse("api:create_opening")


def send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def body(cast, **changes):
    role = Role.objects.get_or_create(name="Software engineer")[0]
    data = {"title": "Engineer", "role_id": role.pk, "level": 3, "team_id": cast.platform.pk}
    data.update(changes)
    return data


def test_a_lead_posts_and_everyone_lists_it_with_their_own_fit(login, cast):
    answer = send(login(cast.bob), "post", CREATE, body(cast))
    assert answer.status_code == 201, answer.content
    assert answer.json()["hiring_manager"]["name"] == "Bob Manager"
    rows = login(cast.dave).get(LIST).json()
    assert [row["title"] for row in rows] == ["Engineer"]
    assert set(rows[0]["fit"]) >= {"score", "plan_target", "matches", "met", "total"}


def test_refusals_are_on_the_fields_the_api_names(login, cast):
    answer = send(login(cast.carol), "post", CREATE, body(cast, title=" ", role_id=999999))
    assert answer.status_code == 422
    assert {error["loc"][-1] for error in answer.json()["detail"]} == {
        "title",
        "role_id",
        "team_id",
    }
    assert send(login(cast.alice), "post", CREATE, body(cast)).status_code == 403
    assert not Opening.objects.exists()


def test_hr_names_the_hiring_manager_but_only_someone_working_here(login, cast):
    erin = login(cast.erin)
    answer = send(erin, "post", CREATE, body(cast, hiring_manager_id=cast.alice.pk))
    assert answer.json()["hiring_manager"]["id"] == cast.alice.pk
    answer = send(erin, "post", CREATE, body(cast, hiring_manager_id=999999))
    assert (
        answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "hiring_manager_id"
    )


def test_only_who_may_change_it_patches_it_and_a_closed_one_is_gone_for_others(
    login, cast, make_opening
):
    opening = make_opening()
    url = reverse("api:update_opening", args=[opening.pk])
    assert send(login(cast.dave), "patch", url, {"title": "Mine"}).status_code == 403
    answer = send(login(cast.bob), "patch", url, {"status": "closed"})
    assert answer.status_code == 200 and answer.json()["status"] == OpeningStatus.CLOSED
    assert login(cast.dave).get(reverse("api:get_opening", args=[opening.pk])).status_code == 404
    assert send(login(cast.dave), "patch", url, {"title": "Mine"}).status_code == 404


def test_interest_shown_twice_is_a_conflict_and_withdrawn_once(login, cast, make_opening):
    opening = make_opening(team=cast.sales, hiring_manager=cast.dave)
    alice = login(cast.alice)
    url = reverse("api:express_interest", args=[opening.pk])
    assert send(alice, "post", url, {"note": "Me"}).status_code == 201
    assert send(alice, "post", url, {"note": "Me"}).status_code == 409
    withdraw = reverse("api:withdraw_interest", args=[opening.pk])
    assert alice.post(withdraw).json()["interested"] is False
    assert alice.post(withdraw).status_code == 404
    assert not Interest.objects.exists()


def test_the_hiring_manager_cannot_be_interested_in_their_own_opening(login, cast, make_opening):
    opening = make_opening()
    answer = send(login(cast.bob), "post", reverse("api:express_interest", args=[opening.pk]), {})
    assert answer.status_code == 422


def test_an_opening_out_of_range_is_a_404(login, cast):
    assert login(cast.alice).get("/api/v1/talent/openings/99999999999999999999").status_code == 404
