"""Talent reviews in the API, per role: reviews and placements as the caller may see them,
writes for whoever may make them, 4xx answers in the API's one error shape."""

import json

from django.urls import reverse

from talentreview.models import Placement
from talentreview.tests.factories import (
    finalised_with_alice,
    make_review,
    open_placements,
    place_alice,
)


def post(client, name, args, body, method="post"):
    return getattr(client, method)(
        reverse(f"api:{name}", args=args), json.dumps(body), content_type="application/json"
    )


def test_reviews_are_listed_for_hr_and_the_chain_only(login, cast):
    review = make_review(cast)
    for person in (cast.erin, cast.bob, cast.carol):
        items = login(person).get(reverse("api:list_reviews")).json()["items"]
        assert [item["id"] for item in items] == [review.pk]
        assert items[0]["labels"][8] == "Expert in role"
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).get(reverse("api:list_reviews")).json()["items"] == []
        answer = login(person).get(reverse("api:get_review", args=[review.pk]))
        assert answer.status_code == 404 and answer.json() == {"detail": "Not found."}


def test_placements_are_read_as_the_viewer_may(login, cast):
    placement = place_alice(cast)
    url = reverse("api:list_placements", args=[placement.review_id])
    for person in (cast.erin, cast.bob, cast.carol):
        items = login(person).get(url).json()["items"]
        assert [(i["id"], i["rationale"]) for i in items] == [(placement.pk, "Takes the lead")]
    for person in (cast.dave, cast.frank, cast.alice):
        assert login(person).get(url).status_code == 404
        one = login(person).get(reverse("api:get_placement", args=[placement.pk]))
        assert one.status_code == 404


def test_the_manager_places_through_the_api(login, cast):
    review = make_review(cast)
    body = {"person_id": cast.alice.pk, "performance": 3, "potential": 1, "rationale": "Deep"}
    answer = post(login(cast.bob), "create_placement", [review.pk], body)
    assert answer.status_code == 201
    assert answer.json()["label"] == "Expert in role"
    assert Placement.objects.get().placed_by == cast.bob


def test_placing_someone_not_ones_report_is_422_and_names_nobody(login, cast):
    review = make_review(cast, scope=None)
    body = {"person_id": cast.dave.pk, "performance": 3, "potential": 1, "rationale": "Deep"}
    answer = post(login(cast.bob), "create_placement", [review.pk], body)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "person_id"]
    # Nobody to place at all (Alice manages nobody): 404 where she may not know the review.
    assert post(login(cast.alice), "create_placement", [review.pk], body).status_code == 404
    # HR knows the review but places nobody.
    assert post(login(cast.erin), "create_placement", [review.pk], body).status_code == 403
    assert not Placement.objects.exists()


def test_a_bad_body_is_422_and_not_json_is_400(login, cast):
    review = make_review(cast)
    client = login(cast.bob)
    body = {"person_id": cast.alice.pk, "performance": 4, "potential": 1, "rationale": "x"}
    assert post(client, "create_placement", [review.pk], body).status_code == 422
    url = reverse("api:create_placement", args=[review.pk])
    assert client.post(url, "{", content_type="application/json").status_code == 400


def test_hr_adjusts_in_the_meeting_and_nobody_after(login, cast):
    from access.viewer import Viewer
    from talentreview import services

    placement = place_alice(cast)
    body = {"performance": 1, "potential": 1, "rationale": "Moved"}
    args = [placement.pk]
    assert post(login(cast.erin), "update_placement", args, body, "patch").status_code == 403
    services.open_meeting(Viewer(person=cast.erin), placement.review)
    assert post(login(cast.bob), "update_placement", args, body, "patch").status_code == 403
    answer = post(login(cast.erin), "update_placement", args, body, "patch")
    assert answer.status_code == 200 and answer.json()["adjusted"] is True
    services.finalise(Viewer(person=cast.erin), placement.review)
    assert post(login(cast.erin), "update_placement", args, body, "patch").status_code == 403
    assert post(login(cast.dave), "update_placement", args, body, "patch").status_code == 404


def test_my_placements_and_my_response(login, cast):
    placement = finalised_with_alice(cast)
    client = login(cast.alice)
    assert client.get(reverse("api:my_placements")).json() == []
    body = {"text": "Thanks"}
    assert post(client, "put_response", [placement.pk], body, "put").status_code == 404
    open_placements()
    mine = client.get(reverse("api:my_placements")).json()
    assert [p["id"] for p in mine] == [placement.pk]
    # Who placed it last, when, and whether the meeting adjusted it are its history's.
    assert {(p["placed_by"], p["placed_at"], p["adjusted"]) for p in mine} == {(None, None, None)}
    answer = post(client, "put_response", [placement.pk], body, "put")
    assert answer.status_code == 200 and answer.json()["text"] == "Thanks"
    assert post(login(cast.bob), "put_response", [placement.pk], body, "put").status_code == 403
    theirs = login(cast.bob).get(reverse("api:get_placement", args=[placement.pk])).json()
    assert theirs["placed_by"] is not None and theirs["placed_at"] is not None
