"""Rhythm tallies: rhythm health's counts kept up to date as conversations change, so that the
organisation-wide page reads thousands of monthly sums instead of a year of conversations.

A tally row counts the held and skipped rhythm conversations of one bucket: the employee's
team and line manager of today, the conversation's manager, and the month of its due date.
Database triggers keep it exact for every write, whatever wrote it (a page, the API, a
management command, a bulk `update`, the admin): a conversation inserted, changed or deleted
moves its count out of its old bucket and into its new one; a person who moves team or gets
another manager moves all their counts. On PostgreSQL each trigger reads the employee's row
`FOR SHARE`, so a move and a sign-off at the same moment cannot count in the wrong bucket; on
SQLite writes are one at a time anyway.

What the tallies do not hold is read live, from few rows: open conversations past their window
(missed, counted as not on time) and held or skipped ones due later this month. `rebuild()`
recounts everything from the conversations (the demo's bulk load pauses the triggers and
rebuilds once); `python manage.py rhythm_tallies` checks them and repairs any difference.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Q, Sum

from access.rules import visible
from conversations.adherence import Adherence, missed_q, on_time_q, window_start
from conversations.models import RHYTHM_KIND_VALUES, Conversation, RhythmTally, Status
from conversations.rules import RhythmTallyRules

if TYPE_CHECKING:
    from access.viewer import Viewer

Pairs = dict[tuple[int | None, int], Adherence]

TABLE = "conversations_rhythmtally"
KEY = "team_id, line_manager_id, manager_id, month"
_KINDS = ", ".join(f"'{kind}'" for kind in RHYTHM_KIND_VALUES)


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _cases(row: str, sign: str = "") -> tuple[str, str, str]:
    """held, on_time, skipped of the conversation `row` (OLD, NEW or an alias), times `sign`."""
    return (
        f"CASE WHEN {row}.status = 'held' THEN {sign}1 ELSE 0 END",
        f"CASE WHEN {row}.status = 'held' AND {row}.held_in_window THEN {sign}1 ELSE 0 END",
        f"CASE WHEN {row}.status = 'skipped' THEN {sign}1 ELSE 0 END",
    )


def _counts(row: str, sign: str) -> str:
    return ", ".join(_cases(row, sign))


def _sums(alias: str, sign: str = "") -> str:
    """The same counts summed over the conversations `alias`, times `sign`."""
    return ", ".join(f"{sign}SUM({case})" for case in _cases(alias))


_UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET held = {TABLE}.held + excluded.held, "
    f"on_time = {TABLE}.on_time + excluded.on_time, skipped = {TABLE}.skipped + excluded.skipped"
)


def _tallied(row: str) -> str:
    return f"{row}.kind IN ({_KINDS}) AND {row}.status IN ('held', 'skipped')"


def _conversation_change(row: str, sign: str, lock: str = "") -> str:
    """The INSERT that adds (sign '') or removes (sign '-') the conversation `row`'s counts."""
    return (
        f"INSERT INTO {TABLE} ({KEY}, held, on_time, skipped) "  # noqa: S608 (no input)
        f"SELECT COALESCE(p.team_id, 0), COALESCE(p.manager_id, 0), {row}.manager_id, "
        f"{_month(f'{row}.due_date')}, {_counts(row, sign)} "
        f"FROM people_person p WHERE p.id = {row}.employee_id AND {_tallied(row)} {lock} "
        f"{_UPSERT}"
    )


def _person_move(row: str, sign: str) -> str:
    """The INSERT that adds or removes every count of the person `row` (OLD or NEW) under their
    team and line manager of that version."""
    return (
        f"INSERT INTO {TABLE} ({KEY}, held, on_time, skipped) "  # noqa: S608 (no input)
        f"SELECT COALESCE({row}.team_id, 0), COALESCE({row}.manager_id, 0), c.manager_id, "
        f"{_month('c.due_date')}, "
        f"{_sums('c', sign)} "
        f"FROM conversations_conversation c WHERE c.employee_id = {row}.id AND {_tallied('c')} "
        f"GROUP BY c.manager_id, {_month('c.due_date')} {_UPSERT}"
    )


# Columns whose change can move a conversation's counts.
_COLUMNS = ("status", "held_in_window", "due_date", "kind", "manager_id", "employee_id")
_CONVERSATION_COLUMNS = ", ".join(_COLUMNS)


