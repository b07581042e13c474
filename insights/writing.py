"""Writing many rows of Insights' figures at once, through the database cursor: the same values
Django's `bulk_create` would write (each prepared by its field's `get_db_prep_save`), without
its per-object and per-value work (a run at 10,000 people writes 43,000 snapshots and 100,000
closed months' cells; `bulk_create` spent more on preparing their SQL than the database on
taking them in). A survey round's figures are written the same way when it closes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 2000


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    unique: Sequence[str] = (),
    update: Sequence[str] = (),
) -> int:
    """INSERT `rows` (tuples of Python values in `fields` order) into `model`'s table; a row
    whose `unique` fields match one there already updates its `update` fields (none: it is
    left as it was: ON CONFLICT ... DO NOTHING; no `unique`: a row that conflicts fails, as
    with `bulk_create`). Values of JSON fields are prepared one by one;
    other values once for each distinct value (a run's moment, a few periods)."""
    meta, quote = model._meta, connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)  # type: ignore[union-attr,arg-type]

    concrete = [meta.get_field(name) for name in fields]
    columns = ", ".join(column(name) for name in fields)
    conflict = ", ".join(column(name) for name in unique)
    if not unique:
        action = ""
    elif update:
        sets = ", ".join(f"{column(name)} = EXCLUDED.{column(name)}" for name in update)
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    if action:
        action = f" ON CONFLICT ({conflict}) {action}"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(concrete))}){action}"
    )
    preparers = [_preparer(field) for field in concrete]
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(p(value) for p, value in zip(preparers, row, strict=True)))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _preparer(field: Any) -> Any:
    def prepare(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    if isinstance(field, models.JSONField):
        return prepare
    prepared: dict[Any, Any] = {}

    def once(value: Any) -> Any:
        try:
            return prepared[value]
        except KeyError:
            found = prepared[value] = prepare(value)
            return found

    return once
