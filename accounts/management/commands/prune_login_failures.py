"""Forget failed sign-ins that no longer count for throttling (`accounts/throttle.py`).

Failures are also pruned whenever one is recorded; run this from cron so that the addresses
and IP addresses of old attempts are not kept when nobody signs in wrongly for a while. Safe
to run again and beside another copy of itself.
"""

from django.core.management.base import BaseCommand

from accounts import throttle


class Command(BaseCommand):
    help = "Delete failed sign-ins older than LOGIN_FAILURE_WINDOW_MINUTES."

    def handle(self, *args, **options):
        deleted = throttle.prune()
        self.stdout.write(f"{deleted} failed sign-in(s) pruned.")
