"""Signing in with the organisation's identity provider, end to end: a real OpenID Connect
provider on this machine (`oidc_provider.py`), Cadence's real views through the test client
(which enforces CSRF), nothing of the flow stubbed.

Who gets in: only a current person of Cadence, found by a linked subject or by the address the
provider verified; never a stranger, an unverified address, or someone who has left. What the
tokens must be: for Cadence (audience), current (expiry), answering this sign-in (nonce), after
a state this browser was handed and has not used yet. Refusals say why on the sign-in page and
count as failures of the client, which is throttled as the password form throttles it.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import sso
from accounts.models import LoginFailure, SignedInSession, SsoLink, SsoSettings
from accounts.tests.oidc_provider import (
    CONFIRM,
    emailed_code,
    follow,
    running_provider,
    with_query,
)
from accounts.throttle import DEVICE_COOKIE
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("home")


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture(scope="module")
def expired_provider():
    """A provider whose tokens have expired five minutes before they are issued."""
    with running_provider(token_max_age=timedelta(minutes=-5)) as running:
        yield running


def configure(provider, **fields):
    """Single sign-on on, as an administrator saves it in the app (the secret sealed)."""
    values = {
        "enabled": True,
        "provider_name": "Okta",
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret_sealed": sso.seal_secret(provider.client_secret),
        **fields,
    }
    SsoSettings.objects.update_or_create(pk=1, defaults=values)


@pytest.fixture
def sso_on(db, provider):
    configure(provider)
    provider.swap = None
    return provider


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def refused(response, reason: str) -> bool:
    """Back on the sign-in page, nobody signed in, saying why."""
    return (
        response.status_code == 302
        and response["Location"] == LOGIN
        and sso.message(reason, sso.provider()) in said(response)
    )


# --- Who gets in ----------------------------------------------------------------------------


def test_a_person_signs_in_with_their_verified_address(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="Alice@Example.com", email_verified=True)
    response = sso_on.sign_in(client, "okta-alice")
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in_as(client) == str(cast.alice.pk)
    assert client.get(HOME).status_code == 200
    link = SsoLink.objects.get()
    assert (link.person, link.issuer, link.subject) == (cast.alice, sso_on.issuer, "okta-alice")


def test_the_sign_in_is_listed_audited_and_trusts_the_browser_as_a_password_does(
    client, cast, sso_on
):
    sso_on.set_user("okta-bob", email="bob@example.com", email_verified=True)
    response = sso_on.sign_in(client, "okta-bob")
    assert signed_in_as(client) == str(cast.bob.pk)
    assert SignedInSession.objects.filter(person=cast.bob).count() == 1
    assert DEVICE_COOKIE in response.cookies
    entry = AuditEntry.objects.get(action="account.sso_linked")
    assert (entry.actor_id, entry.subject_id) == (cast.bob.pk, cast.bob.pk)
    assert entry.changes["subject"] == [None, "okta-bob"]
    cast.bob.refresh_from_db()
    assert cast.bob.last_login is not None
    assert not LoginFailure.objects.exists()


def test_it_goes_on_to_the_page_asked_for_on_this_site_only(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    goals = reverse("goals:mine")
    assert sso_on.sign_in(client, "okta-alice", next=goals)["Location"] == goals
    client.logout()
    assert sso_on.sign_in(client, "okta-alice", next="https://evil.example/")["Location"] == HOME


def test_a_stranger_is_refused(client, cast, sso_on):
    sso_on.set_user("okta-stranger", email="stranger@example.com", email_verified=True)
    response = sso_on.sign_in(client, "okta-stranger")
    assert refused(response, sso.NO_ACCOUNT)
    assert signed_in_as(client) is None
    assert not SsoLink.objects.exists()


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_address_the_provider_did_not_verify_is_refused(client, cast, sso_on, verified):
    claims = {"email": "alice@example.com"}
    if verified is not None:
        claims["email_verified"] = verified
    sso_on.set_user("okta-unverified", **claims)
    response = sso_on.sign_in(client, "okta-unverified")
    assert refused(response, sso.UNVERIFIED)
    assert signed_in_as(client) is None and not SsoLink.objects.exists()


def test_no_address_at_all_is_refused(client, cast, sso_on):
    sso_on.set_user("okta-anonymous", name="Nobody")
    assert refused(sso_on.sign_in(client, "okta-anonymous"), sso.NO_EMAIL)


def test_a_person_who_left_is_refused(client, cast, sso_on):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    sso_on.set_user("okta-dave", email="dave@example.com", email_verified=True)
    assert refused(sso_on.sign_in(client, "okta-dave"), sso.NO_ACCOUNT)
    assert signed_in_as(client) is None


def test_a_person_who_left_after_linking_is_refused_and_their_session_ends(client, cast, sso_on):
    sso_on.set_user("okta-dave", email="dave@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-dave")
    assert signed_in_as(client) == str(cast.dave.pk)
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    assert client.get(HOME).status_code == 302  # signed out: to the sign-in page
    assert refused(sso_on.sign_in(client, "okta-dave"), sso.NO_ACCOUNT)


def test_someone_who_may_not_sign_in_is_refused(client, cast, sso_on):
    cast.dave.is_active = False
    cast.dave.save()
    sso_on.set_user("okta-dave", email="dave@example.com", email_verified=True)
    assert refused(sso_on.sign_in(client, "okta-dave"), sso.NO_ACCOUNT)


def test_once_linked_the_subject_finds_its_person_whatever_address_it_has_later(
    client, cast, sso_on
):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice")
    client.logout()
    # At the provider, Alice's account now says it is Bob's address: it still reaches Alice only.
    sso_on.set_user("okta-alice", email="bob@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice")
    assert signed_in_as(client) == str(cast.alice.pk)


def test_another_account_at_the_provider_cannot_take_over_a_linked_person(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice")
    client.logout()
    # Someone else's account at the provider is given Alice's address, verified.
    sso_on.set_user("okta-mallory", email="alice@example.com", email_verified=True)
    assert refused(sso_on.sign_in(client, "okta-mallory"), sso.LINKED_ELSEWHERE)
    assert signed_in_as(client) is None
    assert list(SsoLink.objects.values_list("subject", flat=True)) == ["okta-alice"]


def test_saying_no_at_the_provider_signs_nobody_in(client, cast, sso_on):
    response = sso_on.sign_in(client, "okta-alice", deny=True)
    assert refused(response, sso.CANCELLED)


# --- What the tokens must be ------------------------------------------------------------------


def test_a_token_issued_to_another_application_is_refused(client, cast, sso_on, caplog):
    """The wrong audience: the provider hands Cadence an ID token issued to another client (the
    code was asked for by that client, and the token endpoint is answered for it)."""
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.swap = (sso_on.other_id, sso_on.other_secret)
    response = sso_on.sign_in(
        client, "okta-alice", authorize=lambda url: with_query(url, client_id=sso_on.other_id)
    )
    assert refused(response, sso.FAILED)
    assert signed_in_as(client) is None
    assert "audience" in caplog.text


def test_an_expired_token_is_refused(client, cast, expired_provider, caplog):
    configure(expired_provider)
    expired_provider.set_user("okta-alice", email="alice@example.com", email_verified=True)
    response = expired_provider.sign_in(client, "okta-alice")
    assert refused(response, sso.FAILED)
    assert signed_in_as(client) is None
    assert "expired" in caplog.text


def test_a_token_for_another_sign_in_is_refused(client, cast, sso_on, caplog):
    """The nonce: the code was asked for with another nonce than this browser's sign-in."""
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    response = sso_on.sign_in(
        client, "okta-alice", authorize=lambda url: with_query(url, nonce="someone-elses")
    )
    assert refused(response, sso.FAILED)
    assert signed_in_as(client) is None
    assert "nonce" in caplog.text