def _changed(op: str) -> str:
    """The UPDATE changed a column that can move the counts (`op`: IS DISTINCT FROM on
    PostgreSQL, IS NOT on SQLite)."""
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in _COLUMNS)


def install_sql() -> list[str]:
    """The statements that create the triggers on this connection's database."""
    if connection.vendor == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION conversations_tally_conversation() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
            f"{_conversation_change('OLD', '-', 'FOR SHARE OF p')}; END IF; "
            "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
            f"{_conversation_change('NEW', '', 'FOR SHARE OF p')}; END IF; "
            "RETURN NULL; END $$",
            "CREATE OR REPLACE FUNCTION conversations_tally_person() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"{_person_move('OLD', '-')}; {_person_move('NEW', '')}; RETURN NULL; END $$",
            "DROP TRIGGER IF EXISTS conversations_tally ON conversations_conversation",
            "CREATE TRIGGER conversations_tally AFTER INSERT OR DELETE "
            "ON conversations_conversation FOR EACH ROW "
            "EXECUTE FUNCTION conversations_tally_conversation()",
            "DROP TRIGGER IF EXISTS conversations_tally_update ON conversations_conversation",
            f"CREATE TRIGGER conversations_tally_update AFTER UPDATE OF {_CONVERSATION_COLUMNS} "
            "ON conversations_conversation FOR EACH ROW "
            f"WHEN ({_changed('IS DISTINCT FROM')}) "
            "EXECUTE FUNCTION conversations_tally_conversation()",
            "DROP TRIGGER IF EXISTS conversations_tally_person ON people_person",
            "CREATE TRIGGER conversations_tally_person AFTER UPDATE OF team_id, manager_id "
            "ON people_person FOR EACH ROW WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id "
            "OR OLD.manager_id IS DISTINCT FROM NEW.manager_id) "
            "EXECUTE FUNCTION conversations_tally_person()",
        ]
    # SQLite: a WHERE before ON CONFLICT tells its parser the SELECT has ended.
    return [
        "DROP TRIGGER IF EXISTS conversations_tally_insert",
        "DROP TRIGGER IF EXISTS conversations_tally_update",
        "DROP TRIGGER IF EXISTS conversations_tally_delete",
        "DROP TRIGGER IF EXISTS conversations_tally_person",
        "CREATE TRIGGER conversations_tally_insert AFTER INSERT ON conversations_conversation "
        f"BEGIN {_conversation_change('NEW', '')}; END",
        f"CREATE TRIGGER conversations_tally_update AFTER UPDATE OF {_CONVERSATION_COLUMNS} "
        f"ON conversations_conversation WHEN {_changed('IS NOT')} "
        f"BEGIN {_conversation_change('OLD', '-')}; {_conversation_change('NEW', '')}; END",
        "CREATE TRIGGER conversations_tally_delete AFTER DELETE ON conversations_conversation "
        f"BEGIN {_conversation_change('OLD', '-')}; END",
        "CREATE TRIGGER conversations_tally_person AFTER UPDATE OF team_id, manager_id "
        "ON people_person WHEN OLD.team_id IS NOT NEW.team_id "
        "OR OLD.manager_id IS NOT NEW.manager_id "
        f"BEGIN {_person_move('OLD', '-')}; {_person_move('NEW', '')}; END",
    ]


def uninstall_sql() -> list[str]:
    if connection.vendor == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS conversations_tally ON conversations_conversation",
            "DROP TRIGGER IF EXISTS conversations_tally_update ON conversations_conversation",
            "DROP TRIGGER IF EXISTS conversations_tally_person ON people_person",
            "DROP FUNCTION IF EXISTS conversations_tally_conversation()",
            "DROP FUNCTION IF EXISTS conversations_tally_person()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS conversations_tally_{name}"
        for name in ("insert", "update", "delete", "person")
    ]


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install() -> None:
    _run(install_sql())


def _recount_sql() -> str:
    """Every bucket's counts, from the conversations."""
    return (
        "SELECT COALESCE(p.team_id, 0), COALESCE(p.manager_id, 0), c.manager_id, "  # noqa: S608
        f"{_month('c.due_date')}, "
        f"{_sums('c')} "
        "FROM conversations_conversation c JOIN people_person p ON p.id = c.employee_id "
        f"WHERE {_tallied('c')} GROUP BY 1, 2, 3, 4"
    )


