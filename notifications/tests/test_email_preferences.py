"""E-mail preferences: each optional kind of e-mail on or off, on the profile page's "E-mail"
card and through the API (`/api/v1/notifications/email-preferences`), by one service; essential
e-mail cannot be turned off."""

import pytest
from django.urls import reverse

from access.viewer import Viewer
from cadence.refusals import Refused
from notifications import mail, services
from notifications.models import EmailOptOut
from organisation import current

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
SAVE = reverse("notifications:email")
API = "/api/v1/notifications/email-preferences"


def off_for(person):
    return set(EmailOptOut.objects.filter(person=person).values_list("kind", flat=True))


def ticked(page, key):
    """Is the box of `key` ticked on the profile page?"""
    start = page.index(f'value="{key}"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    return "checked" in tag


def test_the_profile_offers_every_optional_kind_ticked(login, cast):
    page = login(cast.alice).get(PROFILE).text
    assert 'id="email"' in page
    for kind in mail.offered(Viewer(person=cast.alice)):
        assert ticked(page, kind.key)
    # Essential e-mail is not offered; HR's kind only to HR.
    assert f'value="{mail.PASSWORD_RESET}"' not in page
    assert f'value="{mail.MOBILITY_INTEREST}"' not in page


def test_hr_is_offered_hr_mail(login, cast):
    page = login(cast.erin).get(PROFILE).text
    assert ticked(page, mail.MOBILITY_INTEREST)


def test_unticking_turns_kinds_off_and_ticking_turns_them_on(login, cast):
    client = login(cast.alice)
    offered = [kind.key for kind in mail.offered(Viewer(person=cast.alice))]
    keep = [key for key in offered if key not in (mail.WEEKLY_DIGEST, mail.SURVEYS)]

    response = client.post(SAVE, {"email": keep})

    assert response.status_code == 302
    assert response.url == PROFILE + "#email"
    assert off_for(cast.alice) == {mail.WEEKLY_DIGEST, mail.SURVEYS}
    page = client.get(PROFILE).text
    assert "Your e-mail settings are saved." in page
    assert not ticked(page, mail.WEEKLY_DIGEST)
    assert ticked(page, mail.FEEDBACK_RECEIVED)

    client.post(SAVE, {"email": offered})
    assert off_for(cast.alice) == set()


def test_the_form_leaves_kinds_it_did_not_offer_as_they_are(login, cast):
    # Alice turned the HR kind off while she was HR; her form does not offer it now, so saving
    # it keeps it off.
    EmailOptOut.objects.create(person=cast.alice, kind=mail.MOBILITY_INTEREST)
    login(cast.alice).post(SAVE, {"email": [mail.WEEKLY_DIGEST]})
    assert mail.MOBILITY_INTEREST in off_for(cast.alice)
    assert mail.WEEKLY_DIGEST not in off_for(cast.alice)


def test_a_kind_of_a_module_switched_off_is_not_offered_nor_changed(login, cast):
    row = current.row()
    row.modules_off = ["surveys"]
    row.save()
    EmailOptOut.objects.create(person=cast.alice, kind=mail.SURVEYS)
    client = login(cast.alice)
    assert f'value="{mail.SURVEYS}"' not in client.get(PROFILE).text
    client.post(SAVE, {"email": [mail.WEEKLY_DIGEST]})
    assert mail.SURVEYS in off_for(cast.alice)


def test_a_kind_the_form_does_not_know_is_refused_and_nothing_changes(login, cast):
    client = login(cast.alice)
    response = client.post(SAVE, {"email": [mail.PASSWORD_RESET]}, follow=True)
    assert off_for(cast.alice) == set()
    assert "is not one of the available choices" in response.text


def test_the_profile_with_its_email_card_needs_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.alice)
    for kind in mail.OPTIONAL[:5]:
        EmailOptOut.objects.create(person=cast.alice, kind=kind)
    with django_assert_max_num_queries(16):
        assert client.get(PROFILE).status_code == 200


# --- The API ------------------------------------------------------------------------------------


def test_the_api_reads_the_kinds_the_page_offers(login, cast):
    EmailOptOut.objects.create(person=cast.alice, kind=mail.SURVEYS)
    body = login(cast.alice).get(API).json()
    offered = [kind.key for kind in mail.offered(Viewer(person=cast.alice))]
    assert [kind["kind"] for kind in body["kinds"]] == offered
    assert mail.MOBILITY_INTEREST not in offered  # HR's, and Alice is not HR
    assert body["off"] == [mail.SURVEYS]
    surveys = next(kind for kind in body["kinds"] if kind["kind"] == mail.SURVEYS)
    assert surveys["email"] is False
    assert surveys["label"] == "Surveys open for your answers, and reminders"


