"""Run the periodic jobs every app registers (see `cadence.jobs`): from cron every few
minutes, `*/5 * * * * … manage.py run_jobs`. Idempotent and safe to run twice at once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadence.jobs import registered, run_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of every module: schedule the next conversations of every "
        "rhythm, send the reminders that are due (conversations, feedback requests, 360 "
        "reviews), apply confirmed e-mail changes whose time has come. Name jobs to run only "
        "those; --list shows them."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="only these jobs (by default all)")
        parser.add_argument("--list", action="store_true", help="list the jobs and stop")

    def handle(self, *args, names=(), list=False, **options):
        if list:
            for each in registered():
                self.stdout.write(each.name)
            return
        try:
            lines = run_jobs(timezone.now(), names=names)
        except KeyError as error:
            raise CommandError(f"No such job: {error.args[0]}") from error
        for line in lines:
            self.stdout.write(line)
