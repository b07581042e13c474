"""Sessions and tokens on My data, and in the API: I see where I am signed in and my tokens,
end one session, or every other session and every token at once (after confirming)."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken, SignedInSession
from accounts.tests.test_sessions import FIREFOX, key_of, row_of, sign_in, signed_in
from cadence.tests.client import BrowserClient
from cadence.tests.matrix import CAST

PAGE = reverse("trust:sessions")
END_ALL = reverse("trust:end_everywhere_else")
API = "/api/v1/me/sessions"
KEEP_TOKENS = '{"revoke_tokens": false}'


def end_url(row):
    return reverse("trust:end_session", args=[row.pk])


@pytest.fixture
def alice_twice(cast):
    """Alice signed in here (Firefox) and on her phone, with a token; Bob signed in too."""
    here = sign_in(cast.alice)
    phone = sign_in(
        cast.alice,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Safari/604.1",
        "2001:db8:85a3::1",
    )
    ApiToken.issue(cast.alice, "Quarterly report script")
    bobs = sign_in(cast.bob, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    return here, phone, bobs


def test_i_see_where_i_am_signed_in_and_my_tokens(cast, alice_twice):
    here, _phone, _bobs = alice_twice
    page = here.get(PAGE).content.decode()
    assert "Firefox on Windows" in page and "this device" in page
    assert "Safari on iPhone" in page and "2001:db8:85a3:*" in page
    assert "Quarterly report script" in page
    assert "Firefox on Linux" not in page  # Bob's
    assert page.count(">End<") == 1  # the phone's; this one ends by signing out


def test_the_profile_leads_to_the_sessions(cast, alice_twice):
    here, _phone, _bobs = alice_twice
    assert PAGE in here.get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize("role", CAST)
def test_everyone_sees_only_their_own_sessions(login, cast, role):
    person = getattr(cast, CAST[role])
    others = [sign_in(p) for p in (cast.alice, cast.dave) if p != person]
    client = login(person)
    listed = client.get(API).json()["sessions"]
    mine = SignedInSession.objects.filter(person=person)
    assert {s["id"] for s in listed} == set(mine.values_list("pk", flat=True))
    for other in others:
        assert client.post(end_url(row_of(other))).status_code == 404
        assert signed_in(other)


def test_ending_a_session_signs_that_browser_out(cast, alice_twice):
    here, phone, bobs = alice_twice
    response = here.post(end_url(row_of(phone)), follow=True)
    assert "The session on Safari on iPhone is ended." in response.content.decode()
    assert not signed_in(phone) and signed_in(here) and signed_in(bobs)
    assert SignedInSession.objects.filter(person=cast.alice).count() == 1


def test_this_session_is_not_ended_from_the_list(cast, alice_twice):
    here, _phone, _bobs = alice_twice
    assert here.post(end_url(row_of(here))).status_code == 404
    assert signed_in(here)


def test_signing_out_everywhere_else_needs_a_confirmation(cast, alice_twice):
    here, phone, _bobs = alice_twice
    response = here.post(END_ALL)
    assert response.status_code == 400
    assert "Tick the box to confirm." in response.content.decode()
    assert signed_in(phone) and ApiToken.objects.active().filter(person=cast.alice).exists()


def test_signing_out_everywhere_else_ends_the_other_sessions_and_every_token(cast, alice_twice):
    here, phone, bobs = alice_twice
    _token, raw = ApiToken.issue(cast.alice, "Another")
    response = here.post(END_ALL, {"confirm": "yes"}, follow=True)
    assert "1 other session ended; 2 API tokens revoked." in response.content.decode()
    assert signed_in(here) and not signed_in(phone) and signed_in(bobs)
    assert not ApiToken.objects.active().filter(person=cast.alice).exists()
    answer = BrowserClient().get(API, headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 401


def test_the_page_reads_few_queries(cast, alice_twice, django_assert_max_num_queries):
    here, _phone, _bobs = alice_twice
    with django_assert_max_num_queries(7):
        assert here.get(PAGE).status_code == 200


# --- The API ----------------------------------------------------------------------------------


def test_the_api_lists_my_sessions_and_tokens(cast, alice_twice):
    here, phone, _bobs = alice_twice
    body = here.get(API).json()
    by_device = {s["device"]: s for s in body["sessions"]}
    assert by_device["Firefox on Windows"]["current"] is True
    assert by_device["Firefox on Windows"]["user_agent"] == FIREFOX
    assert by_device["Safari on iPhone"]["current"] is False
    assert by_device["Safari on iPhone"]["network"] == "2001:db8:85a3:*"
    assert [t["name"] for t in body["tokens"]] == ["Quarterly report script"]
    assert key_of(phone) not in here.get(API).content.decode()


def test_the_api_ends_every_other_session_and_revokes_tokens_if_asked(cast, alice_twice):
    here, phone, _bobs = alice_twice
    answer = here.post(
        f"{API}/end-all", '{"revoke_tokens": false}', content_type="application/json"
    )
    assert answer.json() == {"sessions_ended": 1, "tokens_revoked": 0}
    assert not signed_in(phone) and signed_in(here)
    assert ApiToken.objects.active().filter(person=cast.alice).exists()
    answer = here.post(f"{API}/end-all", "{}", content_type="application/json")
    assert answer.json() == {"sessions_ended": 0, "tokens_revoked": 1}


def test_with_a_token_the_api_ends_every_session(cast, alice_twice):
    here, phone, _bobs = alice_twice
    _token, raw = ApiToken.issue(cast.alice, "cleanup")
    bearer = {"Authorization": f"Bearer {raw}"}
    client = BrowserClient()
    assert not any(s["current"] for s in client.get(API, headers=bearer).json()["sessions"])
    answer = client.post(
        f"{API}/end-all",
        '{"revoke_tokens": false}',
        content_type="application/json",
        headers=bearer,
    )
    assert answer.json() == {"sessions_ended": 2, "tokens_revoked": 0}
    assert not signed_in(here) and not signed_in(phone)
