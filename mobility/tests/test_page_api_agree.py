"""The same input gets the same answer from the page and the API (one service behind both)."""

import json

import pytest
from django.urls import reverse

from mobility.models import Opening
from people.models import Role

CASES = [
    # (what, page fields, API fields, saved?)
    ("fine", {}, {}, True),
    ("no title", {"title": " "}, {"title": " "}, False),
    ("a team Carol does not lead", {"team": "platform"}, {"team_id": "platform"}, False),
]


@pytest.mark.parametrize(("what", "page", "api", "saved"), CASES)
def test_posting_an_opening(login, cast, what, page, api, saved):
    role = Role.objects.get_or_create(name="Software engineer")[0]
    team = {"platform": cast.platform.pk}
    data = {"title": "Lead", "role": role.pk, "level": 3, "team": cast.engineering.pk}
    data.update({k: team.get(v, v) for k, v in page.items()})
    body = {"title": "Lead", "role_id": role.pk, "level": 3, "team_id": cast.engineering.pk}
    body.update({k: team.get(v, v) for k, v in api.items()})
    carol = login(cast.carol)
    by_page = carol.post(reverse("mobility:post"), data)
    assert (by_page.status_code == 302) is saved, what
    Opening.objects.all().delete()
    by_api = carol.post(
        reverse("api:create_opening"), json.dumps(body), content_type="application/json"
    )
    assert (by_api.status_code == 201) is saved, what
    if not saved:
        assert by_page.status_code == 200 and by_api.status_code == 422


@pytest.mark.parametrize(("tracks", "saved"), [(["management"], True), (["astronaut"], False)])
def test_writing_the_wish_to_move(login, cast, framework, tracks, saved):
    alice = login(cast.alice)
    by_page = alice.post(
        reverse("mobility:preference"), {"open_to_move": "yes", "audience": "hr", "tracks": tracks}
    )
    by_api = alice.put(
        reverse("api:put_my_mobility_preference"),
        json.dumps({"open_to_move": True, "audience": "hr", "tracks": tracks}),
        content_type="application/json",
    )
    assert (by_page.status_code == 302, by_api.status_code == 200) == (saved, saved)
