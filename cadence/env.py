"""Tiny helpers that read settings from the environment.

A value the helper cannot read stops start-up with ImproperlyConfigured naming the variable and
the value, rather than falling back silently: `HTTPS=ture` must not turn HTTPS off. A flag or
number that is unset or blank takes the default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def _read(name: str) -> str | None:
    """The variable's value without surrounding spaces, or None when it is unset or blank."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def envbool(name: str, default: bool = False) -> bool:
    value = _read(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} is {value!r}, which is neither true nor false: "
        f"use one of {', '.join(sorted(TRUE))} for true or {', '.join(sorted(FALSE))} for "
        "false (any case), or leave it unset or blank for the default."
    )


def envint(name: str, default: int) -> int:
    value = _read(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} is {value!r}, which is not a whole number: "
            "write it in digits (for example 60), or leave it unset or blank for the default."
        ) from None


def envlist(name: str, default: str = "") -> list[str]:
    """Comma-separated items, spaces around each and empty items dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envstr(name: str, default: str = "") -> str:
    """The value as written (any text is a valid string); unset takes the default."""
    return os.environ.get(name, default)


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def url_problem(value: str) -> str:
    """Why `value` is not an https:// address of a server (http:// for this machine only), or
    "" when it is one."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        return "it is not an address"
    if parts.scheme == "http" and host in LOOPBACK_HOSTS:
        pass
    elif parts.scheme != "https":
        return "it must start with https://"
    if not host:
        return "it names no server"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "it must be a plain address, without ?, # or a password"
    return ""


# The scopes Cadence asks of an identity provider unless told: it needs `openid` and `email`.
OIDC_SCOPES = "openid email profile"


def oidc_settings(
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    scopes: str,
    provider_name: str,
    sso_only: bool,
    break_glass_email: str,
) -> dict[str, object] | None:
    """Single sign-on (`accounts.sso`) as the OIDC_* variables configure it (read by the
    settings): None unless OIDC_ISSUER is set. A configuration with a part missing or a part
    that does not fit stops start-up, naming the variable, rather than signing people in some
    other way than intended."""
    issuer, client_id, client_secret = issuer.strip(), client_id.strip(), client_secret.strip()
    break_glass_email = break_glass_email.strip().lower()
    scopes = " ".join(scopes.split()) or OIDC_SCOPES
    if not issuer:
        given = {
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": client_secret,
            "OIDC_SSO_ONLY": sso_only,
            "OIDC_BREAK_GLASS_EMAIL": break_glass_email,
        }
        found = [name for name, value in given.items() if value]
        if found:
            raise ImproperlyConfigured(
                f"{', '.join(found)} set without OIDC_ISSUER: set OIDC_ISSUER to the identity "
                "provider's issuer address as well, or leave every OIDC_ variable unset."
            )
        return None
    problem = url_problem(issuer)
    if problem:
        raise ImproperlyConfigured(
            f"The environment variable OIDC_ISSUER is {issuer!r}: {problem}."
        )
    if not client_id or not client_secret:
        raise ImproperlyConfigured(
            "OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too, from the "
            "application registered for Cadence at the identity provider."
        )
    if not {"openid", "email"} <= set(scopes.split()):
        raise ImproperlyConfigured(
            f"OIDC_SCOPES is {scopes!r}: it must include openid and email (Cadence finds "
            "people by the e-mail address the provider confirms)."
        )
    if sso_only and not break_glass_email:
        raise ImproperlyConfigured(
            "OIDC_SSO_ONLY is on: set OIDC_BREAK_GLASS_EMAIL to the address of the one "
            "administrator who may still sign in with a password when the provider fails."
        )
    if break_glass_email and "@" not in break_glass_email:
        raise ImproperlyConfigured(
            f"OIDC_BREAK_GLASS_EMAIL is {break_glass_email!r}, which is not an e-mail address."
        )
    return {
        "issuer": issuer.rstrip("/"),
        "client_id": client_id,
        "client_secret": client_secret,
        "scopes": scopes,
        "provider_name": provider_name.strip()[:60],
        "sso_only": sso_only,
        "break_glass_email": break_glass_email,
    }
