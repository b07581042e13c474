"""`manage.py import_people FILE [--format NAME [--mapping NAME]] [--dry-run] [--no-invite]`: the
CSV import of the import page, from a shell.

`--format` reads an HR system's own export (`people.presets`): `--help` lists the names.
Workday and `custom` read with a column mapping saved on the import page (`--mapping` names a
custom one).

Prints what the import changes (with -v 2, every row) and the problems in the file; exits with
an error, having written nothing, when there is any. The people added are sent an invitation
e-mail to choose their password (accounts.invitations), unless `--no-invite`; the e-mail goes
out through the background worker (`manage.py db_worker`).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts import invitations
from organisation import scope
from people import importing, presets
from people.models import ImportMapping


class Command(BaseCommand):
    help = "Import people from a CSV file (the columns are described on the import page)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file: UTF-8, comma or semicolon separated.")
        parser.add_argument(
            "--format",
            default=presets.CADENCE,
            choices=presets.FORMAT_NAMES,
            help=(
                "What the file is: the Cadence CSV (the default) or an HR system's own export: "
                + ", ".join(
                    f"{key} ({presets.format_label(key)})" for key in presets.FORMAT_NAMES[1:]
                )
                + "."
            ),
        )
        parser.add_argument(
            "--mapping",
            help="With --format custom: the name of the column mapping saved on the import page.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="Do not e-mail the people added an invitation to choose their password.",
        )

    def handle(self, *args, file, dry_run, no_invite, verbosity, **options):
        reader = self.reader(options["format"], options.get("mapping"))
        path = Path(file)
        try:
            if path.stat().st_size > importing.MAX_BYTES:
                raise CommandError("The file is larger than 5 MB: split it into several files.")
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        plan = importing.import_people(data, dry_run=dry_run, file_name=path.name, reader=reader)
        for warning in plan.warnings:
            self.stderr.write(f"Warning: {warning}")
        if not plan.is_valid:
            for problem in plan.errors:
                self.stderr.write(str(problem))
            looks_like = presets.guess(plan.text) if reader is importing.parse else None
            if looks_like is not None:
                self.stderr.write(
                    f"This looks like a {looks_like.label} export: try --format {looks_like.key}."
                )
            raise CommandError(f"The file has {len(plan.errors)} problem(s): nothing was imported.")
        self.stdout.write(plan.summary())
        for team in plan.new_teams:
            self.stdout.write(f"New team: {team.label}")
        for role in plan.new_roles:
            self.stdout.write(f"New role: {role}")
        if verbosity >= 2:
            for row in plan.changed:
                changes = "; ".join(
                    f"{c.column}: {c.old or '—'} → {c.new or '—'}" for c in row.changes
                )
                self.stdout.write(f"Row {row.row} {row.action} {row.email}: {changes}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif plan.has_changes:
            self.stdout.write(self.style.SUCCESS("Imported."))
            if plan.created and not no_invite:
                inside, outside = scope.inside(importing.created_people(plan))
                invited = invitations.invite(inside, by=None)
                self.stdout.write(
                    f"Invitations queued for {len(invited)} people added "
                    "(sent by the background worker, manage.py db_worker)."
                )
                if outside:
                    self.stdout.write(
                        f"Not invited: {len(outside)} people added outside the pilot teams."
                    )
        else:
            self.stdout.write("Nothing to import: everything is up to date.")

    def reader(self, key, mapping_name):
        if mapping_name and key != presets.CUSTOM:
            raise CommandError("--mapping goes with --format custom.")
        mapping = None
        if key == presets.WORKDAY.key:
            mapping = ImportMapping.objects.filter(system=ImportMapping.System.WORKDAY).first()
        elif key == presets.CUSTOM:
            if not mapping_name:
                raise CommandError("--format custom needs --mapping NAME.")
            mapping = ImportMapping.objects.filter(
                name=mapping_name, system=ImportMapping.System.OTHER
            ).first()
            if mapping is None:
                names = ", ".join(
                    ImportMapping.objects.filter(system=ImportMapping.System.OTHER).values_list(
                        "name", flat=True
                    )
                )
                raise CommandError(
                    f"No column mapping named {mapping_name!r}. Saved: {names or 'none'}."
                )
        try:
            return presets.reader(key, mapping)
        except presets.MappingMissing:
            raise CommandError(
                "Save the columns of your Workday report on the import page first "
                "(People → Import from CSV → Column mappings)."
            ) from None