def linked(provider, person, subject):
    """`person` signed in with `subject` before: the link a confirmed first sign-in made."""
    now = timezone.now()
    SsoLink.objects.create(
        person=person, issuer=provider.issuer, subject=subject, linked_at=now, last_used_at=now
    )


def test_a_replayed_answer_is_refused(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    linked(sso_on, cast.alice, "okta-alice")
    started = sso_on.start(client)
    back = sso_on.consent(started["Location"], "okta-alice")
    assert follow(client, back)["Location"] == HOME
    client.post(reverse("accounts:logout"))
    # The same answer again, in the same browser: its state is used up.
    assert refused(follow(client, back), sso.STATE)
    assert signed_in_as(client) is None


def test_an_answer_carried_to_another_browser_is_refused(client, cast, sso_on):
    from cadence.tests.client import BrowserClient

    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    linked(sso_on, cast.alice, "okta-alice")
    back = sso_on.consent(sso_on.start(client)["Location"], "okta-alice")
    other = BrowserClient()
    assert refused(follow(other, back), sso.STATE)
    assert signed_in_as(other) is None
    # Nor does it spoil the sign-in of the browser that started it.
    assert follow(client, back)["Location"] == HOME


def test_an_answer_with_a_state_never_handed_out_is_refused(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    back = sso_on.consent(sso_on.start(client)["Location"], "okta-alice")
    assert refused(follow(client, with_query(back, state="made-up")), sso.STATE)


def test_a_sign_in_left_too_long_is_refused(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    back = sso_on.consent(sso_on.start(client)["Location"], "okta-alice")
    session = client.session
    for started in session["oidc_states"].values():
        started["added_on"] -= sso.STATE_SECONDS + 1
    session.save()
    assert refused(follow(client, back), sso.STATE)


def test_an_unreachable_provider_is_said_so(client, cast, sso_on):
    configure(sso_on, issuer="http://localhost:9")  # nothing listens there
    response = client.get(reverse("accounts:sso_start"))
    assert refused(response, sso.UNAVAILABLE)


# --- Throttling -------------------------------------------------------------------------------


def test_refusals_count_against_the_client_which_then_waits(client, cast, sso_on, settings):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 2
    sso_on.set_user("okta-stranger", email="stranger@example.com", email_verified=True)
    for _ in range(2):
        assert refused(sso_on.sign_in(client, "okta-stranger"), sso.NO_ACCOUNT)
    assert LoginFailure.objects.filter(email="", client="127.0.0.1").count() == 2
    waiting = client.get(reverse("accounts:sso_start"))
    assert waiting.status_code == 429
    assert int(waiting["Retry-After"]) > 0
    assert "Too many attempts" in waiting.text
    # The callback waits too, before anything is asked of the provider.
    assert (
        client.get(reverse("accounts:sso_callback"), {"code": "x", "state": "y"}).status_code == 429
    )


def test_refusals_of_one_client_make_no_other_client_wait(cast, sso_on, settings):
    from cadence.tests.client import BrowserClient

    settings.LOGIN_CLIENT_FAILURE_LIMIT = 1
    sso_on.set_user("okta-stranger", email="stranger@example.com", email_verified=True)
    sso_on.sign_in(BrowserClient(REMOTE_ADDR="203.0.113.9"), "okta-stranger")
    other = BrowserClient(REMOTE_ADDR="198.51.100.7")
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    assert sso_on.sign_in(other, "okta-alice")["Location"] == HOME


# --- The sign-in page and the routes ------------------------------------------------------------


def test_the_sign_in_page_offers_the_provider_under_a_strict_policy(client, cast, sso_on):
    page = client.get(LOGIN, {"next": "/goals/"})
    assert "Sign in with Okta" in page.text
    assert f'href="{reverse("accounts:sso_start")}?next=/goals/"' in page.text
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "form-action 'self'" in policy


def test_without_single_sign_on_there_is_no_button_and_no_route(client, db):
    assert "Sign in with" not in client.get(LOGIN).text
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


def test_switched_off_it_stops_at_once(client, cast, sso_on):
    SsoSettings.objects.filter(pk=1).update(enabled=False)
    sso.forget()
    assert client.get(reverse("accounts:sso_start")).status_code == 404


def test_someone_signed_in_already_goes_home(login, cast, sso_on):
    client = login(cast.alice)
    assert client.get(reverse("accounts:sso_start"))["Location"] == HOME
    assert client.get(reverse("accounts:sso_callback"), {"error": "x"})["Location"] == HOME
    assert signed_in_as(client) == str(cast.alice.pk)


def test_configured_from_the_environment(client, cast, provider, settings):
    settings.OIDC = {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "scopes": "openid email",
        "provider_name": "Keycloak",
        "sso_only": False,
        "break_glass_email": "",
    }
    provider.swap = None
    assert "Sign in with Keycloak" in client.get(LOGIN).text
    provider.set_user("kc-carol", email="carol@example.com", email_verified=True)
    # Whoever runs the servers set the provider: its verified address links at once, no code.
    assert provider.sign_in(client, "kc-carol", code=False)["Location"] == HOME
    assert signed_in_as(client) == str(cast.carol.pk)
    assert mail.outbox == []


def test_once_unlinked_a_new_account_at_the_provider_links_by_its_verified_address(
    client, cast, sso_on
):
    from access.viewer import Viewer
    from accounts.services import unlink_sso

    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice")
    client.logout()
    sso_on.set_user("okta-alice-2", email="alice@example.com", email_verified=True)
    assert refused(sso_on.sign_in(client, "okta-alice-2"), sso.LINKED_ELSEWHERE)
    unlink_sso(Viewer.of(cast.frank), "alice@example.com")
    assert sso_on.sign_in(client, "okta-alice-2")["Location"] == HOME
    assert signed_in_as(client) == str(cast.alice.pk)


# --- A first sign-in with the provider configured in the app: the mailbox confirms ----------


def test_a_first_sign_in_waits_for_the_code_e_mailed_to_the_person(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    response = sso_on.sign_in(client, "okta-alice", code=False)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    assert signed_in_as(client) is None and not SsoLink.objects.exists()
    (sent,) = mail.outbox
    assert sent.to == ["alice@example.com"] and "Okta" in sent.subject
    page = client.get(CONFIRM)
    assert "Code from the e-mail" in page.text and 'autocomplete="one-time-code"' in page.text
    # Only a keyed hash of the code is kept in the session (a database reader of sessions
    # cannot read it there).
    code = emailed_code()
    assert code.replace(" ", "") not in str(dict(client.session))
    response = client.post(CONFIRM, {"code": code})
    assert response["Location"] == HOME and signed_in_as(client) == str(cast.alice.pk)
    assert SsoLink.objects.get().subject == "okta-alice"
    client.logout()
    # From then on the link signs her in, with no code.
    assert sso_on.sign_in(client, "okta-alice", code=False)["Location"] == HOME
    assert len(mail.outbox) == 1


def test_an_administrator_s_own_provider_cannot_sign_in_as_someone_else(client, cast, sso_on):
    """The attack: an administrator points the app's settings at a provider of their own and
    gives an account there Alice's address, "verified". Without Alice's mailbox they get no
    further than the code page; the code, read by Alice in her own browser, signs in nobody."""
    from cadence.tests.client import BrowserClient

    sso_on.set_user("admins-own", email="alice@example.com", email_verified=True)
    assert sso_on.sign_in(client, "admins-own", code=False)["Location"] == CONFIRM
    alices_browser = BrowserClient()
    answered = alices_browser.post(CONFIRM, {"code": emailed_code()})
    assert signed_in_as(alices_browser) is None and "Nothing here waits" in answered.text
    for attempt in range(5):
        response = client.post(CONFIRM, {"code": f"{attempt:08d}"})
        assert response.status_code == 200 and signed_in_as(client) is None
    assert "Nothing here waits for a code" in response.text
    # The right code is of no use after five wrong ones.
    assert "Nothing here waits" in client.post(CONFIRM, {"code": emailed_code()}).text
    assert signed_in_as(client) is None and not SsoLink.objects.exists()


def test_a_wrong_code_says_how_many_tries_are_left(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice", code=False)
    response = client.post(CONFIRM, {"code": "not it"})
    assert "That is not the code in the e-mail. 4 tries left." in response.text
    assert client.post(CONFIRM, {"code": emailed_code()})["Location"] == HOME


def test_a_code_does_not_work_after_fifteen_minutes(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice", code=False)
    session = client.session
    session["sso_link"] = {**session["sso_link"], "until": time.time() - 1}
    session.save()
    assert "Nothing here waits" in client.post(CONFIRM, {"code": emailed_code()}).text
    assert signed_in_as(client) is None and not SsoLink.objects.exists()


def test_switched_off_meanwhile_the_code_links_nothing(client, cast, sso_on):
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice", code=False)
    SsoSettings.objects.filter(pk=1).update(enabled=False)
    sso.forget()
    assert client.post(CONFIRM, {"code": emailed_code()}).status_code == 404
    assert signed_in_as(client) is None and not SsoLink.objects.exists()


def test_the_person_s_link_made_meanwhile_wins(client, cast, sso_on):
    """Alice confirmed another account of the provider first: this code links nothing."""
    sso_on.set_user("okta-alice", email="alice@example.com", email_verified=True)
    sso_on.sign_in(client, "okta-alice", code=False)
    code = emailed_code()
    linked(sso_on, cast.alice, "okta-alice-earlier")
    assert "Nothing here waits" in client.post(CONFIRM, {"code": code}).text
    assert signed_in_as(client) is None
