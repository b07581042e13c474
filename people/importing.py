"""Import people from CSV: parse → validate and plan → apply.

Plain functions and classes with no request in sight, shared by the import page and
`manage.py import_people`. A run reads the file, checks every row against the file itself and
against what is stored, and makes a plan: who is created, who is updated (which fields, old →
new), who is unchanged, which teams and roles are created. Applying a plan writes it in one
transaction; any error in the file means nothing is written.

Rows are numbered as a spreadsheet shows them: the header is row 1.

Cells: a column left out of the file keeps what is stored; an empty cell clears the value.
People are found by e-mail address, in any case, so importing the same file twice changes
nothing the second time.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import StrOrPromise

from cadence import events
from organisation import current
from organisation.services import following_moves
from people import audit as person_audit
from people.models import Person, Role, Team, ids_in
from people.reporting import (
    REFUSAL,
    SELF_MOVE_REFUSAL,
    TEAM_MATE_REFUSAL,
    announce_manager_changes,
    runs_through_editor,
)
from trust import audit

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_LEVEL = 32767  # PositiveSmallIntegerField
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: StrOrPromise
    example: str


COLUMNS = (
    Column(
        "email",
        True,
        gettext_lazy(
            "Work e-mail address: identifies the person. Someone already in Cadence with this "
            "address (upper or lower case alike) is updated; anyone else is added and is sent an "
            "invitation e-mail to choose a password."
        ),
        "alice@example.com",
    ),
    Column("name", True, gettext_lazy("Full name."), "Alice Example"),
    Column("job_title", False, gettext_lazy("Job title, as the directory shows it."), "Engineer"),
    Column(
        "role",
        False,
        gettext_lazy("Job role, by name. A role that does not exist yet is created."),
        "Software engineer",
    ),
    Column("level", False, gettext_lazy("Level: a whole number, 0 or more."), "2"),
    Column(
        "team",
        False,
        gettext_lazy(
            "Team name, or the end of its path with “/” between the names when names repeat. "
            "A team that does not exist is created below the deepest part of the path that "
            "exists, otherwise at the top."
        ),
        "Engineering/Platform",
    ),
    Column(
        "manager_email",
        False,
        gettext_lazy(
            "The manager's e-mail address: someone already in Cadence or on any row of this "
            "file. Empty for the top of the organisation."
        ),
        "carol@example.com",
    ),
    Column("start_date", False, gettext_lazy("First working day, as YYYY-MM-DD."), "2024-03-01"),
    Column(
        "leave_date",
        False,
        gettext_lazy("Last working day, as YYYY-MM-DD. Empty while they work here."),
        "",
    ),
    Column(
        "active",
        False,
        gettext_lazy(
            "“yes” or “no”: “no” turns their account off (a suspended or disabled account): "
            "they cannot sign in and their sessions and API tokens stop working, but they have "
            "not left. “yes” or empty turns it on again."
        ),
        "yes",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = tuple(column.name for column in COLUMNS if column.required)
TEMPLATE_ROWS = (
    (
        "carol@example.com",
        "Carol Example",
        "VP Engineering",
        "Engineering leader",
        "6",
        "Engineering",
        "",
        "2019-09-02",
        "",
        "yes",
    ),
    (
        "alice@example.com",
        "Alice Example",
        "Engineer",
        "Software engineer",
        "2",
        "Engineering/Platform",
        "carol@example.com",
        "2024-03-01",
        "",
        "yes",
    ),
)
# Column -> the Person field it sets, and the attribute that holds the value (ids for links).
FIELDS = {
    "name": "name",
    "job_title": "job_title",
    "role": "role",
    "level": "level",
    "team": "team",
    "manager_email": "manager",
    "start_date": "start_date",
    "leave_date": "leave_date",
    "active": "is_active",
}
ATTNAMES = {**FIELDS, "role": "role_id", "team": "team_id", "manager_email": "manager_id"}
LENGTHS = {"email": 254, "name": 150, "job_title": 150, "role": 120}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def template_csv() -> str:
    """The columns and two example rows, with a BOM so that spreadsheets read it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerows(TEMPLATE_ROWS)
    return "\ufeff" + out.getvalue()


# --- Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """A problem in the file: at a row (header = 1) and column, or in the file as a whole."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row is None:
            if self.column:
                return f"{self.column}: {self.message}"
            return self.message
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str


@dataclass
class PlannedRow:
    row: int
    email: str
    name: str = ""
    action: str = UNCHANGED
    changes: list[Change] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # column -> cleaned value (keys for links)
    person_id: int | None = None


