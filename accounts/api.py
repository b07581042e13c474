"""API authentication: personal tokens (Bearer) and the browser session (with CSRF)."""

from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from access.viewer import Viewer
from accounts.models import ApiToken
from organisation import scope


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        person = ApiToken.authenticate(token)
        if person is not None:
            request.user = person
            # A module's routes answer 404 outside the pilot scope, as they do to a session
            # (`organisation.middleware`, which runs before the token is known).
            refusal = scope.refusal(request.path_info, Viewer.of(person))
            if refusal is not None:
                raise HttpError(404, refusal)
        return person


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token, as for forms."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        # The CSRF check looks for the token among the fields of a form-encoded body, which
        # reads a multipart body off the stream for good: read it first, so that the endpoint
        # can still read the body as JSON (and answer 400 for a form), never a 500.
        request.body  # noqa: B018 - reading caches it
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active and not user.has_left:
            return user
        return None
