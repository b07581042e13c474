"""Read an HR system's own export into the import's rows: presets for BambooHR, Personio, AFAS
Profit, HiBob, Google Workspace, Microsoft Entra ID and Workday, and the column mappings HR
saves for any other system (`people.models.ImportMapping`).

A reader gives the planner the `importing.ParsedFile` the Cadence CSV gives, so everything after
reading (teams, reporting-line chains, cycles, leavers, idempotence, all or nothing) is the
import's own path. What each system does its own way is read here:

- its column names, in its language (Personio's German, AFAS's Dutch), matched in any case,
  spacing or punctuation ("E-Mail", "e-mail", "Email Address [Required]"); the columns it
  does not use are ignored;
- its dates (MM/DD/YYYY, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY; ISO always);
- `;`, `,` or tab between values, quoted values holding them, a byte-order mark, CRLF, UTF-16,
  and Windows-1252 from older exports; lines before the header (Entra's "version:v1.0");
- names made of parts: the first (or preferred) name, a surname prefix and the last name
  ("Jan", "van der", "Berg" → "Jan van der Berg");
- managers named by e-mail address or by employee ID or number, resolved once every row is
  read (the manager may come later in the file), never by display name alone: an export that
  names managers only by name, or none at all, imports no reporting lines and keeps the stored
  ones, with a warning;
- the end of employment: a termination date is the leave date (a future one: still employed);
  a status that says someone left, without a date, turns their account off instead;
- suspended or disabled accounts: `active` "no" (they cannot sign in, and have not left);
- guest accounts (Entra): skipped, with a warning.

Errors name the row of the original file and the original column's name. Nothing here writes.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import StrOrPromise

from people import importing
from people.importing import COLUMN_NAMES, ParsedFile, RowError

if TYPE_CHECKING:
    from people.models import ImportMapping

# --- What an export may hold --------------------------------------------------------------------

EMAIL = "email"
ALT_EMAIL = "alt_email"  # used when the e-mail column is empty (Entra's user principal name)
NAME = "name"  # the full name, when the export has one
FIRST = "first_name"
PREFERRED = "preferred_name"  # used instead of the first name when set (a call name)
PREFIX = "name_prefix"  # a surname prefix: "van der", "de"
LAST = "last_name"
EMPLOYEE_ID = "employee_id"
EMPLOYEE_NUMBER = "employee_number"
JOB_TITLE = "job_title"
ROLE = "role"
LEVEL = "level"
TEAM_PARENT = "team_parent"  # a division above the department: the team's path is both
TEAM = "team"
MANAGER_EMAIL = "manager_email"
MANAGER_ID = "manager_id"
MANAGER_NUMBER = "manager_number"
MANAGER_NAME = "manager_name"  # never used to find anyone: only to say why it is not
START = "start_date"
LEAVE = "leave_date"
STATUS = "status"
ENABLED = "account_enabled"
USER_TYPE = "user_type"

# A manager column and the column of the manager's own row whose value it repeats.
MANAGER_KEYS = (
    (MANAGER_EMAIL, EMAIL),
    (MANAGER_ID, EMPLOYEE_ID),
    (MANAGER_NUMBER, EMPLOYEE_NUMBER),
)

# What a status says.
WORKING, INACTIVE, LEFT = "working", "inactive", "left"

DISABLED = {"false", "no", "0", "disabled", "nee", "nein", "onwaar", "falsch"}


@dataclass(frozen=True)
class DateFormat:
    label: str
    pattern: str


DATE_FORMATS = {
    "iso": DateFormat("YYYY-MM-DD", "%Y-%m-%d"),
    "dmy_dash": DateFormat("DD-MM-YYYY", "%d-%m-%Y"),
    "dmy_dot": DateFormat("DD.MM.YYYY", "%d.%m.%Y"),
    "dmy_slash": DateFormat("DD/MM/YYYY", "%d/%m/%Y"),
    "mdy_slash": DateFormat("MM/DD/YYYY", "%m/%d/%Y"),
}
DATE_FORMAT_CHOICES = [(key, fmt.label) for key, fmt in DATE_FORMATS.items()]
ISO_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


@dataclass(frozen=True)
class Preset:
    """How one system exports people: for each field, the column names it uses (the first
    one present in the header is read), its date formats (ISO is always accepted too), and
    what its status values mean (folded to lower case)."""

    key: str
    label: StrOrPromise
    export: StrOrPromise  # where in the system the export is made, for the import page
    columns: Mapping[str, tuple[str, ...]]
    date_formats: tuple[str, ...] = ("iso",)
    statuses: Mapping[str, str] = field(default_factory=dict)
    # A status value not in `statuses` counts as working; a preset says so in a warning (a
    # saved mapping lists only the values that mean something else).
    warn_unknown_status: bool = True
    # Workday: its report's columns are the organisation's own, so it reads with the mapping
    # HR saved for it.
    saved_mapping: bool = False
    # A saved mapping: every column it names must be in the file (a preset reads those present).
    strict_columns: bool = False

    @property
    def date_labels(self) -> str:
        return " / ".join(DATE_FORMATS[key].label for key in self.date_formats)


CADENCE = "cadence"

BAMBOOHR = Preset(
    "bamboohr",
    "BambooHR",
    gettext_lazy(
        "Reports → New report (a custom report) with Employee #, First Name, Last Name, "
        "Preferred Name, Work Email, Job Title, Division, Department, Hire Date, Termination "
        "Date, Status and Supervisor Email (or Supervisor EID with EEID); include inactive "
        "employees; export as CSV."
    ),
    {
        EMAIL: ("Work Email", "Email"),
        FIRST: ("First Name",),
        PREFERRED: ("Preferred Name",),
        LAST: ("Last Name",),
        EMPLOYEE_ID: ("EEID", "Employee ID"),
        EMPLOYEE_NUMBER: ("Employee #", "Employee Number"),
        JOB_TITLE: ("Job Title",),
        TEAM_PARENT: ("Division",),
        TEAM: ("Department",),
        MANAGER_EMAIL: ("Supervisor Email", "Supervisor Work Email", "Reports To Email"),
        MANAGER_ID: ("Supervisor EID", "Supervisor Employee ID"),
        MANAGER_NUMBER: ("Supervisor Employee #", "Supervisor Employee Number"),
        MANAGER_NAME: ("Reporting to", "Reports To", "Supervisor"),
        START: ("Hire Date", "Original Hire Date"),
        LEAVE: ("Termination Date",),
        STATUS: ("Status", "Employment Status"),
    },
    date_formats=("mdy_slash",),
    statuses={
        "active": WORKING,
        "inactive": LEFT,
        "terminated": LEFT,
        "full-time": WORKING,
        "part-time": WORKING,
        "contractor": WORKING,
        "intern": WORKING,
        "leave of absence": WORKING,
    },
)

PERSONIO = Preset(
    "personio",
    "Personio",
    gettext_lazy(
        "Analytics → Reports (or People → Export), in English or German, with ID, First name / "
        "Vorname, Last name / Nachname, Email / E-Mail, Position, Department / Abteilung, Team, "
        "Hire date / Eintrittsdatum, Termination date / Austrittsdatum, Status and the "
        "supervisor's ID (Supervisor ID / Vorgesetzte:r ID) or e-mail; include inactive "
        "employees; export as CSV."
    ),
    {
        EMAIL: ("Email", "E-Mail", "Work email", "E-Mail-Adresse"),
        FIRST: ("First name", "Vorname"),
        PREFERRED: ("Preferred name", "Bevorzugter Name"),
        LAST: ("Last name", "Nachname"),
        EMPLOYEE_ID: ("ID", "Employee ID", "Mitarbeiter-ID"),
        EMPLOYEE_NUMBER: ("Personalnummer", "Employee number"),
        JOB_TITLE: ("Position", "Job title", "Jobtitel"),
        TEAM_PARENT: ("Department", "Abteilung"),
        TEAM: ("Team",),
        MANAGER_EMAIL: (
            "Supervisor email",
            "Supervisor e-mail",
            "E-Mail Vorgesetzte:r",
            "E-Mail Vorgesetzter",
            "Vorgesetzte:r E-Mail",
        ),
        MANAGER_ID: ("Supervisor ID", "Vorgesetzte:r ID", "Vorgesetzter ID", "ID Vorgesetzte:r"),
        MANAGER_NUMBER: ("Supervisor employee number", "Personalnummer Vorgesetzte:r"),
        MANAGER_NAME: ("Supervisor", "Vorgesetzte:r", "Vorgesetzter"),
        START: ("Hire date", "Eintrittsdatum"),
        LEAVE: ("Termination date", "Austrittsdatum"),
        STATUS: ("Status",),
    },
    date_formats=("dmy_dot", "dmy_slash"),
    statuses={
        "active": WORKING,
        "aktiv": WORKING,
        "onboarding": WORKING,
        "leave": WORKING,
        "on leave": WORKING,
        "abwesend": WORKING,
        "beurlaubt": WORKING,
        "inactive": LEFT,
        "inaktiv": LEFT,
    },
)

AFAS = Preset(
    "afas",
    "AFAS Profit",
    gettext_lazy(
        "A GetConnector on employees (Medewerker, Roepnaam, Voornaam, Voorvoegsel, Achternaam, "
        "E-mail werk, Functie, Afdeling, Datum in dienst, Datum uit dienst and Leidinggevende, "
        "the manager's employee number), exported from Profit as CSV (“;” and DD-MM-YYYY)."
    ),
    {
        EMAIL: ("E-mail werk", "Email werk", "E-mailadres werk", "E-mail"),
        PREFERRED: ("Roepnaam",),
        FIRST: ("Voornaam", "Voornamen"),
        PREFIX: ("Voorvoegsel", "Tussenvoegsel"),
        LAST: ("Achternaam",),
        EMPLOYEE_NUMBER: ("Medewerker", "Personeelsnummer", "Medewerkernummer", "Nummer"),
        JOB_TITLE: ("Omschrijving functie", "Functieomschrijving", "Functie"),
        TEAM: ("Omschrijving afdeling", "Afdelingsomschrijving", "Afdeling"),
        MANAGER_EMAIL: ("E-mail leidinggevende", "E-mail werk leidinggevende"),
        MANAGER_NUMBER: (
            "Leidinggevende",
            "Medewerker leidinggevende",
            "Nummer leidinggevende",
            "Leidinggevende (medewerker)",
        ),
        MANAGER_NAME: ("Naam leidinggevende",),
        START: ("Datum in dienst", "In dienst"),
        LEAVE: ("Datum uit dienst", "Uit dienst"),
    },
    date_formats=("dmy_dash",),
)

HIBOB = Preset(
    "hibob",
    "HiBob",
    gettext_lazy(
        "Analytics → People data (a report) with Employee ID, First name, Last name, Display "
        "name, Email, Job title, Division, Department, Start date, Termination date, Lifecycle "
        "status and Reports to email (or Reports to ID); include terminated employees; "
        "download as CSV."
    ),
    {
        EMAIL: ("Email", "Work email"),
        NAME: ("Display name",),
        FIRST: ("First name",),
        PREFERRED: ("Preferred name",),
        LAST: ("Last name",),
        EMPLOYEE_ID: ("Employee ID",),
        JOB_TITLE: ("Job title", "Title"),
        TEAM_PARENT: ("Division",),
        TEAM: ("Department",),
        MANAGER_EMAIL: ("Reports to email", "Manager email"),
        MANAGER_ID: ("Reports to ID", "Reports to employee ID", "Manager ID"),
        MANAGER_NAME: ("Reports to", "Manager"),
        START: ("Start date",),
        LEAVE: ("Termination date",),
        STATUS: ("Lifecycle status", "Status"),
    },
    date_formats=("dmy_slash",),
    statuses={
        "employed": WORKING,
        "hired": WORKING,
        "leave": WORKING,
        "on leave": WORKING,
        "garden leave": WORKING,
        "active": WORKING,
        "terminated": LEFT,
        "inactive": INACTIVE,
    },
)

GOOGLE = Preset(
    "google",
    "Google Workspace",
    gettext_lazy(
        "Admin console → Directory → Users → Download users (all user info columns, CSV). It "
        "has no employment dates; managers come from Manager Email when it is filled in."
    ),
    {
        EMAIL: ("Email Address", "Primary Email"),
        FIRST: ("First Name",),
        LAST: ("Last Name",),
        EMPLOYEE_ID: ("Employee ID",),
        JOB_TITLE: ("Employee Title",),
        TEAM: ("Department",),
        MANAGER_EMAIL: ("Manager Email",),
        STATUS: ("Status",),
    },
    statuses={"active": WORKING, "suspended": INACTIVE, "archived": INACTIVE},
)

ENTRA = Preset(
    "entra",
    "Microsoft Entra ID",
    gettext_lazy(
        "Entra admin center → Users → All users → Download users (CSV). It has no managers: "
        "reporting lines stay as they are in Cadence. Guests are skipped; disabled accounts "
        "cannot sign in."
    ),
    {
        EMAIL: ("mail", "Email"),
        ALT_EMAIL: ("userPrincipalName", "User principal name"),
        NAME: ("displayName", "Display name"),
        FIRST: ("givenName", "First name"),
        LAST: ("surname", "Last name"),
        EMPLOYEE_ID: ("employeeId", "Employee ID"),
        JOB_TITLE: ("jobTitle", "Job title"),
        TEAM: ("department",),
        START: ("employeeHireDate", "Employee hire date"),
        LEAVE: ("employeeLeaveDateTime", "Employee leave date time"),
        ENABLED: ("accountEnabled", "Account enabled"),
        USER_TYPE: ("userType", "User type"),
    },
)

WORKDAY = Preset(
    "workday",
    "Workday",
    gettext_lazy(
        "A custom report (Report Writer, data source “All Workers”, including terminated "
        "workers) exported as CSV. Its columns are your own: save them once below, under "
        "“Column mappings”, for Workday."
    ),
    {},
    saved_mapping=True,
)

PRESETS = {preset.key: preset for preset in (BAMBOOHR, PERSONIO, AFAS, HIBOB, GOOGLE, ENTRA)}
PRESETS[WORKDAY.key] = WORKDAY
CUSTOM = "custom"  # a mapping saved for any other system
# What `--format` takes and the upload page offers, in this order.
FORMAT_NAMES = (CADENCE, *PRESETS, CUSTOM)

# The columns a Workday report usually has: the mapping form's suggestion.
WORKDAY_SUGGESTION = {
    EMAIL: "Email - Primary Work",
    NAME: "Worker",
    EMPLOYEE_ID: "Employee ID",
    JOB_TITLE: "Business Title",
    ROLE: "Job Profile",
    TEAM: "Supervisory Organization",
    "manager": "Manager - Employee ID",
    START: "Hire Date",
    LEAVE: "Termination Date",
    STATUS: "Worker Status",
}


def format_label(key: str) -> StrOrPromise:
    if key == CADENCE:
        return gettext_lazy("Cadence CSV")
    if key == CUSTOM:
        return gettext_lazy("Another system (a saved column mapping)")
    return PRESETS[key].label


class MappingMissing(Exception):
    """Workday, or another system, needs a saved mapping and there is none."""


def from_mapping(mapping: ImportMapping) -> Preset:
    """The preset a saved column mapping describes."""
    columns = {name: (header,) for name, header in mapping.columns.items() if header}
    manager = columns.pop("manager", None)
    if manager:
        columns[MANAGER_EMAIL if mapping.manager_key == "email" else MANAGER_ID] = manager
    statuses = dict.fromkeys(_listed(mapping.inactive_statuses), INACTIVE)
    statuses.update(dict.fromkeys(_listed(mapping.leaver_statuses), LEFT))
    return Preset(
        key=mapping.system if mapping.system == WORKDAY.key else f"{CUSTOM}:{mapping.name}",
        label=mapping.name,
        export="",
        columns=columns,
        date_formats=(mapping.date_format,),
        statuses=statuses,
        warn_unknown_status=False,
        strict_columns=True,
    )


def _listed(values: str) -> list[str]:
    return [value.strip().casefold() for value in values.split(",") if value.strip()]


def reader(key: str, mapping: ImportMapping | None = None) -> importing.Reader:
    """The reader of format `key` (`FORMAT_NAMES`); Workday and another system read with
    `mapping`, HR's saved column mapping (`MappingMissing` without one)."""
    if key == CADENCE:
        return importing.parse
    if key == CUSTOM or (key in PRESETS and PRESETS[key].saved_mapping):
        if mapping is None:
            raise MappingMissing(key)
        return partial(read, preset=from_mapping(mapping))
    return partial(read, preset=PRESETS[key])


