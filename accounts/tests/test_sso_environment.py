"""Single sign-on from the environment (`cadence.env.oidc_from_environment`): strict, as every
setting is. A configuration with a part missing, or a part that does not fit, stops start-up
naming the variable, rather than signing people in some other way than intended."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cadence.env import oidc_from_environment

NAMES = [
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_SCOPES",
    "OIDC_PROVIDER_NAME",
    "OIDC_SSO_ONLY",
    "OIDC_BREAK_GLASS_EMAIL",
]


@pytest.fixture
def env(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)

    def set_(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_


def complete(env, **more):
    values = {
        "OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0/",
        "OIDC_CLIENT_ID": "cadence",
        "OIDC_CLIENT_SECRET": "secret",
    }
    env(**{**values, **more})


def test_unset_it_is_off(env):
    assert oidc_from_environment() is None


def test_a_complete_configuration(env):
    complete(env, OIDC_PROVIDER_NAME="Microsoft", OIDC_SCOPES="openid  email")
    assert oidc_from_environment() == {
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "cadence",
        "client_secret": "secret",
        "scopes": "openid email",
        "provider_name": "Microsoft",
        "sso_only": False,
        "break_glass_email": "",
    }


def test_sso_only_names_its_break_glass_administrator(env):
    complete(env, OIDC_SSO_ONLY="yes", OIDC_BREAK_GLASS_EMAIL="Frank@Example.com")
    configured = oidc_from_environment()
    assert configured["sso_only"] and configured["break_glass_email"] == "frank@example.com"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"OIDC_ISSUER": "http://idp.example.com"}, "OIDC_ISSUER"),
        ({"OIDC_ISSUER": "idp.example.com"}, "OIDC_ISSUER"),
        ({"OIDC_ISSUER": "https://idp.example.com/?tenant=1"}, "OIDC_ISSUER"),
        ({"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"),
        ({"OIDC_CLIENT_ID": ""}, "OIDC_CLIENT_ID"),
        ({"OIDC_SCOPES": "openid profile"}, "OIDC_SCOPES"),
        ({"OIDC_SSO_ONLY": "1"}, "OIDC_BREAK_GLASS_EMAIL"),
        ({"OIDC_SSO_ONLY": "ture"}, "OIDC_SSO_ONLY"),
        ({"OIDC_BREAK_GLASS_EMAIL": "frank"}, "OIDC_BREAK_GLASS_EMAIL"),
    ],
)
def test_a_part_that_does_not_fit_stops_start_up(env, monkeypatch, values, named):
    complete(env)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=named):
        oidc_from_environment()


def test_its_parts_without_an_issuer_stop_start_up(env):
    env(OIDC_CLIENT_ID="cadence", OIDC_SSO_ONLY="1")
    with pytest.raises(ImproperlyConfigured, match="without OIDC_ISSUER"):
        oidc_from_environment()


def test_plain_http_only_for_this_machine(env):
    complete(env, OIDC_ISSUER="http://localhost:8080/realms/cadence")
    assert oidc_from_environment()["issuer"] == "http://localhost:8080/realms/cadence"
