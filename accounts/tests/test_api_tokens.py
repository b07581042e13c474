"""Personal API tokens: shown once, stored as a digest, used as Bearer, revoked for good."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken

CREATE = reverse("accounts:create_token")
ME = "/api/v1/me"


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def raw_token_in(response):
    return re.search(r'<code class="token">(cad_[\w-]+)</code>', response.text).group(1)


@pytest.fixture
def alice_token(cast):
    return ApiToken.issue(cast.alice, "nightly export")


def test_it_creates_a_token_and_shows_it_once(login, cast):
    client = login(cast.alice)
    response = client.post(CREATE, {"name": "nightly export"})
    assert response.status_code == 200
    raw = raw_token_in(response)
    assert "Copy it now: it will not be shown again." in response.text
    assert raw not in client.get(reverse("accounts:profile")).text


def test_it_stores_only_the_digest(login, cast):
    response = login(cast.alice).post(CREATE, {"name": "nightly export"})
    raw = raw_token_in(response)
    token = ApiToken.objects.get()
    assert token.person == cast.alice
    assert token.name == "nightly export"
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.hint)
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert raw not in stored


def test_it_lists_tokens_by_name_and_hint(login, cast, alice_token):
    token, raw = alice_token
    response = login(cast.alice).get(reverse("accounts:profile"))
    assert "nightly export" in response.text
    assert f"<code>{token.hint}…</code>" in response.text
    assert raw not in response.text


def test_it_lists_only_your_own_tokens(login, cast, alice_token):
    response = login(cast.bob).get(reverse("accounts:profile"))
    assert "nightly export" not in response.text


def test_it_needs_a_name(login, cast):
    response = login(cast.alice).post(CREATE, {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not ApiToken.objects.exists()


def test_it_creates_tokens_only_with_a_post(login, cast):
    response = login(cast.alice).get(CREATE)
    assert response.status_code == 405


def test_it_creates_tokens_only_for_people_signed_in(client, db):
    response = client.post(CREATE, {"name": "x"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_the_token_authenticates_the_api(client, cast, alice_token):
    _token, raw = alice_token
    response = client.get(ME, headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"


def test_the_token_records_when_it_was_last_used(client, cast, alice_token):
    token, raw = alice_token
    client.get(ME, headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_has_exactly_the_access_of_its_owner(client, cast, alice_token):
    _token, raw = alice_token
    dave = client.get(f"/api/v1/people/{cast.dave.pk}", headers=bearer(raw)).json()
    assert dave["employment"] is None


def test_a_wrong_token_is_refused(client, cast, alice_token):
    _token, raw = alice_token
    assert client.get(ME, headers=bearer(raw + "x")).status_code == 401
    assert client.get(ME, headers=bearer("cad_nonsense")).status_code == 401


def test_a_token_in_another_scheme_is_refused(client, cast, alice_token):
    _token, raw = alice_token
    assert client.get(ME, headers={"Authorization": f"Token {raw}"}).status_code == 401


def test_the_owner_revokes_a_token(login, cast, alice_token):
    token, raw = alice_token
    client = login(cast.alice)
    response = client.post(reverse("accounts:revoke_token", args=[token.pk]), follow=True)
    assert "The token “nightly export” is revoked." in response.text
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get(ME, headers=bearer(raw)).status_code == 401


def test_a_revoked_token_leaves_the_list(login, cast, alice_token):
    token, _raw = alice_token
    token.revoke()
    response = login(cast.alice).get(reverse("accounts:profile"))
    assert "nightly export" not in response.text


def test_someone_else_cannot_revoke_your_token(login, cast, alice_token):
    token, _raw = alice_token
    client = login(cast.erin)
    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(login, cast, alice_token):
    token, _raw = alice_token
    response = login(cast.alice).get(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_of_someone_who_has_left_is_refused(client, cast, alice_token):
    _token, raw = alice_token
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    assert client.get(ME, headers=bearer(raw)).status_code == 401


def test_the_token_of_an_inactive_person_is_refused(client, cast, alice_token):
    _token, raw = alice_token
    cast.alice.is_active = False
    cast.alice.save()
    assert client.get(ME, headers=bearer(raw)).status_code == 401