def rebuild() -> None:
    """Recount every tally from the conversations."""
    _run(
        [
            f"DELETE FROM {TABLE}",  # noqa: S608
            f"INSERT INTO {TABLE} ({KEY}, held, on_time, skipped) {_recount_sql()}",
        ]
    )


def stored() -> dict[tuple[int, int, int, date], tuple[int, int, int]]:
    """The tallies as kept, without empty buckets: {(team, line manager, manager, month):
    (held, on time, skipped)}."""
    rows = RhythmTally.objects.exclude(held=0, on_time=0, skipped=0).values_list(
        "team_id", "line_manager_id", "manager_id", "month", "held", "on_time", "skipped"
    )
    return {tuple(row[:4]): tuple(row[4:]) for row in rows}  # type: ignore[misc]


def recounted() -> dict[tuple[int, int, int, date], tuple[int, int, int]]:
    """The tallies as the conversations say they should be, in the shape of `stored`."""
    with connection.cursor() as cursor:
        cursor.execute(_recount_sql())
        rows = cursor.fetchall()
    month = RhythmTally._meta.get_field("month")
    return {
        (team, line, manager, month.to_python(due)): (held, on_time, skipped)
        for team, line, manager, due, held, on_time, skipped in rows
    }


def differences() -> list[tuple[int, int, int, date]]:
    """The buckets whose tally is not what the conversations say (none, unless the triggers
    were bypassed: dropped, or a bulk load that did not rebuild)."""
    kept, truth = stored(), recounted()
    return sorted(key for key in kept.keys() | truth.keys() if kept.get(key) != truth.get(key))


@contextmanager
def paused() -> Iterator[None]:
    """For bulk loads: no trigger while inside, one `rebuild` at the end (in the caller's
    transaction on both databases)."""
    _run(uninstall_sql())
    try:
        yield
    finally:
        install()
        rebuild()


# --- Reading --------------------------------------------------------------------------------


def adherence_by_team_and_manager(viewer: Viewer, today: date) -> Pairs:
    """{(the employees' team id or None, the conversations' manager id): Adherence} over the
    conversations the viewer counts in adherence (`rules` "adherence"): exactly what
    `adherence_by_pairs(visible(viewer, rhythm, "adherence"), ("employee__team_id",
    "manager_id"), today)` counts, in three queries: the tallies of the window's months; then,
    from few conversations, what adherence counts that they do not hold (open ones past their
    window: missed) and what they hold that adherence does not count (held or skipped but
    due later this month; the viewer's own, where a bucket they see holds them)."""
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    result: dict[tuple[int | None, int], Adherence] = defaultdict(Adherence)
    rows = (
        visible(viewer, RhythmTally.objects.all())
        .filter(month__gte=window_start(today), month__lte=today.replace(day=1))
        .order_by()
        .values("team_id", "manager_id")
        .annotate(held=Sum("held"), on_time=Sum("on_time"), skipped=Sum("skipped"))
    )
    for row in rows:
        key = (row["team_id"] or None, row["manager_id"])
        result[key] += Adherence(row["on_time"], row["held"] + row["skipped"])

    # The corrections, in two queries, each read through an index over a few due dates
    # (one query with both conditions made PostgreSQL scan every conversation: 0.7 s at
    # 100,000 people).
    settled = Q(status__in=[Status.HELD, Status.SKIPPED])
    rhythm = visible(viewer, Conversation.objects.rhythm(), "adherence")
    later = rhythm.filter(settled, due_date__gt=today, due_date__lte=month_end)
    me = viewer.person
    if me is not None and RhythmTallyRules.holds_own(viewer):
        later |= Conversation.objects.rhythm().filter(
            settled, employee=me, due_date__gte=window_start(today), due_date__lte=month_end
        )
    fields = ("employee__team_id", "manager_id")
    missed = rhythm.filter(missed_q(today)).order_by().values(*fields).annotate(n=Count("pk"))
    for row in missed:
        key = (row[fields[0]], row[fields[1]])
        was = result[key]
        result[key] = Adherence(was.on_time, was.counted + row["n"])
    removed = (
        later.order_by()
        .values(*fields)
        .annotate(n=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    )
    for row in removed:
        key = (row[fields[0]], row[fields[1]])
        was = result[key]
        result[key] = Adherence(was.on_time - row["on_time"], was.counted - row["n"])
    return {key: value for key, value in result.items() if value.counted}
