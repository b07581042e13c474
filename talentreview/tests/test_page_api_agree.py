"""The same writes through the talent review pages and the API get the same answer: written,
refused (the form shows it; the API answers 422), not allowed (403) or not found (404)."""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from talentreview.tests.factories import make_review, place_alice

OK, REFUSED, DENIED, HIDDEN = "ok", "refused", "denied", "hidden"


@pytest.fixture
def world(cast):
    placement = place_alice(cast)
    everyone = make_review(cast, scope=None, name="Everyone")
    return SimpleNamespace(review=placement.review, placement=placement, everyone=everyone)


BOX = {"performance": 3, "potential": 2, "rationale": "Ships"}


def placing(person, review="review", **changes):
    """A new placement of `person` (a cast member's name) in the world's `review`."""
    return (
        lambda w, c: (
            reverse("talentreview:place", args=[getattr(w, review).pk]),
            {"person": getattr(c, person).pk, **BOX, **changes},
        ),
        lambda w, c: (
            "post",
            reverse("api:create_placement", args=[getattr(w, review).pk]),
            {"person_id": getattr(c, person).pk, **BOX, **changes},
        ),
    )


CHANGE = (
    lambda w, c: (reverse("talentreview:placement", args=[w.placement.pk]), BOX),
    lambda w, c: ("patch", reverse("api:update_placement", args=[w.placement.pk]), BOX),
)
RESPOND = (
    lambda w, c: (reverse("talentreview:respond", args=[w.placement.pk]), {"text": "Fair"}),
    lambda w, c: (
        "put",
        reverse("api:put_response", args=[w.placement.pk]),
        {"text": "Fair"},
    ),
)
# (who, (page, api), what both answer)
CASES = {
    "the manager places a report": ("bob", placing("alice"), OK),
    "without a rationale": ("bob", placing("alice", rationale=" "), REFUSED),
    "someone not their report": ("bob", placing("dave", review="everyone"), REFUSED),
    "HR places nobody": ("erin", placing("alice"), DENIED),
    "a peer knows no review": ("dave", placing("alice"), HIDDEN),
    "the manager changes it in draft": ("bob", CHANGE, OK),
    "HR adjusts only in the meeting": ("erin", CHANGE, DENIED),
    "the leader sees but does not change": ("carol", CHANGE, DENIED),
    "a peer sees nothing": ("dave", CHANGE, HIDDEN),
    "the manager does not respond for her": ("bob", RESPOND, DENIED),
    "she does not see a draft": ("alice", RESPOND, HIDDEN),
}


def page_answer(response):
    if response.status_code == 302:
        return OK
    if response.status_code == 200:
        return REFUSED  # the form again, with what to change
    return {403: DENIED, 404: HIDDEN}[response.status_code]


def api_answer(response):
    return {200: OK, 201: OK, 422: REFUSED, 403: DENIED, 404: HIDDEN}[response.status_code]


@pytest.mark.parametrize("case", CASES)
def test_page_and_api_answer_alike(client, login, cast, world, case):
    who, (page, api), expected = CASES[case]
    login(getattr(cast, who))
    url, data = page(world, cast)
    assert page_answer(client.post(url, data)) == expected
    method, url, body = api(world, cast)
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert api_answer(response) == expected, response.content
