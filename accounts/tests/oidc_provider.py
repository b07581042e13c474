"""A real OpenID Connect provider for the tests, on this machine: oidc-provider-mock's Flask app
(authlib underneath: discovery, JWKS, the authorization code flow with nonces, userinfo) served
by werkzeug on a free port in a thread, with a client registered for Cadence's callback as the
test client addresses it (http://testserver/accounts/sso/callback/).

`Provider.sign_in(client, sub, …)` walks a whole sign-in as a browser would: Cadence's start,
the provider's consent (posted as the person), the provider's redirect back to Cadence's
callback; each step can be tampered with (`authorize`, `swap`) to play an attacker or a
provider that misbehaves.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import oidc_provider_mock
import requests
import werkzeug.serving
from django.urls import reverse

CALLBACK = "http://testserver/accounts/sso/callback/"
CONFIRM = "/accounts/sso/confirm/"


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    # Another application registered at the same provider (for tokens issued to it).
    other_id: str
    other_secret: str
    # While set: the token endpoint is asked with these credentials instead of Cadence's.
    swap: tuple[str, str] | None = field(default=None)

    def set_user(self, sub: str, **claims: Any) -> None:
        """The person `sub` at the provider, with these claims (email, email_verified…)."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text

    def start(self, client, **query):
        """Cadence's start: the redirect to the provider's authorization endpoint."""
        return client.get(reverse("accounts:sso_start"), query)

    def consent(self, authorize_url: str, sub: str, *, deny: bool = False) -> str:
        """The provider's page, answered as `sub`: the address it sends the browser back to."""
        form = {"action": "deny"} if deny else {"sub": sub}
        response = requests.post(authorize_url, data=form, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def sign_in(
        self,
        client,
        sub: str,
        *,
        authorize: Callable[[str], str] = lambda url: url,
        deny: bool = False,
        code: bool = True,
        **query,
    ):
        """A whole sign-in: Cadence's answer to the provider's redirect back (or to its start,
        when that does not send the browser to the provider). A first sign-in that asks for
        the code e-mailed to the person (`accounts.sso_link`) is answered with it, unless
        `code` is False."""
        started = self.start(client, **query)
        if started.status_code != 302 or not started["Location"].startswith(self.issuer):
            return started
        back = self.consent(authorize(started["Location"]), sub, deny=deny)
        answered = follow(client, back)
        if code and answered.status_code == 302 and answered["Location"] == CONFIRM:
            return client.post(CONFIRM, {"code": emailed_code()})
        return answered


def emailed_code() -> str:
    """The code of the last e-mail that asks to confirm a first sign-in."""
    from django.core import mail

    (body,) = [str(message.body) for message in mail.outbox[-1:]]
    found = re.search(r"^ {4}(\d{4} \d{4})$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


def follow(client, url: str):
    """Request, with the test client, an address of Cadence's the provider sent the browser to."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK, url
    return client.get(f"{parts.path}?{parts.query}")


def with_query(url: str, **changes: str) -> str:
    """`url` with some of its query's values changed."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@contextmanager
def running_provider(
    *, token_max_age: timedelta = timedelta(hours=1), callback: str = CALLBACK
) -> Iterator[Provider]:
    """A provider on a free port of localhost while the context lasts, with Cadence registered
    for `callback` (a live server's, for a browser)."""
    app = oidc_provider_mock.app(
        require_client_registration=True, require_nonce=True, access_token_max_age=token_max_age
    )
    inner = app.wsgi_app
    holder: dict[str, Provider] = {}

    def tampering(environ, start_response):
        provider = holder.get("provider")
        if provider is not None and provider.swap and environ.get("PATH_INFO") == "/oauth2/token":
            environ["HTTP_AUTHORIZATION"] = _basic(*provider.swap)
        return inner(environ, start_response)

    app.wsgi_app = tampering
    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        issuer = f"http://localhost:{server.server_port}"
        cadence = _register(issuer, callback)
        other = _register(issuer, callback)
        provider = Provider(issuer, *cadence, *other)
        holder["provider"] = provider
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _register(issuer: str, callback: str) -> tuple[str, str]:
    response = requests.post(
        f"{issuer}/oauth2/clients",
        json={"redirect_uris": [callback], "token_endpoint_auth_method": "client_secret_basic"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body["client_id"], body["client_secret"]
