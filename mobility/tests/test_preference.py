"""Open to a move: one's own, written on its page and through the API alike."""

from django.urls import reverse

from mobility.models import Audience, MobilityPreference

PAGE = reverse("mobility:preference")
API = reverse("api:get_my_mobility_preference")


def test_the_page_explains_each_audience_in_a_sentence(login, cast):
    page = login(cast.alice).get(PAGE).content.decode()
    assert "HR whose scope covers you sees it; your manager does not, in any way." in page
    assert "HR whose scope covers you and your current manager see it." in page
    assert not MobilityPreference.objects.exists()  # reading writes nothing


def test_alice_says_she_is_open_to_a_move_with_her_interests(login, cast, framework):
    response = login(cast.alice).post(
        PAGE,
        {
            "open_to_move": "yes",
            "audience": "hr_and_manager",
            "tracks": ["management"],
            "teams": [str(cast.sales.pk)],
            "note": "Curious about sales",
        },
    )
    assert response.status_code == 302
    found = MobilityPreference.objects.get(person=cast.alice)
    assert found.open_to_move and found.audience == Audience.HR_AND_MANAGER
    assert (found.tracks, found.teams, found.note) == (
        ["management"],
        [cast.sales.pk],
        "Curious about sales",
    )


def test_bad_input_comes_back_with_errors_and_what_was_typed(login, cast):
    response = login(cast.alice).post(
        PAGE, {"open_to_move": "yes", "audience": "everyone", "note": "Keep this"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error"' in page and "Keep this" in page
    assert not MobilityPreference.objects.exists()


def test_the_api_reads_and_writes_it(login, cast, framework):
    client = login(cast.alice)
    assert client.get(API).json()["open_to_move"] is False
    answer = client.put(
        API,
        {"open_to_move": True, "audience": "hr", "tracks": ["management"], "note": "Soon"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["open_to_move"] is True and answer.json()["tracks"] == ["management"]
    assert client.get(API).json()["note"] == "Soon"


def test_the_api_refuses_what_the_framework_does_not_know_on_its_field(login, cast, framework):
    answer = login(cast.alice).put(
        API,
        {"open_to_move": True, "tracks": ["astronaut"], "roles": [999999]},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert {tuple(error["loc"]) for error in answer.json()["detail"]} == {
        ("body", "tracks"),
        ("body", "roles"),
    }


def test_an_unknown_field_or_audience_is_refused(login, cast):
    client = login(cast.alice)
    for body in ({"open_to_move": True, "audience": "everyone"}, {"open_to_move": True, "x": 1}):
        assert client.put(API, body, content_type="application/json").status_code == 422
    assert client.put(API, "{", content_type="application/json").status_code == 400