@dataclass(eq=False)
class NewTeam:
    name: str
    parent: int | NewTeam | None
    label: str


@dataclass
class Plan:
    columns: list[str] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # What the reader left out or could not use without stopping the import (a guest account
    # skipped, an export without reporting lines): shown with the preview.
    warnings: list[RowError] = field(default_factory=list)
    new_teams: list[NewTeam] = field(default_factory=list)
    new_roles: list[str] = field(default_factory=list)
    person_ids: dict[str, int] = field(default_factory=dict)  # stored people, by e-mail
    text: str = ""
    source: str = ""  # the format the file was read as (`ParsedFile.source`)
    applied: bool = False
    stale: bool = False  # the stored data changed since the plan that was confirmed

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def _with(self, action):
        return [row for row in self.rows if row.action == action]

    @property
    def created(self):
        return self._with(CREATE)

    @property
    def updated(self):
        return self._with(UPDATE)

    @property
    def unchanged(self):
        return self._with(UNCHANGED)

    @property
    def changed(self):
        return [row for row in self.rows if row.action != UNCHANGED]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.new_teams or self.new_roles)

    @property
    def fingerprint(self) -> str:
        """Identifies what the plan would write: a confirmation applies only the same plan."""
        content = [
            [[r.email, r.action, [[c.column, c.old, c.new] for c in r.changes]] for r in self.rows],
            [team.label for team in self.new_teams],
            self.new_roles,
        ]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()

    def summary(self) -> str:
        people = _("%(created)s to add, %(updated)s to update, %(unchanged)s unchanged") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }
        teams = ngettext("%(count)s new team", "%(count)s new teams", len(self.new_teams)) % {
            "count": len(self.new_teams)
        }
        roles = ngettext("%(count)s new role", "%(count)s new roles", len(self.new_roles)) % {
            "count": len(self.new_roles)
        }
        return f"{people}; {teams}, {roles}."


# --- Parse ----------------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    """What the planner plans: rows of the import's columns (`COLUMN_NAMES`, values as text, as
    the Cadence CSV writes them), each with its number in the source. Any reader makes one: the
    Cadence CSV (`parse`), an HR system's export (`people.presets`), or a provisioning request.

    `columns`: the columns the source sets (any other keeps what is stored; so does a row
    without one of them, where a file's row would have an empty cell). `labels`: each
    column's name in the source, for the errors (an export's "Supervisor EID" rather than
    `manager_email`). `warnings`: rows or columns the reader left out, said with the preview.
    `source`: what the file was read as, for the audit log ("" for the Cadence CSV).
    """

    text: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    warnings: list[RowError] = field(default_factory=list)
    source: str = ""


def _file_error(message) -> ParsedFile:
    return ParsedFile(errors=[RowError(None, None, message)])


def header_name(cell: str) -> str:
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


# What every reader of a file shares (the Cadence CSV's `parse`, an HR system's export in
# `people.presets`): the same limits, read the same way, said in the same words.


class FileProblem(Exception):
    """The file cannot be read at all (too large, empty, not CSV, too many rows): the message
    is the import's only error."""


def too_big() -> str:
    return _("The file is larger than 5 MB: split it into several files.")


def check_size(source: bytes | str) -> None:
    """`FileProblem` for a file over `MAX_BYTES` (before decoding it, for bytes)."""
    if len(source) > MAX_BYTES:
        raise FileProblem(too_big())


def check_text(text: str) -> None:
    """`FileProblem` for decoded text no reader reads: too large, empty, or not text."""
    check_size(text)
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    if "\x00" in text:
        raise FileProblem(_("The file is not a CSV file."))


def records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The file's lines that hold a value, as cells, each with its row number in the file;
    `FileProblem` where it stops being CSV."""
    number = 0
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            if any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as error:
        raise FileProblem(
            _("Row %(row)s: the file cannot be read as CSV (%(error)s).")
            % {"row": number + 1, "error": error}
        ) from None


def check_row_count(rows_read: int) -> None:
    """`FileProblem` before reading a row beyond `MAX_ROWS` (`rows_read`: those below the
    header so far)."""
    if rows_read == MAX_ROWS:
        raise FileProblem(
            _("The file has more than %(max)s rows: split it into several files.")
            % {"max": f"{MAX_ROWS:,}"}
        )


def extra_values(number: int, cells: list[str], width: int) -> RowError | None:
    """The error of a row with values beyond the header's `width` columns."""
    if not any(cell.strip() for cell in cells[width:]):
        return None
    return RowError(
        number,
        None,
        _(
            "This row has more values than the header has columns. Does a value with a comma "
            "or semicolon lack quotes?"
        ),
    )


