"""The test client the suite uses: it enforces CSRF, as the real site does, and sends the
token the way a browser does.

Django's own test client skips the CSRF check, so nothing would notice a form without
`{% csrf_token %}` or an API write that a session could make without the token. This client
turns the check on (`enforce_csrf_checks=True`): the CSRF middleware and django-ninja's check for
session-authenticated API writes run on every request. Like a browser showing a page first, it
holds the CSRF cookie the site gave it (or gets one the way the site hands them out, when the
test goes straight to a write) and sends the token back in the `X-CSRFToken` header, as htmx
does, on every unsafe request. A test about a write without the token uses a plain
`Client(enforce_csrf_checks=True)`, or passes its own `HTTP_X_CSRFTOKEN`.
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import Client

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BrowserClient(Client):
    def __init__(self, *args, **defaults):
        super().__init__(*args, enforce_csrf_checks=True, **defaults)

    def csrf_token(self) -> str:
        """The token for the CSRF cookie this client holds, minting the cookie if it has none."""
        request = HttpRequest()
        cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        if cookie is not None and cookie.value:
            request.META["CSRF_COOKIE"] = cookie.value
        token = get_token(request)  # masked, as {% csrf_token %} writes it into a page
        self.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
        return token

    def request(self, **request):
        if (
            request.get("REQUEST_METHOD", "GET").upper() not in SAFE_METHODS
            and "HTTP_X_CSRFTOKEN" not in request
            and "HTTP_X_CSRFTOKEN" not in self.defaults
        ):
            request["HTTP_X_CSRFTOKEN"] = self.csrf_token()
        return super().request(**request)
