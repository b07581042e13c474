"""`manage.py verify_audit [--head] [--expect COUNT:HASH]`: walk the audit log's chain.

Prints how many entries it checked and, when the chain does not hold, the first broken link
(the entry's id and why), exiting with status 1. `--head` also prints where the chain ends
("Head: COUNT:HASH"): keep that line somewhere the database's administrators cannot write (a
ticket, a log collector, another server), and pass it back later as `--expect COUNT:HASH`,
which fails when that entry is no longer in the chain (the log was rewritten from there on).
"""

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trust import audit


def kept_head(value: str) -> tuple[int, str]:
    count, _, hash_ = value.partition(":")
    if not count.isdigit() or len(hash_) != 64:
        raise ArgumentTypeError("give the head as COUNT:HASH, as --head prints it")
    return int(count), hash_.lower()


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--head", action="store_true", help="Also print where the chain ends, to keep."
        )
        parser.add_argument(
            "--expect",
            type=kept_head,
            metavar="COUNT:HASH",
            help="A head printed earlier by --head: it must still be in the chain.",
        )

    def handle(
        self, *args: Any, head: bool, expect: tuple[int, str] | None, **options: Any
    ) -> None:
        current = audit.head()  # before the walk: the head verify checks the chain against
        checked, broken = audit.verify(expect=expect)
        self.stdout.write(f"Checked {checked} audit log entries.")
        if broken is not None:
            where = f"entry {broken.entry_id}" if broken.entry_id is not None else "the chain"
            raise CommandError(f"Broken link at {where}: {broken.reason}.")
        if head:
            self.stdout.write(f"Head: {current[0]}:{current[1]}")
        self.stdout.write(self.style.SUCCESS("The chain holds."))