def no_rows() -> RowError:
    return RowError(None, None, _("The file has a header but no rows: add one row per person."))


def parse(source: bytes | str) -> ParsedFile:
    """Read the CSV: UTF-8 with or without BOM, comma or semicolon, one header row."""
    try:
        return _parse(source)
    except FileProblem as problem:
        return _file_error(str(problem))


def _parse(source: bytes | str) -> ParsedFile:
    if isinstance(source, bytes):
        check_size(source)
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileProblem(
                _("The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8”.")
            ) from None
    else:
        text = source.removeprefix("\ufeff")
    check_text(text)
    header_line = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    parsed = ParsedFile(text=text)
    names = None
    for number, cells in records(text, delimiter):
        if names is None:
            names = _read_header(parsed, number, cells)
            if parsed.errors:
                return parsed
            continue
        check_row_count(len(parsed.rows))
        parsed.rows.append((number, _read_row(parsed, number, names, cells)))
    if not parsed.rows:
        parsed.errors.append(no_rows())
    return parsed


def _read_header(parsed: ParsedFile, number: int, cells: list[str]) -> list[str]:
    names = [header_name(cell) for cell in cells]
    seen = set()
    for cell, name in zip(cells, names, strict=True):
        if not name:
            continue
        if name not in COLUMN_NAMES:
            message = _("This column is unknown. The columns are: %(columns)s.") % {
                "columns": ", ".join(COLUMN_NAMES)
            }
            parsed.errors.append(RowError(number, cell.strip(), message))
        elif name in seen:
            parsed.errors.append(RowError(number, name, _("This column appears twice.")))
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            parsed.errors.append(
                RowError(number, name, _("This column is required but missing from the header."))
            )
    parsed.columns = [name for name in COLUMN_NAMES if name in seen]
    return names


def _read_row(parsed: ParsedFile, number: int, names: list[str], cells: list[str]) -> dict:
    if (error := extra_values(number, cells, len(names))) is not None:
        parsed.errors.append(error)
    values = {}
    for index, name in enumerate(names):
        value = cells[index].strip() if index < len(cells) else ""
        if name:
            values[name] = value
        elif value:
            parsed.errors.append(
                RowError(
                    number,
                    None,
                    _("Column %(index)s has a value but no name in the header.")
                    % {"index": index + 1},
                )
            )
    return values


# --- Validate and plan ------------------------------------------------------------------------


class Organisation:
    """What is stored now, loaded in a few queries however long the file is."""

    PERSON_FIELDS = ("id", "email", *ATTNAMES.values())

    def __init__(self):
        self.people = {p["id"]: p for p in Person.objects.order_by().values(*self.PERSON_FIELDS)}
        self.by_email = {}
        for person in sorted(self.people.values(), key=lambda p: p["id"], reverse=True):
            self.by_email[person["email"].lower()] = person
        self.teams = {t["id"]: t for t in Team.objects.order_by().values("id", "name", "path")}
        self.roles = dict(Role.objects.order_by().values_list("id", "name"))

    def email_of(self, person_id) -> str:
        return self.people[person_id]["email"].lower() if person_id in self.people else ""


class TeamResolver:
    """Finds teams by the end of their path of names; plans the teams that are missing."""

    def __init__(self, teams: dict):
        self.index: defaultdict[tuple[str, ...], list[int | NewTeam]] = defaultdict(list)
        self.labels: dict[int | NewTeam, str] = {}
        self.new: list[NewTeam] = []
        for pk, team in teams.items():
            names = [teams[i]["name"] for i in ids_in(team["path"]) if i in teams] or [team["name"]]
            self._add(pk, names)

    def _add(self, key, names):
        self.labels[key] = "/".join(names)
        folded = tuple(name.casefold() for name in names)
        for start in range(len(folded)):
            self.index[folded[start:]].append(key)

    def resolve(self, parts: list[str]):
        """The key of the team (an id or a NewTeam) or raise ValidationError."""
        folded = tuple(part.casefold() for part in parts)
        base, depth = None, 0
        for depth in range(len(parts), 0, -1):
            found = self.index.get(folded[:depth], [])
            if len(found) > 1:
                raise ValidationError(
                    _("Several teams match “%(value)s”: %(teams)s. Write more of the path.")
                    % {
                        "value": "/".join(parts[:depth]),
                        "teams": ", ".join(sorted(str(self.labels[k]) for k in found)),
                    }
                )
            if found:
                base = found[0]
                break
        else:
            depth = 0
        names = self.labels[base].split("/") if base is not None else []
        for name in parts[depth:]:
            names = [*names, name]
            team = NewTeam(name=name, parent=base, label="/".join(names))
            self.new.append(team)
            self._add(team, names)
            base = team
        return base


