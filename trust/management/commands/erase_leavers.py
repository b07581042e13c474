"""Anonymise the people who left longer ago than the retention period (`trust.erasure`).

Run daily from cron. Safe to run again and beside another copy of itself: each person is
erased in a transaction of their own, with their row locked, and someone anonymised already is
skipped. `--dry-run` says who would be anonymised and how many rows of each table would
change, and changes nothing. Its output names people; a real run's names them by id only, so
that the log does not keep the names it erased.
"""

from django.core.management.base import BaseCommand, CommandError

from cadence.jobs import retrying
from trust import erasure


class Command(BaseCommand):
    help = "Anonymise the people who left longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would be anonymised and what would change; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        months = erasure.erase_after_months()
        due = list(erasure.due().only("pk", "name", "leave_date"))
        done = failed = 0
        for person in due:
            try:
                result = retrying(erasure.erase, person, dry_run=dry_run)
            except erasure.NotErasable as postponed:
                self.stdout.write(f"Person {person.pk}: not now. {postponed.message}")
                continue
            except Exception as error:  # one person's failure does not stop the others
                failed += 1
                self.stderr.write(f"Person {person.pk} could not be anonymised: {error!r}")
                continue
            if not result.done:
                continue
            done += 1
            who = f"{person.pk} ({result.name})" if dry_run else str(person.pk)
            verb = "Would anonymise" if dry_run else "Anonymised"
            self.stdout.write(
                f"{verb} person {who}, who left on {person.leave_date:%Y-%m-%d}: "
                f"{result.total} rows"
            )
            for table, rows in result.rows.items():
                self.stdout.write(f"  {table}: {rows}")
            if result.audit_entries:
                self.stdout.write(f"  audit log entries redacted: {result.audit_entries}")
        people = "person" if done == 1 else "people"
        if dry_run:
            self.stdout.write(
                f"Would anonymise {done} {people} who left over {months} months ago; "
                "nothing was changed."
            )
        else:
            self.stdout.write(f"Anonymised {done} {people} who left over {months} months ago.")
        if failed:
            raise CommandError(f"{failed} could not be anonymised (above).")
