"""After a migration, SQLite's planner statistics are refreshed where they exist."""

import pytest
from django.db import connection

from cadence.maintenance import refresh_planner_statistics

pytestmark = pytest.mark.django_db


def stats(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
def test_stale_statistics_are_refreshed_after_a_migration_and_only_then(cast):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("UPDATE sqlite_stat1 SET stat = '999999 999999' WHERE tbl = 'people_person'")
    refresh_planner_statistics(plan=[])  # nothing migrated: left alone
    assert "999999 999999" in stats("people_person")
    refresh_planner_statistics(plan=[("a migration", False)])
    assert "999999 999999" not in stats("people_person")
    assert stats("people_person")


def test_the_refresh_is_connected_to_migrate():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    sync_receivers, _ = post_migrate._live_receivers(apps.get_app_config("people"))
    assert refresh_planner_statistics in sync_receivers