def _clean_email(value):
    email = value.lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": value}
        ) from None
    return email


def _clean_level(value):
    if not value:
        return None
    # ASCII digits only: "²" is a digit to `isdigit` but not a number to `int`.
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(
            _("“%(value)s” is not a whole number of 0 or more.") % {"value": value}
        )
    if int(value) > MAX_LEVEL:
        raise ValidationError(_("The level is at most %(max)s.") % {"max": MAX_LEVEL})
    return int(value)


def _clean_date(value):
    if not value:
        return None
    if not DATE.fullmatch(value):
        raise ValidationError(_("“%(value)s” is not a date as YYYY-MM-DD.") % {"value": value})
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("%(value)s does not exist.") % {"value": value}) from None


YES = {"yes", "y", "true", "1", "ja", "j", "active", ""}
NO = {"no", "n", "false", "0", "nee", "nein", "inactive"}


def _clean_active(value):
    folded = value.casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError(_("“%(value)s” is not “yes” or “no”.") % {"value": value})


def _clean_team(value):
    parts = [part.strip() for part in value.split("/") if part.strip()]
    if any(len(part) > 120 for part in parts):
        raise ValidationError(_("A team name is longer than 120 characters."))
    return parts


CLEANERS = {
    "level": _clean_level,
    "start_date": _clean_date,
    "leave_date": _clean_date,
    "team": _clean_team,
    "manager_email": lambda value: _clean_email(value) if value else None,
    "active": _clean_active,
}


def _blank(value) -> bool:
    return value is None or value == ""


