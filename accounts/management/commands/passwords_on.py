"""Switch passwords back on: end "SSO only" mode in the settings administered in the app
(`accounts.sso`), for when nobody can sign in any more (the identity provider is gone and the
break-glass administrator has left or forgotten their password). Recorded in the audit log, as
done by the server. With OIDC_SSO_ONLY set in the environment, unset it there instead.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import services


class Command(BaseCommand):
    help = 'Switch "SSO only" off: people may sign in with their passwords again.'

    def handle(self, *args, **options):
        if settings.OIDC:
            raise CommandError(
                "Single sign-on is set in the environment (OIDC_ISSUER): unset OIDC_SSO_ONLY there."
            )
        if services.passwords_back_on():
            self.stdout.write('"SSO only" is off: passwords work again.')
        else:
            self.stdout.write('"SSO only" was not on: nothing changed.')
