"""API authentication: personal tokens (Bearer) and the browser session (with CSRF)."""

from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        person = ApiToken.authenticate(token)
        if person is not None:
            request.user = person
        return person


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token, as for forms."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active and not user.has_left:
            return user
        return None