# --- Reading ------------------------------------------------------------------------------------


def header_key(cell: str) -> str:
    """A column's name as compared: without "[Required]"-style notes, case, spaces and
    punctuation ("E-Mail" is "email"; "Employee #" is "employeenumber")."""
    cell = re.sub(r"\[[^\]]*\]", "", cell).replace("#", " number ")
    return re.sub(r"[\W_]+", "", cell.casefold())


def _decode(source: bytes | str) -> str:
    """The export's text; `importing.FileProblem` for one no reader reads."""
    if isinstance(source, str):
        text = source.removeprefix("\ufeff")
    else:
        importing.check_size(source)
        text = _decoded(source)
    importing.check_text(text)
    return text


def _decoded(source: bytes) -> str:
    if source.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return source.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "cp1252"):  # older Windows exports: Windows-1252
            try:
                return source.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise importing.FileProblem(
        _("The file is not text in a known encoding. Export it as CSV (UTF-8).")
    )


def _delimiter(text: str) -> str:
    """`;`, `,` or tab: whichever one line near the top (the header) has most of."""
    lines = [line for line in text.splitlines()[:12] if line.strip()]
    best, most = ",", 0
    for candidate in (",", ";", "\t"):
        count = max((line.count(candidate) for line in lines), default=0)
        if count > most:
            best, most = candidate, count
    return best


