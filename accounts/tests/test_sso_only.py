""" "SSO only": passwords are off for everyone but the break-glass administrator, on every path
that takes or sets one: signing in (the page, the admin's), changing it, "Forgot your
password?", a reset link sent before, an invitation to choose one. Each says so plainly and
offers the identity provider; the sign-in form answers a right password exactly as a wrong one,
so that it tells nobody whether a password was right, nor who the break-glass administrator is.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import invitations, sso
from accounts.models import LoginFailure, SsoSettings
from conftest import make_person

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"
OFF = "Passwords are switched off for this organisation"


@pytest.fixture
def sso_only(cast):
    SsoSettings.objects.create(
        pk=1,
        enabled=True,
        provider_name="Okta",
        issuer="https://example.okta.com",
        client_id="cadence",
        client_secret_sealed=sso.seal_secret("secret"),
        sso_only=True,
        break_glass=cast.frank,
    )


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def error_of(response) -> str:
    """The sign-in form's error, as shown."""
    found = re.search(r'<div class="message error" role="alert">(.*?)</div>', response.text, re.S)
    assert found, response.text
    return found.group(1)


def without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


def test_the_sign_in_page_offers_the_provider_and_folds_the_password_away(client, sso_only):
    page = client.get(LOGIN)
    assert "Sign in with Okta" in page.text
    assert '<details class="break-glass">' in page.text
    assert "Break-glass administrator: sign in with a password" in page.text


def test_a_right_password_is_refused_exactly_as_a_wrong_one(client, cast, sso_only):
    right = sign_in(client, "alice@example.com")
    wrong = sign_in(client, "alice@example.com", "not her password")
    nobody = sign_in(client, "nobody@example.com")
    assert right.status_code == wrong.status_code == nobody.status_code == 200
    assert OFF in right.text
    assert error_of(right) == error_of(wrong) == error_of(nobody)
    assert without_tokens(right) == without_tokens(wrong)
    assert signed_in_as(client) is None
    # Each counts as a failed sign-in: the throttle sees no difference either.
    assert LoginFailure.objects.filter(email="alice@example.com").count() == 2


def test_the_break_glass_administrator_signs_in_with_their_password(client, cast, sso_only):
    wrong = sign_in(client, "frank@example.com", "not his password")
    assert OFF in wrong.text and signed_in_as(client) is None
    assert '<details class="break-glass" open>' in wrong.text
    assert sign_in(client, "frank@example.com").status_code == 302
    assert signed_in_as(client) == str(cast.frank.pk)


def test_another_administrator_is_refused(client, cast, sso_only):
    make_person("grace@example.com", "Grace Admin", is_staff=True)
    assert OFF in sign_in(client, "grace@example.com").text
    assert signed_in_as(client) is None


def test_the_break_glass_administrator_must_still_be_one(client, cast, sso_only):
    cast.frank.is_staff = False
    cast.frank.save()
    assert OFF in sign_in(client, "frank@example.com").text


def test_the_admin_sign_in_refuses_too(client, cast, sso_only):
    make_person("grace@example.com", "Grace Admin", is_staff=True, is_superuser=True)
    data = {"username": "grace@example.com", "password": PASSWORD}
    response = client.post(reverse("admin:login"), data)
    assert response.status_code == 200 and signed_in_as(client) is None


def test_forgot_your_password_says_so_and_mails_only_the_break_glass_administrator(
    client, cast, sso_only
):
    page = client.get(reverse("accounts:password_reset"))
    assert OFF in page.text and "Sign in with Okta" in page.text
    for email in ("alice@example.com", "frank@example.com"):
        response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response.status_code == 302  # the same answer for both
    assert [message.to for message in mail.outbox] == [["frank@example.com"]]


def test_a_reset_link_sent_before_sets_no_password(client, cast, sso_only):
    uid = urlsafe_base64_encode(force_bytes(cast.alice.pk))
    token = default_token_generator.make_token(cast.alice)
    link = reverse("accounts:password_reset_confirm", args=[uid, token])
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert OFF in page.text and 'name="new_password1"' not in page.text
    posted = client.post(
        page.request["PATH_INFO"],
        {"new_password1": "a brand new password", "new_password2": "a brand new password"},
    )
    assert posted.status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)


def test_nobody_changes_a_password_they_may_not_use(login, cast, sso_only):
    client = login(cast.alice)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "Passwords are switched off" in page.text
    assert 'name="new_password1"' not in page.text
    data = {
        "old_password": PASSWORD,
        "new_password1": "a brand new password",
        "new_password2": "a brand new password",
    }
    assert client.post(reverse("accounts:password_change"), data).status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)


def test_the_break_glass_administrator_changes_theirs(login, cast, sso_only):
    page = login(cast.frank).get(reverse("accounts:password_change"))
    assert 'name="new_password1"' in page.text


def test_an_invitation_leads_to_the_provider_not_to_a_password(client, cast, sso_only):
    newcomer = make_person("newcomer@example.com", "Nia Newcomer", team=cast.platform)
    newcomer.set_unusable_password()
    newcomer.save()
    [invitation] = invitations.invite([newcomer], by=cast.erin)
    [message] = mail.outbox
    assert "Sign in with Okta" not in message.body  # the e-mail names the provider plainly
    assert "You sign in with Okta, with no password in Cadence" in message.body
    assert "/accounts/invitation/" not in message.body
    assert "choose your password" not in message.subject
    link = reverse("accounts:invitation", args=[invitations.token_for(invitation)])
    page = client.get(link)
    assert page.status_code == 200
    assert "Sign in with Okta" in page.text and 'name="new_password1"' not in page.text
    data = {"new_password1": "a brand new password", "new_password2": "a brand new password"}
    assert client.post(link, data).status_code == 403
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password() and signed_in_as(client) is None


def test_set_in_the_environment_the_break_glass_administrator_is_named_by_address(
    client, cast, settings
):
    settings.OIDC = {
        "issuer": "https://accounts.google.com",
        "client_id": "cadence",
        "client_secret": "secret",
        "scopes": "openid email",
        "provider_name": "Google",
        "sso_only": True,
        "break_glass_email": "frank@example.com",
    }
    assert OFF in sign_in(client, "alice@example.com").text
    assert sign_in(client, "frank@example.com").status_code == 302


def test_passwords_on_switches_them_back_on_for_everyone(client, cast, sso_only):
    call_command("passwords_on")
    assert not SsoSettings.objects.get().sso_only
    assert sign_in(client, "alice@example.com").status_code == 302


def test_with_single_sign_on_but_passwords_on_both_work(client, cast, sso_only):
    SsoSettings.objects.filter(pk=1).update(sso_only=False)
    sso.forget()
    page = client.get(LOGIN)
    assert "Sign in with Okta" in page.text and "break-glass" not in page.text
    assert sign_in(client, "alice@example.com").status_code == 302
