"""Sign in with e-mail and password; people who have left cannot sign in.

Every sign-in that comes with a request (the sign-in page, the admin's) is throttled here
(`accounts/throttle.py`): while the attempt must wait, no password is checked at all.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import throttle


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        attempt = throttle.Attempt.of(request, username)
        wait = throttle.wait_before(attempt)
        if wait is not None:
            # For the sign-in form's message; PermissionDenied stops every backend.
            request.sign_in_wait = wait
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            throttle.record_failure(attempt)
        else:
            throttle.record_success(attempt)
        return user

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.has_left
