"""Delete access-log entries older than the retention period (`TrustSettings.access_log_months`,
24 months unless the organisation chose otherwise), a batch at a time.

`manage.py run_jobs` does the same every few minutes (its `access-log` job, README "Background
work and cron"); this command does it alone. Safe to run again and beside another copy of
itself; `--dry-run` says how many it would delete and deletes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from trust import access_log
from trust.models import TrustSettings


class Command(BaseCommand):
    help = "Delete access-log entries older than the retention period (trust settings)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say how many would go, delete nothing"
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="entries deleted per statement (5000)"
        )

    def handle(self, *args, dry_run=False, batch=5000, **options):
        months = TrustSettings.load().access_log_months
        now = timezone.now()
        before = access_log.cutoff(now)
        count = access_log.prune(now, dry_run=dry_run, batch=max(1, batch))
        when = before.isoformat(timespec="seconds")
        if dry_run:
            self.stdout.write(
                f"{count} access-log entries from before {when} ({months} months) would be "
                "deleted (dry run: nothing deleted)."
            )
        else:
            self.stdout.write(
                f"{count} access-log entries from before {when} ({months} months) deleted."
            )