@dataclass
class Header:
    row: int
    index: dict[str, int]  # field -> position
    names: dict[str, str]  # field -> the column's name as the file writes it
    width: int


def _find_header(number: int, cells: list[str], preset: Preset) -> Header | None:
    keys = [header_key(cell) for cell in cells]
    positions: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key:
            positions.setdefault(key, position)
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    for name, aliases in preset.columns.items():
        for alias in aliases:
            found = positions.get(header_key(alias))
            if found is not None:
                index[name], names[name] = found, cells[found].strip()
                break
    if EMAIL not in index and ALT_EMAIL not in index:
        return None
    return Header(number, index, names, len(cells))


def guess(text: str) -> Preset | None:
    """The system whose export `text` looks like, when one stands out: its header has the
    e-mail column and more of the system's columns than any other's (four at least), and is
    not the Cadence CSV's."""
    text = text.removeprefix("\ufeff")
    delimiter = _delimiter(text)
    scores: dict[str, int] = {}
    lines = [line for line in text.splitlines()[:10] if line.strip()]
    for cells in csv.reader(lines, delimiter=delimiter):
        if {"email", "name"} <= {importing.header_name(cell) for cell in cells}:
            return None  # the Cadence CSV's own columns, with a problem of its own
        for key, preset in PRESETS.items():
            header = _find_header(0, cells, preset) if preset.columns else None
            if header is not None:
                scores[key] = max(scores.get(key, 0), len(header.index))
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < 4 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return PRESETS[ranked[0][0]]


