"""Single sign-on from the environment (the OIDC_* variables, `cadence.env.oidc_settings`):
strict, as every setting is. A configuration with a part missing, or a part that does not fit,
stops start-up naming the variable, rather than signing people in some other way than
intended."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cadence.env import oidc_settings
from cadence.tests.test_settings_from_environment import a_key, read_setting, start_app

COMPLETE = {
    "issuer": "https://login.microsoftonline.com/tenant/v2.0/",
    "client_id": "cadence",
    "client_secret": "secret",
    "scopes": "",
    "provider_name": "",
    "sso_only": False,
    "break_glass_email": "",
}
NONE = {**COMPLETE, "issuer": "", "client_id": "", "client_secret": ""}


def test_unset_it_is_off():
    assert oidc_settings(**NONE) is None


def test_a_complete_configuration():
    assert oidc_settings(
        **{**COMPLETE, "provider_name": " Microsoft ", "scopes": "openid  email"}
    ) == {
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "cadence",
        "client_secret": "secret",
        "scopes": "openid email",
        "provider_name": "Microsoft",
        "sso_only": False,
        "break_glass_email": "",
    }


def test_the_scopes_by_default():
    assert oidc_settings(**COMPLETE)["scopes"] == "openid email profile"


def test_sso_only_names_its_break_glass_administrator():
    configured = oidc_settings(
        **{**COMPLETE, "sso_only": True, "break_glass_email": "Frank@Example.com"}
    )
    assert configured["sso_only"] and configured["break_glass_email"] == "frank@example.com"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"issuer": "http://idp.example.com"}, "OIDC_ISSUER"),
        ({"issuer": "idp.example.com"}, "OIDC_ISSUER"),
        ({"issuer": "https://idp.example.com/?tenant=1"}, "OIDC_ISSUER"),
        ({"client_secret": " "}, "OIDC_CLIENT_SECRET"),
        ({"client_id": ""}, "OIDC_CLIENT_ID"),
        ({"scopes": "openid profile"}, "OIDC_SCOPES"),
        ({"sso_only": True}, "OIDC_BREAK_GLASS_EMAIL"),
        ({"break_glass_email": "frank"}, "OIDC_BREAK_GLASS_EMAIL"),
    ],
)
def test_a_part_that_does_not_fit_stops_start_up(changes, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        oidc_settings(**{**COMPLETE, **changes})


def test_its_parts_without_an_issuer_stop_start_up():
    with pytest.raises(ImproperlyConfigured, match="without OIDC_ISSUER"):
        oidc_settings(**{**NONE, "client_id": "cadence", "sso_only": True})


def test_plain_http_only_for_this_machine():
    local = "http://localhost:8080/realms/cadence"
    assert oidc_settings(**{**COMPLETE, "issuer": local})["issuer"] == local


def test_the_settings_read_the_variables():
    issuer = read_setting(
        "OIDC",
        SECRET_KEY=a_key(),
        OIDC_ISSUER="https://accounts.google.com",
        OIDC_CLIENT_ID="cadence",
        OIDC_CLIENT_SECRET="secret",
    )
    assert "'issuer': 'https://accounts.google.com'" in issuer


def test_the_app_does_not_start_with_a_part_missing():
    result = start_app(SECRET_KEY=a_key(), OIDC_ISSUER="https://accounts.google.com")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "OIDC_CLIENT_SECRET" in result.stderr