class Planner:
    """Validates the rows against each other and against what is stored, and plans."""

    def __init__(self, parsed: ParsedFile, editor: str | None = None):
        self.parsed = parsed
        self.editor = editor  # the importer's e-mail address; None from the server's shell
        self.plan = Plan(
            columns=parsed.columns,
            errors=list(parsed.errors),
            warnings=list(parsed.warnings),
            text=parsed.text,
            source=parsed.source,
        )
        self.org = Organisation()
        self.teams = TeamResolver(self.org.teams)
        self.role_keys = {}
        for pk, name in sorted(self.org.roles.items(), reverse=True):
            self.role_keys[name.casefold()] = pk
        self.by_email: dict[str, PlannedRow] = {}

    def error(self, row, column, message):
        column = self.parsed.labels.get(column, column)  # as the source names it
        self.plan.errors.append(RowError(row, column, str(message)))

    def run(self) -> Plan:
        for number, values in self.parsed.rows:
            self.plan.rows.append(self.clean_row(number, values))
        self.resolve_teams()
        self.resolve_roles()
        self.check_dates()
        self.check_managers()
        self.check_cycles()
        self.check_editor()
        order: dict[str | None, int] = {
            self.parsed.labels.get(name, name): index for index, name in enumerate(COLUMN_NAMES)
        }
        self.plan.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
        if self.plan.is_valid:
            for row in self.plan.rows:
                self.diff(row)
            self.plan.new_teams = self.teams.new
            for email in {*self.by_email, *(r.values.get("manager_email") for r in self.plan.rows)}:
                if email is not None and email in self.org.by_email:
                    self.plan.person_ids[email] = self.org.by_email[email]["id"]
        return self.plan

    def clean_row(self, number, raw) -> PlannedRow:
        row = PlannedRow(row=number, email="", name=raw.get("name", ""))
        for column, value in raw.items():
            try:
                if column in REQUIRED and not value:
                    raise ValidationError(_("This is required."))
                if column in LENGTHS and len(value) > LENGTHS[column]:
                    raise ValidationError(
                        _("This is longer than %(max)s characters.") % {"max": LENGTHS[column]}
                    )
                if column == "email":
                    row.email = _clean_email(value)
                else:
                    row.values[column] = CLEANERS.get(column, str)(value)
            except ValidationError as error:
                self.error(number, column, error.messages[0])
        if row.email:
            first = self.by_email.setdefault(row.email, row)
            if first is not row:
                message = _("This address is also on row %(row)s.") % {"row": first.row}
                self.error(number, "email", message)
            elif row.email in self.org.by_email:
                row.person_id = self.org.by_email[row.email]["id"]
        return row

    def resolve_teams(self):
        # Longest paths first, so that "Platform" finds the "Engineering/Platform" that another
        # row creates, whatever the order of the rows.
        wanted = {}
        for row in self.plan.rows:
            if row.values.get("team"):
                wanted[tuple(part.casefold() for part in row.values["team"])] = row.values["team"]
        keys = {}
        for folded, parts in sorted(wanted.items(), key=lambda item: (-len(item[0]), item[0])):
            try:
                keys[folded] = self.teams.resolve(parts)
            except ValidationError as error:
                keys[folded] = error
        for row in self.plan.rows:
            if "team" not in row.values:
                continue
            parts = row.values["team"]
            key = keys[tuple(part.casefold() for part in parts)] if parts else None
            if isinstance(key, ValidationError):
                self.error(row.row, "team", key.messages[0])
                del row.values["team"]
            else:
                row.values["team"] = key

    def resolve_roles(self):
        for row in self.plan.rows:
            name = row.values.get("role")
            if not name:
                if name == "":
                    row.values["role"] = None
                continue
            key = self.role_keys.setdefault(name.casefold(), name)
            if isinstance(key, str) and key not in self.plan.new_roles:
                self.plan.new_roles.append(key)
            row.values["role"] = key

    def final(self, email, column):
        """A person's value of `column` after the import: from the file, else as stored."""
        row = self.by_email.get(email)
        if row is not None and column in row.values:
            return row.values[column]
        person = self.org.by_email.get(email)
        if person is None:
            return None
        if column == "manager_email":
            return self.org.email_of(person["manager_id"]) or None
        return person[ATTNAMES[column]]

    def check_dates(self):
        for row in self.plan.rows:
            if (
                not {"start_date", "leave_date"} & row.values.keys()
                or row.email not in self.by_email
            ):
                continue
            start, leave = self.final(row.email, "start_date"), self.final(row.email, "leave_date")
            if start and leave and leave < start:
                self.error(row.row, "leave_date", _("The leave date is before the start date."))

    def check_managers(self):
        today = timezone.localdate()
        for row in self.plan.rows:
            manager = row.values.get("manager_email")
            if not manager:
                continue
            problem = None
            if manager == row.email:
                problem = _("A person cannot be their own manager.")
            elif manager not in self.by_email and manager not in self.org.by_email:
                problem = _("Nobody with this e-mail address in the file or the organisation.")
            else:
                left = self.final(manager, "leave_date")
                leave = self.final(row.email, "leave_date") if row.email else None
                if left and left <= today and not (leave and leave <= today):
                    problem = _("%(email)s left on %(date)s: choose a manager who works here.") % {
                        "email": manager,
                        "date": left.isoformat(),
                    }
            if problem:
                self.error(row.row, "manager_email", problem)
                del row.values["manager_email"]

    def check_cycles(self):
        done = set()
        for start in self.by_email:
            path, on_path, email = [], {}, start
            while email and email not in done:
                if email in on_path:
                    self.report_cycle(path[on_path[email] :])
                    break
                on_path[email] = len(path)
                path.append(email)
                email = self.final(email, "manager_email")
            done.update(path)

    def check_editor(self):
        """Whoever imports cannot end up above anyone whose manager the file changes, as their
        manager or higher up, nor move themselves to another team or someone into theirs
        (people.reporting): a place in a chain or a team is a read right."""
        if self.editor is None:
            return
        mine = self.final(self.editor, "team")
        for row in self.plan.rows:
            if row.email == self.editor and row.values.get("active") is False:
                self.error(
                    row.row, "active", _("You cannot turn your own account off: ask another HR.")
                )
            if row.email == self.editor and "team" in row.values:
                stored = self.org.by_email.get(row.email)
                if stored is None or stored[ATTNAMES["team"]] != row.values["team"]:
                    self.error(row.row, "team", SELF_MOVE_REFUSAL)
            elif "team" in row.values and mine is not None and row.values["team"] == mine:
                # Someone moved into the importer's team (someone new has shared nothing yet).
                stored = self.org.by_email.get(row.email)
                if stored is not None and stored[ATTNAMES["team"]] != mine:
                    self.error(row.row, "team", TEAM_MATE_REFUSAL)
            manager = row.values.get("manager_email")
            if not manager or not row.email:
                continue
            stored = self.org.by_email.get(row.email)
            if stored is not None and self.org.email_of(stored["manager_id"]) == manager:
                continue  # unchanged
            if runs_through_editor(
                self.editor, manager, lambda email: self.final(email, "manager_email")
            ):
                self.error(row.row, "manager_email", REFUSAL)

    def report_cycle(self, cycle):
        rows = sorted(self.by_email[email].row for email in cycle if email in self.by_email)
        message = _("Reporting lines would form a cycle: %(cycle)s (rows %(rows)s).") % {
            "cycle": " → ".join([*cycle, cycle[0]]),
            "rows": ", ".join(str(row) for row in rows),
        }
        for email in cycle:
            row = self.by_email.get(email)
            if row is not None and "manager_email" in row.values:
                self.error(row.row, "manager_email", message)

    def display(self, column, value) -> str:
        if _blank(value):
            return ""
        if column == "role" and isinstance(value, int):
            return self.org.roles[value]
        if column == "team":
            return self.teams.labels[value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value)

    def diff(self, row: PlannedRow):
        person = self.org.people.get(row.person_id)
        for column, new in row.values.items():
            if person is None and column == "active" and new is True:
                continue  # as anyone added: only an account added turned off is worth saying
            if person is None:
                old = None
            elif column == "manager_email":
                old = self.org.email_of(person["manager_id"]) or None
            else:
                old = person[ATTNAMES[column]]
            if old == new or (_blank(old) and _blank(new)):
                continue
            row.changes.append(Change(column, self.display(column, old), self.display(column, new)))
        if person is None:
            row.action = CREATE
        elif row.changes:
            row.action = UPDATE