def read(source: bytes | str, preset: Preset) -> ParsedFile:
    """Read an export as `preset` describes it into the import's rows."""
    try:
        return _read(source, preset)
    except importing.FileProblem as problem:
        return _file_error(preset, str(problem))


def _read(source: bytes | str, preset: Preset) -> ParsedFile:
    text = _decode(source)
    header: Header | None = None
    records: list[tuple[int, list[str]]] = []
    for number, cells in importing.records(text, _delimiter(text)):
        if header is None:
            header = _find_header(number, cells, preset)
            if header is None and number >= 10:
                break
            continue  # a line before the header, or the header
        importing.check_row_count(len(records))
        records.append((number, cells))
    if header is None:
        expected = preset.columns.get(EMAIL) or preset.columns.get(ALT_EMAIL) or ("",)
        return _file_error(
            preset,
            _(
                "No header row with the e-mail address column (%(column)s) in the first rows: "
                "is this a %(system)s export?"
            )
            % {"column": expected[0], "system": preset.label},
        )
    return _Rows(preset, header, text).read(records)


def _file_error(preset: Preset, message: str) -> ParsedFile:
    return ParsedFile(errors=[RowError(None, None, message)], source=preset.key)


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:20])
    return shown + (", …" if len(rows) > 20 else "")


