"""Sign in with e-mail and password; people who have left cannot sign in. Or sign in with the
organisation's identity provider (`SsoBackend`, `accounts.sso`).

Every sign-in that comes with a request (the sign-in page, the admin's, and the current
password asked when changing it) is throttled here (`accounts/throttle.py`): while the attempt
must wait, no password is checked at all. In "SSO only" mode (`accounts.sso.password_allowed`)
anyone but the break-glass administrator is refused even with the right password, exactly as
with a wrong one (checked, counted, the same answer), so that the answer tells nobody whether a
password was right nor who the break-glass administrator is; the form says that passwords are
off (`request.sign_in_passwords_off`).
"""

import logging
from typing import Any

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import sso, throttle

logger = logging.getLogger(__name__)


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        attempt = throttle.Attempt.of(request, username)
        # Counted first and forgiven after: see throttle.reserve.
        reservation = throttle.reserve(attempt)
        wait = throttle.wait_before(attempt, reservation=reservation)
        if wait is not None:
            throttle.release(reservation)  # a refused attempt checks nothing, so counts nothing
            # For the sign-in form's message; PermissionDenied stops every backend.
            request.sign_in_wait = wait
            raise PermissionDenied
        passwords_off = sso.passwords_off()
        if passwords_off is not None:
            request.sign_in_passwords_off = sso.sign_in_refused_message(passwords_off)
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None and passwords_off and not sso.is_break_glass(passwords_off, user):
            user = None  # as a wrong password: counted, and nothing tells them apart
        if user is not None:
            throttle.release(reservation)
            throttle.record_success(attempt)
        else:
            throttle.prune()  # the failure stays; those that no longer count go
        return user

    def get_user(self, user_id):
        """The signed-in person with their team and their HR role (with its scope), which the
        visibility rules read on most pages (`access.viewer.Viewer`): one query instead of
        three."""
        user = (
            get_user_model()
            ._default_manager.select_related("team", "hr_role__scope")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.has_left


class SsoBackend(OIDCAuthenticationBackend):
    """Sign in with the organisation's identity provider (`accounts.sso`): mozilla-django-oidc's
    code flow (the token exchange, with PKCE), configured per sign-in from `accounts.sso`
    rather than from Django's settings, with the ID token checked in full (`sso.verify_id_token`:
    the library leaves the audience and issuer unchecked) and the person found by a linked
    subject or a verified address, never created (`sso.person_for`); a first sign-in by address
    with a provider configured in the app waits for a code e-mailed to it (`accounts.sso_link`).

    Only the callback (`accounts.views_sso`) calls it, with the sign-in's nonce: its signature
    takes no password, so a password sign-in never reaches it. A refusal is left on the request
    (`request.sso_refusal`) for the page to say why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads its endpoints from Django's settings here; they are read per sign-in.
        self.UserModel = get_user_model()
        self.provider: sso.Provider | None = None
        self.meta: sso.Metadata | None = None

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in SSO_SETTINGS:
            return SSO_SETTINGS[attr]
        if attr == "OIDC_TOKEN_USE_BASIC_AUTH":
            return self.meta is not None and self.meta.basic_auth
        if attr == "OIDC_RP_SCOPES" and self.provider is not None:
            return self.provider.scopes
        return super().get_settings(attr, *args)

    def authenticate(self, request, nonce=None, code_verifier=None):
        if request is None or not nonce:
            return None
        found = sso.provider()
        if found is None:
            return None
        try:
            self.provider, self.meta = found, sso.metadata(found)
            self.OIDC_OP_TOKEN_ENDPOINT = self.meta.token_endpoint
            self.OIDC_OP_USER_ENDPOINT = self.meta.userinfo_endpoint
            self.OIDC_OP_JWKS_ENDPOINT = self.meta.jwks_uri
            self.OIDC_RP_CLIENT_ID = found.client_id
            self.OIDC_RP_CLIENT_SECRET = found.client_secret()
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except sso.ToConfirm as first:
            request.sso_to_confirm = first  # the callback asks for the code sent to the address
            logger.info("Single sign-on: a first sign-in to confirm, %s", first)
        except sso.Refusal as refusal:
            request.sso_refusal = refusal.reason
            logger.warning("Single sign-on refused: %s", refusal)
        except (SuspiciousOperation, requests.RequestException, ValueError) as error:
            # The token endpoint said no (an unknown or used code), or answered nonsense.
            request.sso_refusal = sso.FAILED
            logger.warning("Single sign-on failed: %s", error)
        except Exception:
            # Whatever else goes wrong lets nobody in: a sign-in fails closed, and says so.
            request.sso_refusal = sso.FAILED
            logger.exception("Single sign-on failed unexpectedly")
        return None

    def verify_token(self, token, **kwargs):
        assert self.meta is not None and self.provider is not None
        if not isinstance(token, str):
            raise sso.Refusal(sso.FAILED, "signature: the provider sent no ID token")
        return sso.verify_id_token(
            token, self.meta, self.provider.client_id, kwargs.get("nonce") or ""
        )

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's for the same subject."""
        if not self.OIDC_OP_USER_ENDPOINT or not access_token:
            return dict(payload)
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=sso.TIMEOUT,
        )
        response.raise_for_status()
        userinfo = response.json()
        if not isinstance(userinfo, dict):
            raise sso.Refusal(sso.FAILED, "subject: the userinfo is not a JSON object")
        return sso.merged_claims(payload, userinfo)

    def get_or_create_user(self, access_token, id_token, payload):
        assert self.meta is not None
        claims = self.get_userinfo(access_token, id_token, payload)
        assert self.provider is not None
        return sso.person_for(self.meta.issuer, claims, confirm=not self.provider.from_environment)

    def get_user(self, user_id):
        # As a password's session: with the team, and never for someone who has left.
        return EmailBackend().get_user(user_id)


# What the library reads of Django's settings, as Cadence uses it (the rest per sign-in).
SSO_SETTINGS: dict[str, Any] = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_callback",
    "OIDC_VERIFY_SSL": True,
    "OIDC_TIMEOUT": sso.TIMEOUT,
    "OIDC_PROXY": None,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_USE_NONCE": True,
    "OIDC_CREATE_USER": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
}
