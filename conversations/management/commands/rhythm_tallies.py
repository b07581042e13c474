"""Check rhythm health's tallies against the conversations, and recount them if they differ.

Database triggers keep the tallies exact, so this finds nothing unless they were bypassed (a
restore of the tables without their triggers, a bulk load that did not rebuild). Safe to run at
any time and as often as wanted; `--rebuild` recounts even when nothing differs.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from conversations import tally


class Command(BaseCommand):
    help = "Check rhythm health's tallies and recount them when they differ from the conversations."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recount in any case")

    def handle(self, *args, rebuild: bool, **options):
        with transaction.atomic():
            wrong = tally.differences()
            if wrong or rebuild:
                tally.install()
                tally.rebuild()
        if wrong:
            self.stdout.write(f"{len(wrong)} tallies differed from the conversations: recounted.")
        elif rebuild:
            self.stdout.write("The tallies were right; recounted anyway.")
        else:
            self.stdout.write("The tallies match the conversations.")