GUESTS, LEFT_WITHOUT_EMAIL = "guests", "left_without_email"


def _skipped_message(why: str, rows: list[int]) -> str:
    values = {"rows": _rows_text(rows)}
    if why == GUESTS:
        return (
            ngettext(
                "A guest account is not someone of the organisation: skipped (row %(rows)s).",
                "Guest accounts are not people of the organisation: skipped (rows %(rows)s).",
                len(rows),
            )
            % values
        )
    return (
        ngettext(
            "Someone who left, without an e-mail address: skipped (row %(rows)s).",
            "People who left, without an e-mail address: skipped (rows %(rows)s).",
            len(rows),
        )
        % values
    )


def _id_key(value: str) -> str:
    """An employee ID or number as compared: "007" and "7" are the same number."""
    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() else value.casefold()


class _Rows:
    """Turns the export's rows into the import's, one preset's conventions at a time."""

    def __init__(self, preset: Preset, header: Header, text: str):
        self.preset = preset
        self.header = header
        self.has = header.index.keys()
        self.parsed = ParsedFile(text=text, source=preset.key)
        self.today = timezone.localdate()
        self.skipped: dict[str, list[int]] = defaultdict(list)  # why -> rows
        self.key: tuple[str, str] | None = None  # (manager field, own field) of the lines
        self.unknown_statuses: dict[str, list[int]] = defaultdict(list)
        self.skipped_keys: dict[str, int] = {}  # manager keys of rows skipped -> row

    def name_of(self, *fields: str) -> str:
        return " + ".join(self.header.names[f] for f in fields if f in self.has)

    def error(self, row: int | None, field_name: str | None, message: str) -> None:
        column = self.header.names.get(field_name) if field_name else None
        self.parsed.errors.append(RowError(row, column, message))

    def warn(self, row: int | None, field_name: str | None, message: str) -> None:
        column = self.header.names.get(field_name) if field_name else None
        self.parsed.warnings.append(RowError(row, column, message))

    # --- the header --------------------------------------------------------------------------

    def check_header(self) -> tuple[str, str] | None:
        """Errors about missing columns; the manager key used: (manager field, own field)."""
        columns = self.preset.columns
        if NAME not in self.has and not ({FIRST, PREFERRED} & self.has and LAST in self.has):
            wanted = columns.get(NAME, ())[:1] or tuple(
                columns[name][0] for name in (FIRST, LAST) if name in columns
            )
            self.error(
                self.header.row,
                None,
                _("The name is missing: the export needs the column %(columns)s.")
                % {"columns": " + ".join(f"“{column}”" for column in wanted)},
            )
        if self.preset.strict_columns:  # a saved mapping: every column it names is needed
            for name, (column, *_more) in columns.items():
                if name not in self.has:
                    self.error(
                        self.header.row,
                        None,
                        _("The mapping's column “%(column)s” is not in the file.")
                        % {"column": column},
                    )
        for manager, own in MANAGER_KEYS:
            if manager not in self.has:
                continue
            if own not in self.has:
                self.error(
                    self.header.row,
                    manager,
                    _(
                        "This column names managers by their %(key)s: add the column with "
                        "everyone's own (%(column)s) to the export."
                    )
                    % {"key": self.key_words(own), "column": f"“{columns[own][0]}”"},
                )
                return None
            return manager, own
        if MANAGER_NAME in self.has:
            self.warn(
                None,
                MANAGER_NAME,
                _(
                    "This column names managers by name only, which cannot tell two people of "
                    "the same name apart: reporting lines are not imported, and stay as they are "
                    "in Cadence. Add the manager's e-mail address or employee ID to the export "
                    "to import them."
                ),
            )
        else:
            self.warn_no_lines()
        return None

    def key_words(self, own: str) -> str:
        return {
            EMAIL: _("e-mail address"),
            EMPLOYEE_ID: _("employee ID"),
            EMPLOYEE_NUMBER: _("employee number"),
        }[own]

    def warn_no_lines(self) -> None:
        self.warn(
            None,
            None,
            _(
                "This export has no reporting lines: managers stay as they are in Cadence, and "
                "the people added have none until you set them."
            ),
        )

    # --- the rows ------------------------------------------------------------------------------

    def read(self, records: list[tuple[int, list[str]]]) -> ParsedFile:
        key = self.key = self.check_header()
        if self.parsed.errors:
            return self.parsed
        kept: list[tuple[int, dict[str, str], str, str]] = []  # row, values, own key, manager
        for number, cells in records:
            result = self.row(number, cells, key)
            if result is not None:
                kept.append((number, *result))
        for why, rows in self.skipped.items():
            self.warn(None, None, _skipped_message(why, rows))
        for value, rows in self.unknown_statuses.items():
            self.warn(
                None,
                STATUS,
                ngettext(
                    "“%(value)s” is not a status Cadence knows: counted as working (row %(rows)s).",
                    "“%(value)s” is not a status Cadence knows: counted as working "
                    "(rows %(rows)s).",
                    len(rows),
                )
                % {"value": value, "rows": _rows_text(rows)},
            )
        managed = key is not None and any(manager for *_ignored, manager in kept)
        if key is not None and not managed:
            self.warn_no_lines()
        if managed and key is not None:
            self.resolve_managers(kept, key)
        columns = self.columns(managed)
        self.parsed.columns = [name for name in COLUMN_NAMES if name in columns]
        self.parsed.labels = columns
        order = {name: index for index, name in enumerate(COLUMN_NAMES)}
        self.parsed.rows = [
            (number, dict(sorted(values.items(), key=lambda item: order[item[0]])))
            for number, values, *_ignored in kept
        ]
        if not self.parsed.rows and not self.parsed.errors:
            self.parsed.errors.append(importing.no_rows())
        return self.parsed

    def columns(self, managed: bool) -> dict[str, str]:
        """The import's columns this export sets, each with the name of its source."""
        email = " / ".join(self.header.names[f] for f in (EMAIL, ALT_EMAIL) if f in self.has)
        name = self.name_of(NAME) or self.name_of(PREFERRED, FIRST, PREFIX, LAST)
        columns = {"email": email, "name": name}
        for field_name in (JOB_TITLE, ROLE, LEVEL, START, LEAVE):
            if field_name in self.has:
                columns[field_name] = self.name_of(field_name)
        if {TEAM, TEAM_PARENT} & self.has:
            columns["team"] = self.name_of(TEAM_PARENT, TEAM)
        if managed and self.key is not None:
            columns["manager_email"] = self.name_of(self.key[0])
        if {STATUS, ENABLED} & self.has:
            columns["active"] = self.name_of(ENABLED, STATUS)
        return columns

    def row(
        self, number: int, cells: list[str], key: tuple[str, str] | None
    ) -> tuple[dict[str, str], str, str] | None:
        if (error := importing.extra_values(number, cells, self.header.width)) is not None:
            self.parsed.errors.append(error)

        def get(name: str) -> str:
            position = self.header.index.get(name)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        email = get(EMAIL) or get(ALT_EMAIL)
        own = _id_key(get(key[1])) if key else ""
        if get(USER_TYPE).casefold() == "guest" or "#ext#" in get(ALT_EMAIL).casefold():
            self.skipped[GUESTS].append(number)
            if own:
                self.skipped_keys[own] = number
            return None
        values: dict[str, str] = {"email": email}
        parts = (get(PREFERRED) or get(FIRST), get(PREFIX), get(LAST))
        values["name"] = get(NAME) or " ".join(part for part in parts if part)
        for name in (JOB_TITLE, ROLE, LEVEL):
            if name in self.has:
                values[name] = get(name)
        if {TEAM, TEAM_PARENT} & self.has:
            values["team"] = "/".join(part for part in (get(TEAM_PARENT), get(TEAM)) if part)
        start = self.date(number, START, get(START))
        leave = self.date(number, LEAVE, get(LEAVE))
        status = self.status(number, get(STATUS)) if STATUS in self.has else WORKING
        if start and leave and leave < start and status != LEFT:
            leave = None  # an earlier employment: rehired since
        if not email and (status == LEFT or (leave and leave < self.today)):
            self.skipped[LEFT_WITHOUT_EMAIL].append(number)
            if own:
                self.skipped_keys[own] = number
            return None
        if START in self.has:
            values["start_date"] = start.isoformat() if start else ""
        if LEAVE in self.has:
            values["leave_date"] = leave.isoformat() if leave else ""
        if {STATUS, ENABLED} & self.has:
            active = ENABLED not in self.has or get(ENABLED).casefold() not in DISABLED
            if status == INACTIVE:
                active = False
            elif status == LEFT and not leave:
                active = False
                self.warn(
                    number,
                    STATUS,
                    _(
                        "“%(value)s” without a date of leaving: their account is turned off, "
                        "and they are not marked as left."
                    )
                    % {"value": get(STATUS)},
                )
            values["active"] = "yes" if active else "no"
        manager = get(key[0]) if key else ""
        return values, own, manager

    def date(self, number: int, name: str, value: str) -> datetime.date | None:
        if not value or name not in self.has:
            return None
        if found := ISO_TIME.fullmatch(value):
            try:
                return datetime.date.fromisoformat(found.group(1))
            except ValueError:
                pass
        for key in self.preset.date_formats:
            try:
                return datetime.datetime.strptime(value, DATE_FORMATS[key].pattern).date()
            except ValueError:
                continue
        self.error(
            number,
            name,
            _("“%(value)s” is not a date as %(format)s.")
            % {"value": value, "format": self.preset.date_labels},
        )
        return None

    def status(self, number: int, value: str) -> str:
        if not value:
            return WORKING
        meaning = self.preset.statuses.get(value.casefold())
        if meaning is None:
            if self.preset.warn_unknown_status:
                self.unknown_statuses[value].append(number)
            return WORKING
        return meaning

    # --- the reporting lines -----------------------------------------------------------------

    def resolve_managers(
        self, kept: list[tuple[int, dict[str, str], str, str]], key: tuple[str, str]
    ) -> None:
        """Each manager's e-mail address, from the row their key is on (in any order)."""
        manager_field, own_field = key
        if own_field == EMAIL:
            for _number, values, _own, manager in kept:
                values["manager_email"] = manager
            return
        rows: dict[str, tuple[int, str]] = {}
        for number, values, own, _manager in kept:
            if not own:
                continue
            if own in rows:
                self.error(
                    number,
                    own_field,
                    _("This is also on row %(row)s: each person's needs to be their own.")
                    % {"row": rows[own][0]},
                )
            else:
                rows[own] = (number, values["email"])
        for number, values, _own, manager in kept:
            if not manager:
                values["manager_email"] = ""
                continue
            found = rows.get(_id_key(manager))
            if found is not None:
                values["manager_email"] = found[1]
            elif _id_key(manager) in self.skipped_keys:
                self.error(
                    number,
                    manager_field,
                    _("“%(value)s” is on row %(row)s, which is skipped: choose another manager.")
                    % {"value": manager, "row": self.skipped_keys[_id_key(manager)]},
                )
            else:
                self.error(
                    number,
                    manager_field,
                    _("Nobody in this file has %(column)s “%(value)s”.")
                    % {"column": self.header.names[own_field], "value": manager},
                )
