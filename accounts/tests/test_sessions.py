"""The list of sessions people are signed in with: written at sign-in, forgotten at sign-out
and when the key changes, its last activity noted at most every few minutes without a query on
the requests between, ended by a new password or address; the session key kept sealed."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import email_change, sessions
from accounts.models import ApiToken, SignedInSession
from cadence.jobs import run_jobs
from cadence.tests.client import BrowserClient

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
HOME = reverse("home")
LOGIN = reverse("accounts:login")


def sign_in(person, user_agent=FIREFOX, address="203.0.113.42"):
    client = BrowserClient(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": person.email, "password": "correct horse battery"})
    assert response.status_code == 302
    return client


def key_of(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def row_of(client):
    return SignedInSession.objects.get(key_hash=hashlib.sha256(key_of(client).encode()).hexdigest())


def signed_in(client):
    return client.get(HOME).status_code == 200


def session_queries(context):
    return [q["sql"] for q in context.captured_queries if "accounts_signedinsession" in q["sql"]]


def test_signing_in_lists_the_session_with_its_device_and_rough_address(cast):
    client = sign_in(cast.alice)
    row = row_of(client)
    assert row.person == cast.alice
    assert sessions.device_of(row.user_agent) == "Firefox on Windows"
    assert row.network == "203.0.113.*"
    assert row.signed_in_at is not None and row.last_seen_at >= row.signed_in_at
    # The key is kept sealed, not in clear; it opens for ending the session.
    assert key_of(client).encode() not in bytes(row.sealed_key)
    assert sessions.unseal(row) == key_of(client)


def test_signing_out_forgets_the_session(cast):
    client = sign_in(cast.alice)
    row = row_of(client)
    client.post(reverse("accounts:logout"))
    assert not SignedInSession.objects.filter(pk=row.pk).exists()


def test_activity_is_noted_at_most_every_few_minutes_and_costs_no_query_between(cast, monkeypatch):
    client = sign_in(cast.alice)
    signed_in_at = row_of(client).last_seen_at
    with CaptureQueriesContext(connection) as context:
        assert signed_in(client)
        assert signed_in(client)
    assert session_queries(context) == []
    assert row_of(client).last_seen_at == signed_in_at

    later = timezone.now() + sessions.TOUCH_EVERY
    monkeypatch.setattr(timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as context:
        assert signed_in(client)
        assert signed_in(client)
    assert len(session_queries(context)) == 1  # noted once, then not again for a while
    assert row_of(client).last_seen_at == later


def test_a_session_signed_in_before_sessions_were_listed_is_listed_at_its_next_request(cast):
    client = sign_in(cast.alice)
    SignedInSession.objects.all().delete()
    cache.clear()
    assert signed_in(client)
    row = row_of(client)
    assert row.person == cast.alice and row.signed_in_at is None
    assert sessions.unseal(row) == key_of(client)


def test_changing_my_password_keeps_this_session_and_ends_the_others(cast):
    here, elsewhere = sign_in(cast.alice), sign_in(cast.alice, "curl/8.5.0")
    signed_in_at = row_of(here).signed_in_at
    old_key, elsewhere_key = key_of(here), key_of(elsewhere)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "a new staple battery",
            "new_password2": "a new staple battery",
        },
    )
    assert response.status_code == 302
    assert key_of(here) != old_key and signed_in(here)
    assert row_of(here).signed_in_at == signed_in_at
    assert not signed_in(elsewhere)
    assert not Session.objects.filter(session_key__in=[old_key, elsewhere_key]).exists()
    assert list(SignedInSession.objects.filter(person=cast.alice)) == [row_of(here)]


def test_a_new_password_set_elsewhere_ends_every_session(cast):
    first, second = sign_in(cast.alice), sign_in(cast.alice)
    cast.alice.set_password("reset by the link")
    cast.alice.save()
    assert not SignedInSession.objects.filter(person=cast.alice).exists()
    assert not Session.objects.filter(session_key__in=[key_of(first), key_of(second)]).exists()
    assert not signed_in(first) and not signed_in(second)


def test_a_confirmed_new_address_ends_every_session(cast):
    client = sign_in(cast.alice)
    bobs = sign_in(cast.bob)
    change = email_change.request_email_change(cast.alice, "alice@new.example", by=cast.alice)
    assert email_change.confirm_email_change(change)
    assert not SignedInSession.objects.filter(person=cast.alice).exists()
    assert not signed_in(client)
    assert signed_in(bobs)


def test_a_sealed_key_opens_only_on_its_own_row_and_after_the_secret_key_is_rotated(cast):
    one, two = row_of(sign_in(cast.alice)), row_of(sign_in(cast.bob))
    one.sealed_key, two.sealed_key = bytes(two.sealed_key), bytes(one.sealed_key)
    assert sessions.unseal(one) is None and sessions.unseal(two) is None
    three = row_of(client := sign_in(cast.carol))
    with override_settings(SECRET_KEY="a new key entirely", SECRET_KEY_FALLBACKS=[]):
        assert sessions.unseal(three) is None
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a new key entirely", SECRET_KEY_FALLBACKS=[old]):
        assert sessions.unseal(three) == key_of(client)


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        (FIREFOX, "Firefox on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("python-requests/2.32.3", "Python"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "A browser on Linux"),
        ("", "An unknown browser"),
    ],
)
def test_the_device_is_said_in_plain_words(user_agent, words):
    assert sessions.device_of(user_agent) == words


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("198.51.100.7", "198.51.100.*"),
        ("2001:db8:85a3:1234:5678::1", "2001:db8:85a3:*"),
        ("::ffff:192.0.2.9", "192.0.2.*"),
        ("not an address", ""),
    ],
)
def test_the_address_is_shortened_to_roughly_where(rf, address, network):
    assert sessions.network_of(rf.get("/", REMOTE_ADDR=address)) == network


@override_settings(TRUST_X_FORWARDED_FOR=1)
def test_behind_a_proxy_the_address_is_the_clients(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sessions.network_of(request) == "198.51.100.*"


def test_sessions_unused_longer_than_a_session_lasts_are_forgotten(cast):
    stale, fresh = row_of(sign_in(cast.alice)), row_of(sign_in(cast.bob))
    lasts = timedelta(seconds=settings.SESSION_COOKIE_AGE) + sessions.TOUCH_EVERY
    SignedInSession.objects.filter(pk=stale.pk).update(
        last_seen_at=timezone.now() - lasts - timedelta(minutes=1)
    )
    assert run_jobs(timezone.now(), ["signed-in-sessions"]) == ["expired sessions forgotten: 1"]
    assert list(SignedInSession.objects.all()) == [fresh]
    assert run_jobs(timezone.now(), ["signed-in-sessions"]) == []


def test_api_tokens_are_no_sessions(cast):
    _token, raw = ApiToken.issue(cast.alice, "script")
    response = BrowserClient().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert not SignedInSession.objects.exists()


def test_signing_in_over_someone_elses_session_lists_the_new_one_at_once(cast):
    client = sign_in(cast.alice)
    alices = key_of(client)
    client.force_login(cast.bob)  # the same browser, someone else: the session is emptied
    assert sessions.active(cast.alice) == []  # hers is gone from the store
    row = row_of(client)
    assert row.person == cast.bob and row.signed_in_at is not None
    assert key_of(client) != alices
    with CaptureQueriesContext(connection) as context:
        assert signed_in(client)
    assert session_queries(context) == []


def test_a_session_whose_key_changed_is_forgotten(cast, rf):
    old = row_of(sign_in(cast.alice))
    request = rf.get("/")
    request.session = sessions._store()
    request.session.save()  # another key, as after signing in again in the same browser
    sessions.seen(request, key_at_start=sessions.unseal(old))
    assert not SignedInSession.objects.filter(pk=old.pk).exists()
