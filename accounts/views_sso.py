"""Signing in with the organisation's identity provider (`accounts.sso`): the button's start
and the provider's answer, mozilla-django-oidc's views configured from `accounts.sso`.

Both answer 404 while single sign-on is off. Whoever is signed in already goes Home: the
answer of a provider never signs anyone out nor in over a session. The callback refuses,
with the reason on the sign-in page, a state it did not hand out to this browser, one used
already (a replay) or older than `sso.STATE_SECONDS`, an error from the provider, and whatever
the backend refuses (`accounts.backends.SsoBackend`). Each refusal counts as a failed sign-in
of the client (`throttle.record_client_failure`), and a client that must wait is answered as
the password form answers it: 429, with Retry-After, before anything is asked of the
provider. A sign-in lists the session (`accounts.sessions`) and trusts the browser for the
person's address (`throttle.remember_device`), as a password's does.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import sso, sso_link, throttle
from accounts.forms import SsoCodeForm

logger = logging.getLogger("accounts.sso")


def _throttled(request: HttpRequest, wait: Any) -> HttpResponseBase:
    """The sign-in page with the wait, as the password form answers a client that must wait."""
    from accounts.views import SignInView

    messages.error(request, throttle.wait_message(wait))
    response = SignInView.as_view()(request)
    response.status_code = 429
    response["Retry-After"] = str(math.ceil(wait.total_seconds()))
    return response


def _gate(request: HttpRequest) -> tuple[sso.Provider, HttpResponseBase | None]:
    """The provider in force (404 while single sign-on is off), and the answer instead of the
    step asked for, if any: Home for whoever is signed in already, 429 for a client that must
    wait."""
    found = sso.provider()
    if found is None:
        raise Http404
    if request.user.is_authenticated:
        return found, redirect("home")
    wait = throttle.client_wait(request)
    if wait is not None:
        return found, _throttled(request, wait)
    return found, None


def _refused(request: HttpRequest, reason: str, found: sso.Provider | None) -> HttpResponse:
    """Back to the sign-in page, saying why; a failed sign-in of the client."""
    throttle.record_client_failure(request)
    messages.error(request, sso.message(reason, found))
    return redirect("accounts:login")


# What the library reads of Django's settings for the start, as Cadence uses it.
START_SETTINGS: dict[str, Any] = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_callback",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
}


class SsoStartView(OIDCAuthenticationRequestView):
    """The button "Sign in with …": to the provider, with a new state, nonce and PKCE
    verifier kept in the session; `next` (an address of this site only) is where to go
    after."""

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the provider's endpoint from Django's settings here; see `get`.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)
        self.provider: sso.Provider | None = None

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in START_SETTINGS:
            return START_SETTINGS[attr]
        if attr == "OIDC_RP_SCOPES" and self.provider is not None:
            return self.provider.scopes
        return super().get_settings(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        found, answer = _gate(request)
        if answer is not None:
            return answer
        try:
            meta = sso.metadata(found)
        except sso.Refusal as refusal:
            logger.warning("Single sign-on cannot start: %s", refusal)
            return _refused(request, refusal.reason, found)
        self.provider = found
        self.OIDC_OP_AUTH_ENDPOINT = meta.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = found.client_id
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: the code exchanged for the tokens, checked, and the person
    signed in (`accounts.backends.SsoBackend`); or back to the sign-in page, saying why."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        found, answer = _gate(request)
        if answer is not None:
            return answer
        self.found = found
        state = request.GET.get("state", "")
        states = request.session.get("oidc_states")
        states = states if isinstance(states, dict) else {}
        if "error" in request.GET:
            if states.pop(state, None) is not None:
                request.session["oidc_states"] = states  # the state is used up: no replay
            logger.warning("Single sign-on: the provider answered %r", request.GET["error"])
            return _refused(request, sso.CANCELLED, found)
        started = states.get(state)
        if not request.GET.get("code") or not isinstance(started, dict):
            logger.warning("Single sign-on refused: an unknown or used state")
            return _refused(request, sso.STATE, found)
        if time.time() - float(started.get("added_on") or 0) > sso.STATE_SECONDS:
            del states[state]
            request.session["oidc_states"] = states
            logger.warning("Single sign-on refused: the state has expired")
            return _refused(request, sso.STATE, found)
        # The library uses the state up (before asking the provider), then signs in.
        response: HttpResponse = super().get(request)
        return response

    def login_failure(self) -> HttpResponse:
        first = getattr(self.request, "sso_to_confirm", None)
        if isinstance(first, sso.ToConfirm):
            sso_link.start(self.request, first, self.found)
            return redirect("accounts:sso_confirm")
        reason = getattr(self.request, "sso_refusal", None) or sso.FAILED
        return _refused(self.request, reason, self.found)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session.pop("oidc_login_next", None)
        throttle.remember_device(self.request, response, self.user.email)
        return response


def sso_confirm(request: HttpRequest) -> HttpResponseBase:
    """A first sign-in with the provider configured in the app, waiting for the code e-mailed to
    the person (`accounts.sso_link`): the code typed, the account linked and signed in. A wrong
    code is a failed sign-in of the client, as a refusal is."""
    found, answer = _gate(request)
    if answer is not None:
        return answer
    kept = sso_link.waiting(request)
    form = SsoCodeForm(request.POST if request.method == "POST" else None)
    if kept is not None and form.is_valid():
        outcome = sso_link.confirm(request, form.cleaned_data["code"])
        if not isinstance(outcome, str):
            return _linked(request, outcome)
        throttle.record_client_failure(request)
        kept = sso_link.waiting(request)
        if kept is not None:
            form.add_error(
                "code",
                ngettext(
                    "That is not the code in the e-mail. %(count)s try left.",
                    "That is not the code in the e-mail. %(count)s tries left.",
                    kept.tries_left,
                )
                % {"count": kept.tries_left},
            )
    context = {
        "waiting": kept,
        "form": form,
        "provider": found,
        "minutes": sso_link.CONFIRM_SECONDS // 60,
    }
    return render(request, "accounts/sso_confirm.html", context)


def _linked(request: HttpRequest, person: Any) -> HttpResponseBase:
    """Signed in as after the provider's answer: on to the page asked for on this site, the
    session listed and the browser trusted for the address."""
    login(request, person, backend="accounts.backends.SsoBackend")
    asked = request.session.pop("oidc_login_next", None)
    safe = isinstance(asked, str) and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = redirect(asked if safe else "home")
    throttle.remember_device(request, response, person.email)
    return response
