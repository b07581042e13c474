"""Sign in with e-mail and password; people who have left cannot sign in."""

from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.has_left
