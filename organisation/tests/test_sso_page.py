"""Administration › Single sign-on: administrators connect the organisation's identity provider
(its discovery document read before anything is saved), the client secret is sealed and never
shown again, every change is in the audit log (the secret never); set in the environment the
page only shows it; a demo shows example values and saves and sends nothing."""

import pytest
from django.urls import reverse

from accounts import sso
from accounts.models import SsoSettings
from accounts.tests.oidc_provider import running_provider
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGE = reverse("organisation:sso")
SECRET = "s3cret-from-the-provider"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def admin(login, cast):
    return login(cast.frank)


def form(provider, **changes):
    data = {
        "enabled": "on",
        "provider_name": "Okta",
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": SECRET,
        "scopes": "openid email profile",
        "break_glass": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_page_says_what_to_register_at_the_provider(admin):
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert "http://testserver/accounts/sso/callback/" in page.text
    assert "Off: people sign in with their passwords." in page.text


def test_an_administrator_connects_the_provider_and_the_secret_is_never_shown(
    admin, cast, provider
):
    response = admin.post(PAGE, form(provider))
    assert response.status_code == 302
    row = SsoSettings.objects.get()
    assert (row.enabled, row.issuer, row.client_id) == (True, provider.issuer, provider.client_id)
    assert SECRET.encode() not in bytes(row.client_secret_sealed)
    assert sso.open_secret(row.client_secret_sealed) == SECRET
    page = admin.get(PAGE)
    assert SECRET not in page.text
    assert "A secret is stored, and never shown again." in page.text
    assert "On: the sign-in page offers “Sign in with Okta”." in page.text
    entry = AuditEntry.objects.get(action="accounts.sso_changed")
    assert entry.actor_id == cast.frank.pk
    assert entry.changes["client_secret"] == [None, "replaced"]
    assert SECRET not in str(entry.changes)
    # The sign-in page offers it at once.
    admin.post(reverse("accounts:logout"))
    assert "Sign in with Okta" in admin.get(reverse("accounts:login")).text


def test_an_empty_secret_keeps_the_stored_one(admin, provider):
    admin.post(PAGE, form(provider))
    assert (
        admin.post(PAGE, form(provider, client_secret="", provider_name="Okta SSO")).status_code
        == 302
    )
    row = SsoSettings.objects.get()
    assert row.provider_name == "Okta SSO"
    assert sso.open_secret(row.client_secret_sealed) == SECRET


def test_a_provider_that_cannot_be_read_is_refused_before_anything_is_saved(admin, provider):
    response = admin.post(PAGE, form(provider, issuer="http://localhost:9"))
    assert response.status_code == 200
    assert "Cadence could not read the provider" in response.text
    assert not SsoSettings.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issuer": "http://idp.example.com"}, "it must start with https://"),
        ({"issuer": ""}, "Give the provider&#x27;s issuer address."),
        ({"client_id": ""}, "Give the client ID"),
        ({"client_secret": ""}, "Give the client secret"),
        ({"scopes": "openid profile"}, "The scopes must include openid and email."),
        ({"sso_only": "on"}, "Choose the administrator who keeps a password"),
        ({"enabled": None, "sso_only": "on"}, "Single sign-on must be on for passwords to be off."),
    ],
)
def test_settings_that_do_not_hold_together_are_refused(admin, provider, changes, message):
    response = admin.post(PAGE, form(provider, **changes))
    assert response.status_code == 200
    assert message in response.text
    assert not SsoSettings.objects.exists()


def test_only_a_current_administrator_can_be_the_break_glass_one(admin, cast, provider):
    response = admin.post(PAGE, form(provider, sso_only="on", break_glass=cast.erin.pk))
    assert response.status_code == 200  # Erin is HR, not an administrator: not a choice
    assert not SsoSettings.objects.exists()
    response = admin.post(PAGE, form(provider, sso_only="on", break_glass=cast.frank.pk))
    assert response.status_code == 302
    row = SsoSettings.objects.get()
    assert row.sso_only and row.break_glass == cast.frank
    assert "Passwords are switched off for everyone but the break-glass" in admin.get(PAGE).text


def test_set_in_the_environment_the_page_only_shows_it(admin, provider, settings):
    settings.OIDC = {
        "issuer": provider.issuer,
        "client_id": "cadence-from-env",
        "client_secret": "env-secret",
        "scopes": "openid email",
        "provider_name": "Google",
        "sso_only": True,
        "break_glass_email": "frank@example.com",
    }
    page = admin.get(PAGE)
    assert "cadence-from-env" in page.text and "env-secret" not in page.text
    assert "Set on the server" in page.text and 'name="client_id"' not in page.text
    assert admin.post(PAGE, form(provider)).status_code == 403
    assert not SsoSettings.objects.exists()


def test_the_demo_shows_example_values_and_saves_and_sends_nothing(admin, provider, settings):
    settings.DEMO = True
    page = admin.get(PAGE)
    assert "login.microsoftonline.com" in page.text
    assert "the values below are examples" in page.text
    response = admin.post(PAGE, form(provider))
    assert response.status_code == 302
    assert not SsoSettings.objects.exists()


def test_the_page_needs_a_fixed_number_of_queries(admin, provider, django_assert_max_num_queries):
    admin.post(PAGE, form(provider))
    sso.forget()
    with django_assert_max_num_queries(8):
        assert admin.get(PAGE).status_code == 200


def test_an_administrator_unlinks_someone_whose_account_at_the_provider_is_new(admin, cast):
    from accounts.models import SsoLink

    SsoLink.objects.create(person=cast.alice, issuer="https://idp.example.com", subject="old")
    response = admin.post(PAGE, {"part": "unlink", "unlink-email": "Alice@example.com"})
    assert response.status_code == 302
    assert not SsoLink.objects.exists()
    entry = AuditEntry.objects.get(action="account.sso_unlinked")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, cast.alice.pk)
    assert entry.changes["subject"] == ["old", None]
    # Whether someone signs in with the provider is not told: with no link, the same answer.
    again = admin.post(PAGE, {"part": "unlink", "unlink-email": "alice@example.com"}, follow=True)
    never = admin.post(PAGE, {"part": "unlink", "unlink-email": "bob@example.com"}, follow=True)
    assert "account at the provider, if any, is unlinked" in again.text
    assert "account at the provider, if any, is unlinked" in never.text
    assert AuditEntry.objects.filter(action="account.sso_unlinked").count() == 1
    unknown = admin.post(PAGE, {"part": "unlink", "unlink-email": "nobody@example.com"})
    assert unknown.status_code == 200 and "Nobody in Cadence has this address." in unknown.text
