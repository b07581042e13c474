"""The access log: who was shown whose personal data, when and how.

`access.rules` notes the reads (`access.reads`); this module writes them. The middleware opens
a collection for every request and writes what it noted in one INSERT statement after the
response is made: a request that showed nobody else's data costs no query at all. Background
work that shows a person data, and an answer streamed after its request, open their own with
`recorded(EXPORT, …)`.

A response records only when it is a success (2xx): a page, a part of one (htmx), an API answer,
a download. A redirect, a refusal (401, 403, 404), an error, or a form sent back with its
errors (400, the page was recorded when it was opened) records nothing of what its view loaded.

Entries cannot be changed: a trigger refuses UPDATE on PostgreSQL and SQLite (`install_sql`).
They are deleted only when older than the retention period (`prune`: `run_jobs` and `manage.py
prune_access_log`); erasure keeps them, as they name people by id.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Field
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from access.reads import API, EXPORT, PAGE, Reads, collecting
from trust.models import AccessLogEntry, TrustSettings

__all__ = ["API", "EXPORT", "PAGE", "AccessLogMiddleware", "prune", "recorded", "write"]

PATH_MAX = AccessLogEntry._meta.get_field("path").max_length or 200
TABLE = AccessLogEntry._meta.db_table
FIELDS = ("at", "viewer", "subject", "kind", "item", "count", "channel", "path")
# Rows per INSERT, within SQLite's 32,766 values a statement: even an API page of 500 items
# about 500 people, of two kinds each, is one statement.
BATCH = 4000


def _field(name: str) -> Field[Any, Any]:
    field = AccessLogEntry._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def write(reads: Reads, at: datetime | None = None) -> int:
    """Write what was noted, in one INSERT statement (none when nothing was); how many
    entries. A plain multi-row INSERT: `bulk_create` would wrap it in a transaction, whose
    BEGIN is a statement of its own on SQLite, and one statement is atomic anyway."""
    entries = reads.entries()
    if not entries:
        return 0
    at = at or timezone.now()
    fields = [_field(name) for name in FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column or field.name) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    path = reads.path[:PATH_MAX]
    values = [
        (at, read.viewer_id, read.subject_id, read.kind, read.item, read.count, reads.channel, path)
        for read in entries
    ]
    after = _without_waiting_for_the_disk()
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            params = [
                field.get_db_prep_save(value, connection)
                for one in batch
                for field, value in zip(fields, one, strict=True)
            ]
            rows = ", ".join([row] * len(batch))
            sql = f"INSERT INTO {quote(TABLE)} ({columns}) VALUES {rows}{after}"  # noqa: S608
            cursor.execute(sql, params)
    return len(entries)


def _without_waiting_for_the_disk() -> str:
    """On PostgreSQL, a statement of its own (not within a transaction) commits without waiting
    for its WAL to reach the disk (`synchronous_commit` off for that transaction alone, set in
    the same statement): a page that shows someone's data does not wait for a disk flush to
    record it. The entry is still atomic and ordered; only a crash of the database server in
    the next fraction of a second (`wal_writer_delay`, 200 ms by default) could lose it. Within
    a transaction (a background export), nothing changes: that transaction commits as usual."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return ""
    return " RETURNING set_config('synchronous_commit', 'off', true)"


@contextmanager
def recorded(channel: str = EXPORT, path: str = "") -> Iterator[Reads]:
    """Record the reads made inside the block, written when it ends, also when it ends early (a
    download the browser stopped had sent what was read): background work and streamed
    answers, which outlive their request (`with recorded(EXPORT, "export 12"): …`)."""
    with collecting(channel, path) as reads:
        try:
            yield reads
        finally:
            write(reads)


def shows_something(response: HttpResponseBase) -> bool:
    return 200 <= response.status_code < 300


class AccessLogMiddleware:
    """Collects the reads of each request and writes them after the response is made."""

    api_prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        channel = API if request.path_info.startswith(self.api_prefix) else PAGE
        with collecting(channel, request.path) as reads:
            response = self.get_response(request)
        if shows_something(response):
            write(reads)
        return response


# --- Retention ----------------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` months earlier (the month's last day when it is shorter)."""
    month0 = moment.month - 1 - months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def cutoff(now: datetime | None = None) -> datetime:
    """Entries from before this moment are past the retention period."""
    return months_before(now or timezone.now(), TrustSettings.load().access_log_months)


def prune(now: datetime | None = None, *, batch: int = 5000, dry_run: bool = False) -> int:
    """Delete the entries past the retention period, `batch` at a time (each its own short
    statement, so that the log stays writable meanwhile); how many. Safe to run again and
    beside another copy of itself: a batch deletes what is still there."""
    old = AccessLogEntry.objects.filter(at__lt=cutoff(now))
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        ids = list(old.order_by("at", "pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += AccessLogEntry.objects.filter(pk__in=ids).delete()[0]


# --- Immutability -------------------------------------------------------------------------------

REFUSAL = "access log entries cannot be changed"


def install_sql(vendor: str) -> list[str]:
    """The trigger that refuses any UPDATE of an entry, on this database."""
    if vendor == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION trust_access_log_unchangeable() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
            f"DROP TRIGGER IF EXISTS trust_access_log_unchangeable ON {TABLE}",
            f"CREATE TRIGGER trust_access_log_unchangeable BEFORE UPDATE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION trust_access_log_unchangeable()",
        ]
    return [
        "DROP TRIGGER IF EXISTS trust_access_log_unchangeable",
        f"CREATE TRIGGER trust_access_log_unchangeable BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ]


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS trust_access_log_unchangeable ON {TABLE}",
            "DROP FUNCTION IF EXISTS trust_access_log_unchangeable()",
        ]
    return ["DROP TRIGGER IF EXISTS trust_access_log_unchangeable"]


def has_trigger() -> bool:
    return connection.vendor in ("postgresql", "sqlite")