Reader = Callable[[bytes | str], ParsedFile]


def plan_import(
    source: bytes | str | ParsedFile, editor: Person | None = None, reader: Reader = parse
) -> Plan:
    """Check the file and work out what importing it would change; writes nothing. `editor`:
    the person importing (None for the server's shell). `reader` reads the file: the Cadence
    CSV by default, an HR system's export with `people.presets.reader`."""
    parsed = source if isinstance(source, ParsedFile) else reader(source)
    if not parsed.rows:  # the file or its header is unusable: no row to check
        return Plan(
            columns=parsed.columns,
            errors=parsed.errors,
            warnings=parsed.warnings,
            text=parsed.text,
            source=parsed.source,
        )
    return Planner(parsed, editor.email.lower() if editor else None).run()


# --- Apply ----------------------------------------------------------------------------------------


def created_people(plan: Plan) -> list[Person]:
    """The people an applied plan added, for their invitations."""
    emails = [row.email for row in plan.created]
    people: list[Person] = []
    for start in range(0, len(emails), 500):
        people.extend(Person.objects.filter(email__in=emails[start : start + 500]))
    return people


def invitable(rows: list[PlannedRow]) -> list[PlannedRow]:
    """The people a plan adds (`rows`: `plan.created`) who are invited on confirming it, as
    `accounts.invitations.invite` and the pilot decide: not those whose account the file turns
    off, nor those who have left, nor, during a pilot, those outside its teams
    (`organisation.scope.inside`; a team the import creates is inside when the team it is
    made under is). One query during a pilot, none otherwise."""
    today = timezone.localdate()
    kept = [
        row
        for row in rows
        if row.values.get("active") is not False
        and not (row.values.get("leave_date") and row.values["leave_date"] < today)
    ]
    org = current.settings()
    if not org.pilot:
        return kept
    under = [_existing(row.values.get("team")) for row in kept]
    paths: dict[int | None, str] = dict(
        Team.objects.filter(pk__in={pk for pk in under if pk is not None}).values_list("pk", "path")
    )
    return [row for row, team in zip(kept, under, strict=True) if org.in_pilot(paths.get(team))]


def _existing(team: int | NewTeam | None) -> int | None:
    """The stored team a planned team is, or is created under (None: no team, or a new team
    at the top)."""
    while isinstance(team, NewTeam):
        team = team.parent
    return team


