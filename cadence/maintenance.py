"""Database upkeep that runs by itself."""

from __future__ import annotations

from typing import Any

from django.db import connections


def refresh_planner_statistics(using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    """After a migration (post_migrate), on SQLite: refresh the planner's statistics where
    there are any. ANALYZE's `sqlite_stat1` still describes the indexes as they were, and an
    index the migration added or changed looks unknown or wrong to the planner: at 10,000
    people a goals list went from 20 to 150 ms until the next ANALYZE. Without statistics
    SQLite plans from its defaults, which suit Cadence's indexes: nothing to do then.
    PostgreSQL's autovacuum keeps its own statistics."""
    if not plan:
        return
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE")
