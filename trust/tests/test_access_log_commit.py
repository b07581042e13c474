"""On PostgreSQL an entry written on its own commits without waiting for the disk (the page
does not wait for a flush); within a transaction it commits with it, as usual."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from access.reads import PAGE, collecting
from access.rules import read
from access.viewer import Viewer
from conftest import make_person
from goals.tests.factories import make_goal
from trust import access_log
from trust.models import AccessLogEntry

ASYNC = "set_config('synchronous_commit', 'off', true)"


@pytest.mark.django_db(transaction=True)
def test_an_entry_on_its_own_does_not_wait_for_the_disk_on_postgresql():
    manager = make_person("manager@example.com", "Manager")
    alice = make_person("alice@example.com", "Alice", manager=manager)
    goal = make_goal(alice, visibility="team")
    with collecting(PAGE, "/goals/") as reads:
        read(Viewer(manager), goal)
    with CaptureQueriesContext(connection) as queries:
        assert access_log.write(reads) == 1
    (insert,) = [q["sql"] for q in queries]
    assert insert.startswith('INSERT INTO "trust_accesslogentry"')
    assert (ASYNC in insert) == (connection.vendor == "postgresql")
    assert AccessLogEntry.objects.filter(viewer=manager, subject=alice, item=goal.pk).exists()


@pytest.mark.django_db
def test_within_a_transaction_the_entry_commits_with_it():
    manager = make_person("manager@example.com", "Manager")
    alice = make_person("alice@example.com", "Alice", manager=manager)
    goal = make_goal(alice, visibility="team")
    with collecting(PAGE, "/goals/") as reads:
        read(Viewer(manager), goal)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert access_log.write(reads) == 1
    assert not any(ASYNC in q["sql"] for q in queries)