def import_people(
    source: bytes | str | ParsedFile,
    *,
    dry_run=False,
    expected: str | None = None,
    editor: Person | None = None,
    file_name: str = "",
    reader: Reader = parse,
) -> Plan:
    """Plan the import and, unless it is a dry run or invalid, apply it in one transaction.
    `source`: a file, read by `reader`, or rows read already (a `ParsedFile`, from any source).

    With `expected`, the fingerprint of the plan someone confirmed, nothing is written when the
    plan comes out differently (someone edited a person meanwhile, say): the new plan comes
    back with `stale` set, for another look. An import that changes something is recorded in
    the audit log in the same transaction (`record_import`), `file_name` with it.
    """
    if dry_run:
        return plan_import(source, editor, reader)
    with transaction.atomic():
        plan = plan_import(source, editor, reader)
        if not plan.is_valid:
            return plan
        if expected is not None and plan.fingerprint != expected:
            plan.stale = True
            return plan
        if plan.has_changes:
            before = person_audit.states(
                (row.person_id for row in plan.updated), account="active" in plan.columns
            )
            # Those it moves into the pilot scope start their rhythm today.
            with following_moves():
                apply_plan(plan)
            record_import(plan, before, editor=editor, file_name=file_name)
        plan.applied = True
    return plan


def record_import(
    plan: Plan, before: dict[int, dict], *, editor: Person | None, file_name: str
) -> None:
    """The audit log's entries for an applied plan: the import itself (the file's name and the
    counts), then one entry per person added or changed, field by field (`before`: the
    changed people's fields as they were). Written in one go (`trust.audit.append`)."""
    created = _ids_by_email([row.email for row in plan.created])
    account = "active" in plan.columns  # whether they may sign in: only when the file says
    after = person_audit.states(
        [*created.values(), *(row.person_id for row in plan.updated)], account=account
    )
    summary = {
        "file": file_name[:200],
        **({"format": plan.source} if plan.source else {}),
        "created": len(plan.created),
        "updated": len(plan.updated),
        "unchanged": len(plan.unchanged),
        "new_teams": len(plan.new_teams),
        "new_roles": len(plan.new_roles),
    }
    if plan.source == "scim":  # each change the identity provider sends, as a one-row import
        head = audit.new_entry("people.provisioned", actor=editor, changes=summary)
    else:
        head = audit.new_entry("people.imported", actor=editor, changes=summary)
    entries = [head]
    for row in plan.created:
        person_id = created[row.email]
        added = {"email": row.email, **after[person_id]}
        if added.get("is_active") is True:  # as anyone added: only an account off is news
            del added["is_active"]
        changes = audit.added(added)
        entries.append(_person_entry("person.added", editor, person_id, changes))
    leaving = []
    for row in plan.updated:
        changes = audit.changes(before[row.person_id], after[row.person_id])
        if changes:
            entries.append(_person_entry("person.changed", editor, row.person_id, changes))
        if "leave_date" in changes and after[row.person_id]["leave_date"] is not None:
            leaving.append(row.person_id)
    audit.append(entries)
    # Told outside Cadence (webhooks) once the import commits.
    events.emit(events.PERSON_ADDED, *created.values())
    events.emit(events.PERSON_LEFT, *leaving)


def _person_entry(action: str, editor: Person | None, person_id: int, changes: dict):
    return audit.new_entry(
        action,
        actor=editor,
        subject=person_id,
        target=f"people.person:{person_id}",
        changes=changes,
    )


@transaction.atomic
def apply_plan(plan: Plan) -> None:
    """Write a valid plan: roles and teams, updates, then new people managers first.

    Chains stay right without a save() per person: the updates are followed by a recompute of
    every chain, and new people are inserted level by level (their managers before them) with
    the chain worked out from their manager's. Someone updated to report to a new person gets
    that manager once it exists, followed by one more recompute.
    """
    if not plan.is_valid:
        raise ValueError("Only a valid plan can be applied.")
    writer = _Writer(plan)
    moved = [row for row in plan.updated if any(c.column == "manager_email" for c in row.changes)]
    old_managers = dict(
        Person.objects.filter(pk__in=[row.person_id for row in moved]).values_list(
            "pk", "manager_id"
        )
    )
    later = []  # (person, manager e-mail) for updated people whose manager is new
    groups = defaultdict(list)
    for row in plan.updated:
        person = writer.person(row, pk=row.person_id)
        if (
            "manager_email" in row.values
            and person.manager_id is None
            and row.values["manager_email"]
        ):
            later.append((person, row.values["manager_email"]))
        groups[tuple(change.column for change in row.changes)].append(person)
    for columns, people in groups.items():  # only the fields that change
        Person.objects.bulk_update(people, [FIELDS[c] for c in columns], batch_size=500)
    chains = recompute_chains()
    zone = current.settings().time_zone
    for level in _levels(plan.created):
        people = [
            writer.person(row, email=row.email, password=make_password(None)) for row in level
        ]
        for person in people:
            person.time_zone = zone  # the organisation's, until they choose their own
            if person.manager_id:
                person.chain = f"{chains[person.manager_id]}{person.manager_id}/"
        Person.objects.bulk_create(people, batch_size=500)
        writer.ids.update(_ids_by_email([p.email for p in people if p.pk is None]))
        writer.ids.update((p.email, p.pk) for p in people if p.pk is not None)
        chains.update((writer.ids[p.email], p.chain) for p in people)
    if later:
        for person, manager in later:
            person.manager_id = writer.ids[manager]
        Person.objects.bulk_update([person for person, _ in later], ["manager"], batch_size=500)
        recompute_chains()
    announce_manager_changes(
        (row.person_id, old_managers[row.person_id], writer.ids.get(row.values["manager_email"]))
        for row in moved
    )


