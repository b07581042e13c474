"""`manage.py framework export FILE` and `manage.py framework import FILE [--note …]
[--dry-run]`: the competency framework's file, from a shell, through the same code as the
pages (`growth.document`, `growth.services`). `-` is standard output or input.

An import prints the problems of the file (each with its line) and exits with an error having
published nothing, or prints what changes and publishes the next version (not by anyone in
the app: the audit log names no one).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadence.refusals import Conflict, Refused
from growth import document, queries, services


class Command(BaseCommand):
    help = "Export the current competency framework as YAML, or import a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("export", "import"))
        parser.add_argument("file", help="The YAML file (- for standard output or input).")
        parser.add_argument("--note", default="", help="Import: a note for the version history.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Import: show what would change; publish nothing.",
        )

    def handle(self, *args: Any, action: str, file: str, note: str, dry_run: bool, **options: Any):
        if action == "export":
            return self.export(file)
        return self.import_(file, note, dry_run)

    def export(self, file: str) -> None:
        framework = queries.current()
        if framework is None:
            raise CommandError("There is no framework yet: import one first.")
        text = document.write(framework.document())
        if file == "-":
            self.stdout.write(text, ending="")
        else:
            Path(file).write_text(text, encoding="utf-8")
            self.stdout.write(f"Version {framework.version.number} written to {file}.")

    def import_(self, file: str, note: str, dry_run: bool) -> None:
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            prepared = services.prepare(text)
        except document.Invalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"The file has {len(invalid.problems)} problem(s): nothing was published."
            ) from None
        changes = prepared.changes
        if not changes.any:
            self.stdout.write("The file is the current version as it is: nothing to publish.")
            return
        for kind in ("added", "changed", "retired"):
            for competency in getattr(changes, kind):
                self.stdout.write(f"{kind.capitalize()}: {competency.key}")
        for old, new in changes.renamed:
            self.stdout.write(f"Renamed: {old.key} → {new.key} ({old.name} → {new.name})")
        for olds, new in changes.merged:
            self.stdout.write(f"Merged: {' + '.join(o.key for o in olds)} → {new.key}")
        for old, news in changes.split:
            self.stdout.write(f"Split: {old.key} → {', '.join(n.key for n in news)}")
        for profile in changes.profiles:
            self.stdout.write(f"Role profile {profile.kind}: {profile.track} {profile.level}")
        for role in prepared.new_roles:
            self.stdout.write(f"New role: {role}")
        if dry_run:
            self.stdout.write("Dry run: nothing was published.")
            return
        try:
            version = services.publish_as(None, text, note=note, base=prepared.base)
        except (Refused, Conflict) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Version {version.number} published."))
