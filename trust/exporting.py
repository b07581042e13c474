"""The export of a person's data: a ZIP of everything Cadence holds about them that they may see.

It is built from the catalogue (`access.catalogue`), so every module registered now or later is
in it: for each kind, the kind's objects about the person (`kind.about`) narrowed by the kind's
own rule as the person sees it (`access.rules.visible(person, …, kind.action)`), so nothing is
exported that the person may not see on the pages (a manager's private notes are about their
author; a 360 report before its release is not yet visible to its participant; who wrote an
anonymous answer is stored nowhere). Each kind gives two files:

- `<kind>.json`: the items, each with the rows it owns (a goal's key results) inside it;
- `<kind>.csv`: the items, one per line; rows an item owns in `<kind>.<rows>.csv`, whose
  `item_id` column names their item. Cells are neutralised against formulas
  (`cadence.csv_safe`); the files start with a byte-order mark, so spreadsheets read UTF-8.

What of each item is written is the kind's `export` (its columns, in the module's catalogue),
or, without one, its plain fields but secrets. A column that names another protected object by
its id (a feedback's `goal_id`) is written only where the person may see that object, as the
item's page shows it only then; otherwise it is empty. `README.txt` explains every file, in the
person's language. Times are in the person's time zone, ISO 8601 with the offset.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BinaryField, Model, Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access import catalogue, rules
from access.catalogue import Column, DataKind, Rows
from access.rules import shown, visible
from access.viewer import Viewer
from cadence.csv_safe import row as safe_row
from people.models import Person

# Fields a kind without its own `export` never writes: whatever looks like a secret.
SECRET_WORDS = ("password", "secret", "token", "digest", "hash", "sealed")
ITEM_ID = "item_id"

# Called after each kind with (kinds done, kinds in all).
Progress = Callable[[int, int], None]


@dataclass
class Written:
    """One kind as written, for the README."""

    kind: DataKind
    count: int
    files: list[str]
    columns: list[tuple[str, str]]  # (name, what it is)
    rows: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)


def kinds() -> list[DataKind]:
    return catalogue.registered()


def archive(person: Person, language: str, progress: Progress | None = None) -> bytes:
    """The ZIP of everything about `person` that they may see, its README in `language`."""
    viewer = Viewer.of(person)
    zone = person.local_zone
    now = timezone.now()
    folder = f"cadence-export-{now.astimezone(zone).date().isoformat()}"
    every = kinds()
    written = []
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        translation.override(language),
    ):
        for done, kind in enumerate(every, start=1):
            files = kind_files(viewer, person, kind, zone)
            for name, content in files.files.items():
                archive.writestr(f"{folder}/{name}", content)
            written.append(files.written)
            if progress is not None:
                progress(done, len(every))
        archive.writestr(f"{folder}/README.txt", readme(person, now, written).encode())
    return buffer.getvalue()


@dataclass
class KindFiles:
    files: dict[str, bytes]
    written: Written


def kind_files(viewer: Viewer, person: Person, kind: DataKind, zone: tzinfo) -> KindFiles:
    """The JSON and CSV files of one kind, for the person."""
    columns = columns_of(kind)
    rows_of = kind.export.rows if kind.export else ()
    items = list(items_of(viewer, person, kind))
    shown(viewer, items, kind.action)  # the person's own: the access log keeps nothing of it
    owned_rows = {
        rows.name: {item.pk: list(rows_owned(item, rows)) for item in items} for rows in rows_of
    }
    unseen = unseen_links(viewer, kind.model, columns, items)
    for rows in rows_of:
        every = [row for owned in owned_rows[rows.name].values() for row in owned]
        unseen |= unseen_links(viewer, rows_model(kind, rows), rows.columns, every, rows.name)
    keys = [column_key(column) for column in columns]
    records = []
    item_lines = []
    row_lines: dict[str, list[list[Any]]] = {rows.name: [] for rows in rows_of}
    for item in items:
        values = [plain(read_seen(item, column, unseen), zone) for column in columns]
        record: dict[str, Any] = {"id": item.pk, **dict(zip(keys, values, strict=True))}
        item_lines.append([item.pk, *values])
        for rows in rows_of:
            owned = []
            for row in owned_rows[rows.name][item.pk]:
                row_values = [
                    plain(read_seen(row, column, unseen, rows.name), zone)
                    for column in rows.columns
                ]
                row_record = dict(zip(map(column_key, rows.columns), row_values, strict=True))
                if rows.of is None:  # rows of a model, each with its id
                    row_record = {"id": row.pk, **row_record}
                owned.append(row_record)
                row_lines[rows.name].append([item.pk, *row_record.values()])
            record[rows.name] = owned
        records.append(record)
    document = {
        "kind": kind.key,
        "label": str(kind.label),
        "description": str(kind.description),
        "person": {"id": person.pk, "name": person.name},
        "items": records,
    }
    files = {
        f"{kind.key}.json": json.dumps(document, ensure_ascii=False, indent=2).encode(),
        f"{kind.key}.csv": csv_file(["id", *keys], item_lines),
    }
    readme_rows = []
    for rows in rows_of:
        row_keys = [column_key(column) for column in rows.columns]
        header = [ITEM_ID, *(["id"] if rows.of is None else []), *row_keys]
        name = f"{kind.key}.{rows.name}.csv"
        files[name] = csv_file(header, row_lines[rows.name])
        described_columns = described(rows_model(kind, rows), rows.columns)
        if rows.of is None:
            described_columns.insert(0, ("id", _("its number in Cadence")))
        readme_rows.append((name, str(rows.label), described_columns))
    return KindFiles(
        files,
        Written(kind, len(items), list(files), described(kind.model, columns), readme_rows),
    )


def items_of(viewer: Viewer, person: Person, kind: DataKind) -> QuerySet[Any]:
    """The kind's objects about the person that the person may see, with what their columns
    and rows read loaded in a fixed number of queries."""
    queryset = visible(viewer, kind.about(person), kind.action)
    columns = columns_of(kind)
    if joins := joins_of(columns):
        queryset = queryset.select_related(*joins)
    if kind.export is not None:
        for rows in kind.export.rows:
            if rows.of is None:
                related = rows_model(kind, rows)
                assert related is not None
                owned = related._default_manager.select_related(*joins_of(rows.columns))
                queryset = queryset.prefetch_related(Prefetch(rows.name, queryset=owned))
        if kind.export.load is not None:
            queryset = kind.export.load(queryset)
    return queryset.order_by("pk")


# (rows' name, or "" for the items; column) -> the ids it names that the person may not see.
Unseen = dict[tuple[str, Column], set[Any]]


def links_of(model: type[Model] | None, columns: Sequence[Column]) -> dict[str, type[Model]]:
    """The columns that name another protected object by its id ("goal_id", "answer_id"), with
    that object's model. Not people: those an item names (who made a change) are part of it,
    as its page shows them."""
    found: dict[str, type[Model]] = {}
    for column in columns:
        if model is None or not isinstance(column, str):
            continue
        current: Any = model
        *path, last = column.split("__")
        try:
            for name in path:
                current = current._meta.get_field(name).related_model
            field = current._meta.get_field(last)
        except (FieldDoesNotExist, AttributeError):
            continue
        target = field.related_model
        if target is Person or not (field.concrete and field.is_relation):
            continue
        if field.attname == last and _protected(target):
            found[column] = target
    return found


def _protected(model: Any) -> bool:
    try:
        rules.rules_for(model)
    except (LookupError, TypeError):
        return False
    return True


def unseen_links(
    viewer: Viewer,
    model: type[Model] | None,
    columns: Sequence[Column],
    objects: Sequence[Any],
    rows: str = "",
) -> Unseen:
    """For each column of `objects` that names another protected object by its id, the ids
    the viewer may not see (one query per such column)."""
    unseen: Unseen = {}
    for column, target in links_of(model, columns).items():
        ids = {read(obj, column) for obj in objects} - {None}
        if ids:
            seen = visible(viewer, target._default_manager.filter(pk__in=ids))
            unseen[(rows, column)] = ids - set(seen.values_list("pk", flat=True))
    return unseen


def read_seen(obj: Any, column: Column, unseen: Unseen, rows: str = "") -> Any:
    """`read`, but None for an id the viewer may not see."""
    value = read(obj, column)
    return None if value in unseen.get((rows, column), ()) else value


def columns_of(kind: DataKind) -> tuple[Column, ...]:
    if kind.export is not None:
        return kind.export.columns
    return tuple(
        f.attname
        for f in kind.model._meta.concrete_fields
        if not f.primary_key
        and not isinstance(f, BinaryField)
        and not any(word in f.name for word in SECRET_WORDS)
    )


def rows_model(kind: DataKind, rows: Rows) -> type[Model] | None:
    if rows.of is not None:
        return None
    related = kind.model._meta.get_field(rows.name).related_model
    assert isinstance(related, type) and issubclass(related, Model), rows.name
    return related


def rows_owned(item: Model, rows: Rows) -> Iterable[Any]:
    if rows.of is not None:
        return rows.of(item)
    owned: Iterable[Any] = getattr(item, rows.name).all()  # a related manager's rows
    return owned


def joins_of(columns: Sequence[Column]) -> list[str]:
    """The relations the columns follow ("giver__name" follows "giver")."""
    return sorted({c.rsplit("__", 1)[0] for c in columns if isinstance(c, str) and "__" in c})


def column_key(column: Column) -> str:
    return column.replace("__", "_") if isinstance(column, str) else column[0]


def read(obj: Any, column: Column) -> Any:
    if not isinstance(column, str):
        return column[1](obj)
    if isinstance(obj, Mapping):
        return obj.get(column)
    value = obj
    for name in column.split("__"):
        value = getattr(value, name)
        if value is None:
            return None
    return value.pk if isinstance(value, Model) else value


def plain(value: Any, zone: tzinfo) -> Any:
    """A value as JSON writes it: times in the person's zone, numbers as numbers."""
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID | Promise):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def csv_file(header: Sequence[str], lines: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for line in lines:
        writer.writerow(safe_row(cell_text(value) for value in line))
    return ("\ufeff" + out.getvalue()).encode()  # the mark makes spreadsheets read UTF-8


def cell_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def described(model: type[Model] | None, columns: Sequence[Column]) -> list[tuple[str, str]]:
    """Each column's name with what it is: its fields' own names, in the reader's language
    ("cycle__period_start": "cycle: period from"; "giver__name": "from")."""
    return [(column_key(column), _label(model, column)) for column in columns]


def _label(model: type[Model] | None, column: Column) -> str:
    if not isinstance(column, str) or model is None:
        return ""
    path = column.split("__")
    if len(path) > 1 and path[-1] == "name":
        path = path[:-1]
    names = []
    current: Any = model
    for part in path:
        try:
            found = current._meta.get_field(part.removesuffix("_id") if part != "id" else part)
        except (FieldDoesNotExist, AttributeError):
            return ""
        names.append(str(getattr(found, "verbose_name", "")))
        current = found.related_model
    return ": ".join(names)


def readme(person: Person, now: datetime, written: Sequence[Written]) -> str:
    """README.txt: what the archive holds and what each file is, in the reader's language."""
    moment = timezone.localtime(now, person.local_zone)
    title = _("Your data in Cadence")
    lines = [
        title,
        "=" * len(title),
        "",
        _("%(name)s (%(email)s), exported on %(date)s.")
        % {
            "name": person.name,
            "email": person.email,
            "date": date_format(moment, "DATETIME_FORMAT"),
        },
        "",
        _(
            "This archive holds everything Cadence holds about you that you may see yourself, "
            "one kind of data at a time. Each kind is in two files with the same content: a JSON "
            "file (for programs) and a CSV file (for a spreadsheet). Rows that belong to an "
            "item, such as the key results of a goal, are inside each item in the JSON file, and "
            "in a CSV file of their own whose item_id column is the id of their item."
        ),
        "",
        _(
            "Times are in your time zone (%(zone)s), written as in 2026-03-15T14:30:00+01:00. "
            "A CSV cell that a spreadsheet could take for a formula starts with an apostrophe "
            "('), so that it is shown as the text it is."
        )
        % {"zone": person.local_zone.key},
        "",
        _(
            "Not in it: what you may not see yourself. For example the private notes your "
            "manager keeps about your conversations, a 360 report before it is released to "
            "you, and who wrote an anonymous 360 answer (Cadence does not know: once a review "
            "closes, answers are stored without any link to the person who gave them)."
        ),
        "",
        "",
        _("The files"),
        "-" * len(_("The files")),
    ]
    for each in written:
        kind = each.kind
        lines += ["", str(kind.label)]
        if kind.description:
            lines.append(str(kind.description))
        if kind.nobody:
            lines.append(str(kind.nobody))
        lines.append(
            ngettext("%(count)s item.", "%(count)s items.", each.count) % {"count": each.count}
        )
        lines.append(_("Files: %(files)s") % {"files": ", ".join(each.files)})
        lines.append(_("Columns of %(file)s:") % {"file": f"{kind.key}.csv"})
        lines += _columns([("id", _("its number in Cadence")), *each.columns])
        for name, label, columns in each.rows:
            lines.append(
                _("Columns of %(file)s (%(what)s):") % {"file": name, "what": label}
                if label
                else _("Columns of %(file)s:") % {"file": name}
            )
            lines += _columns([(ITEM_ID, _("the id of its item")), *columns])
    return "\n".join(lines) + "\n"


def _columns(columns: Sequence[tuple[str, str]]) -> list[str]:
    return [f"  - {name}: {label}" if label else f"  - {name}" for name, label in columns]