class _Writer:
    """Turns planned rows into Person instances holding ids (roles and teams created first)."""

    def __init__(self, plan: Plan):
        self.roles = _create_roles(plan.new_roles)
        self.teams = _create_teams(plan.new_teams)
        self.columns = [column for column in plan.columns if column in FIELDS]
        self.ids = dict(plan.person_ids)  # e-mail -> id, for managers

    def person(self, row: PlannedRow, **fields) -> Person:
        values = {}
        for column in self.columns:
            if column not in row.values:
                continue  # a row without the column keeps what is stored (ParsedFile)
            value = row.values[column]
            if column == "role" and isinstance(value, str):
                value = self.roles[value]
            elif column == "team" and isinstance(value, NewTeam):
                value = self.teams[value]
            elif column == "manager_email":
                value = self.ids.get(value)  # None until a new manager is inserted
            values[ATTNAMES[column]] = "" if value is None and column == "job_title" else value
        return Person(**values, **fields)


def _levels(rows: list[PlannedRow]) -> list[list[PlannedRow]]:
    """New people grouped so that each group's managers exist by the time it is inserted."""
    new = {row.email: row for row in rows}
    depth: dict[str | None, int] = {}

    def depth_of(email):
        path = []
        while email in new and email not in depth:
            path.append(email)
            email = new[email].values.get("manager_email")
        level = depth.get(email, -1)
        for item in reversed(path):
            level += 1
            depth[item] = level
        return depth[path[0]] if path else level

    levels = defaultdict(list)
    for row in rows:
        levels[depth_of(row.email)].append(row)
    return [levels[level] for level in sorted(levels)]


def _create_roles(names: list[str]) -> dict[str, int]:
    Role.objects.bulk_create([Role(name=name) for name in names])
    return dict(Role.objects.filter(name__in=names).values_list("name", "pk")) if names else {}


def _create_teams(new_teams: list[NewTeam]) -> dict[NewTeam, int]:
    created: dict[NewTeam, Team] = {}
    for new in new_teams:  # parents come before their children
        if isinstance(new.parent, NewTeam):
            team = Team(name=new.name, parent=created[new.parent])
        else:
            team = Team(name=new.name, parent_id=new.parent)
        team.save()
        created[new] = team
    return {new: team.pk for new, team in created.items()}


def _ids_by_email(emails: list[str]) -> dict[str, int]:
    """Ids of people just inserted, for databases that do not return them from bulk inserts."""
    ids: dict[str, int] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        ids.update(Person.objects.filter(email__in=chunk).values_list("email", "pk"))
    return ids


def recompute_chains() -> dict[int, str]:
    """Recompute every person's `chain` from the manager links; returns them all by id.

    One pass over (id, manager) for the whole organisation: it covers the people imported and
    everyone below anyone whose reporting line moved, in any order of the rows.
    """
    rows = list(Person.objects.order_by().values_list("pk", "manager_id", "chain"))
    known = {pk for pk, _manager, _chain in rows}
    reports = defaultdict(list)
    stack = []
    for pk, manager_id, _chain in rows:
        if manager_id in known:
            reports[manager_id].append(pk)
        else:
            stack.append((pk, "/"))
    chains = {}
    while stack:
        pk, chain = stack.pop()
        chains[pk] = chain
        stack.extend((report, f"{chain}{pk}/") for report in reports[pk])
    if len(chains) != len(rows):
        raise RuntimeError("The reporting lines contain a cycle.")
    changed = [Person(pk=pk, chain=chains[pk]) for pk, _m, chain in rows if chains[pk] != chain]
    Person.objects.bulk_update(changed, ["chain"], batch_size=500)
    return chains
