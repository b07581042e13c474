"""Nobody changes an access-log entry: the database refuses an UPDATE (SQL or the ORM), the
admin does not offer the log, and the API only reads it."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from trust import access_log
from trust.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(cast):
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        viewer=cast.bob,
        subject=cast.alice,
        kind="goals.team",
        item=7,
        channel="page",
        path="/goals/7/",
    )


@pytest.mark.parametrize("column, value", [("viewer_id", 1), ("kind", "'x'"), ("at", "at")])
def test_an_update_in_sql_is_refused(logged, column, value):
    assert access_log.has_trigger()
    table = AccessLogEntry._meta.db_table
    sql = f"UPDATE {table} SET {column} = {value} WHERE id = %s"  # noqa: S608 - the test's own
    refused = pytest.raises(DatabaseError, match=access_log.REFUSAL)
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [logged.pk])
    assert AccessLogEntry.objects.get(pk=logged.pk).kind == "goals.team"


def test_saving_a_changed_entry_is_refused(logged, cast):
    logged.viewer = cast.carol
    with pytest.raises(DatabaseError), transaction.atomic():
        logged.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=logged.pk).update(path="/elsewhere/")
    assert AccessLogEntry.objects.get(pk=logged.pk).viewer_id == cast.bob.pk


def test_the_admin_does_not_offer_the_log():
    assert AccessLogEntry not in admin.site._registry