def test_the_api_sets_them_all_at_once(login, cast):
    client = login(cast.alice)
    EmailOptOut.objects.create(person=cast.alice, kind=mail.SURVEYS)
    response = client.put(
        API,
        {"off": [mail.WEEKLY_DIGEST, mail.ACTION_ITEMS]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["off"] == [mail.WEEKLY_DIGEST, mail.ACTION_ITEMS]
    assert off_for(cast.alice) == {mail.WEEKLY_DIGEST, mail.ACTION_ITEMS}
    assert "no-store" in response["Cache-Control"]

    client.put(API, {"off": []}, content_type="application/json")
    assert off_for(cast.alice) == set()


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"off": [mail.PASSWORD_RESET]}, ["body", "off", 0]),
        ({"off": [mail.WEEKLY_DIGEST, "pigeon_post"]}, ["body", "off", 1]),
    ],
)
def test_the_api_refuses_what_cannot_be_turned_off(login, cast, body, loc):
    response = login(cast.alice).put(API, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert off_for(cast.alice) == set()


def test_the_api_neither_shows_nor_takes_what_the_page_does_not_offer(login, cast):
    """HR's kind to someone not in HR, a kind of a module switched off: not in `kinds`, not in
    `off` (left as it is), refused when sent, as the page's form refuses it."""
    row = current.row()
    row.modules_off = ["surveys"]
    row.save()
    EmailOptOut.objects.create(person=cast.alice, kind=mail.SURVEYS)
    client = login(cast.alice)
    body = client.get(API).json()
    shown = {kind["kind"] for kind in body["kinds"]}
    assert not {mail.SURVEYS, mail.MOBILITY_INTEREST} & shown and body["off"] == []
    for kind in (mail.MOBILITY_INTEREST, mail.SURVEYS):
        refused = client.put(API, {"off": [kind]}, content_type="application/json")
        assert refused.status_code == 422, kind
    client.put(API, {"off": []}, content_type="application/json")
    assert off_for(cast.alice) == {mail.SURVEYS}
    assert login(cast.erin).put(
        API, {"off": [mail.MOBILITY_INTEREST]}, content_type="application/json"
    ).json()["off"] == [mail.MOBILITY_INTEREST]


def test_the_api_refuses_an_unknown_field(login, cast):
    response = login(cast.alice).put(
        API, {"off": [], "on": ["surveys"]}, content_type="application/json"
    )
    assert response.status_code == 422


def test_anonymous_callers_are_turned_away(client):
    assert client.get(API).status_code == 401
    assert client.put(API, {"off": []}, content_type="application/json").status_code == 401


def test_one_person_never_sees_or_changes_anothers(login, cast):
    EmailOptOut.objects.create(person=cast.bob, kind=mail.SURVEYS)
    client = login(cast.alice)
    assert client.get(API).json()["off"] == []
    client.put(API, {"off": [mail.WEEKLY_DIGEST]}, content_type="application/json")
    assert off_for(cast.bob) == {mail.SURVEYS}


# --- Page and API agree -------------------------------------------------------------------------

CASES = [
    # (kinds turned off, refused?)
    ([mail.WEEKLY_DIGEST], False),
    ([mail.FEEDBACK_RECEIVED, mail.ACTION_ITEMS], False),
    ([], False),
    ([mail.INVITATION], True),
]


@pytest.mark.parametrize(("off", "refused"), CASES)
def test_page_and_api_give_the_same_answer(login, cast, off, refused):
    offered = [kind.key for kind in mail.offered(Viewer(person=cast.alice))]
    page = login(cast.alice).post(SAVE, {"email": [key for key in offered if key not in off]})
    by_page = off_for(cast.alice)
    EmailOptOut.objects.all().delete()
    api = login(cast.alice).put(API, {"off": off}, content_type="application/json")
    by_api = off_for(cast.alice)
    assert page.status_code == 302
    assert api.status_code == (422 if refused else 200)
    assert by_page == by_api == (set() if refused else set(off))


def test_the_service_refuses_nobody_and_the_unknown(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_email_preferences(Viewer(person=None), [])
    with pytest.raises(Refused):
        services.set_email_preferences(Viewer(person=cast.alice), ["nope"])
