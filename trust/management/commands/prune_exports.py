"""Delete exports of personal data whose download link has expired (`EXPORT_DAYS`), and those
that failed or never started long ago (`trust.services_export.prune`).

`run_jobs` does the same every few minutes (the job "exports"); this command is for running it
alone. Safe to run again and beside another copy of itself.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from trust import services_export


class Command(BaseCommand):
    help = "Delete exports of personal data whose link has expired."

    def handle(self, *args, **options):
        deleted = services_export.prune(timezone.now())
        self.stdout.write(f"{deleted} export(s) deleted.")
