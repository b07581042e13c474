"""Sign in with e-mail and password; people who have left cannot sign in.

Every sign-in that comes with a request (the sign-in page, the admin's, and the current
password asked when changing it) is throttled here (`accounts/throttle.py`): while the attempt
must wait, no password is checked at all.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import throttle


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
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            throttle.release(reservation)
            throttle.record_success(attempt)
        else:
            throttle.prune()  # the failure stays; those that no longer count go
        return user

    def get_user(self, user_id):
        """The signed-in person with their team, which the visibility rules read on most pages
        (one query instead of two)."""
        user = get_user_model()._default_manager.select_related("team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.has_left
