"""The audit log's chain: entries link, a change made in SQL is caught, the chain cannot fork."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from trust import audit
from trust.models import AppendOnly, AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


def sql(statement, *params):
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{table}", table), params)


def test_entries_link_into_one_chain_that_verifies():
    first = audit.record("person.added", subject=7, changes={"name": [None, "Ann"]})
    second = audit.record("person.changed", actor=7, subject=7, changes={"team": [1, 2]})
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash
    assert audit.verify() == (2, None)


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("action", "'person.left'", "was changed after it was written"),
        ("subject_id", "6", "was changed after it was written"),
        ("changes", '\'{"name": [null, "Bob"]}\'', "its changes were altered"),
    ],
)
def test_a_change_made_in_sql_is_caught_at_its_entry(column, value, reason):
    audit.record("person.added", subject=7, changes={"name": [None, "Ann"]})
    tampered = audit.record("person.added", subject=8, changes={"name": [None, "Ann"]})
    audit.record("person.added", subject=9, changes={})
    sql(f"UPDATE {{table}} SET {column} = {value} WHERE id = %s", tampered.pk)  # noqa: S608
    checked, broken = audit.verify()
    assert checked == 1
    assert broken == audit.Broken(tampered.pk, reason)


def test_a_deleted_entry_breaks_the_link_of_the_next():
    audit.record("a")
    middle = audit.record("b")
    after = audit.record("c")
    sql("DELETE FROM {table} WHERE id = %s", middle.pk)
    assert audit.verify()[1] == audit.Broken(after.pk, "does not follow the entry before it")


def test_deleting_the_newest_entries_is_caught_by_the_head():
    audit.record("a")
    kept = audit.record("b")
    newest = audit.record("c")
    sql("DELETE FROM {table} WHERE id = %s", newest.pk)
    assert audit.verify() == (
        2,
        audit.Broken(kept.pk, "ends the chain, but the log's head says 3 entries"),
    )


def test_a_missing_head_is_caught_and_made_again_by_the_next_entry_which_says_so():
    audit.record("a")
    last = audit.record("b")
    AuditHead.objects.all().delete()
    assert audit.verify() == (
        2,
        audit.Broken(last.pk, "ends the chain, but the log's head is missing"),
    )
    newest = audit.record("c")
    restored = AuditEntry.objects.get(prev_hash=last.hash)
    assert (restored.action, restored.changes) == (audit.HEAD_RESTORED, {"entries": 2})
    assert newest.prev_hash == restored.hash
    assert audit.verify() == (4, None)
    assert audit.head() == (4, newest.hash)


def test_an_entry_past_the_head_is_caught():
    audit.record("a")
    last = audit.record("b")
    AuditHead.objects.update(
        count=1, hash=AuditEntry.objects.get(pk__lt=last.pk).hash, entry_id=last.pk - 1
    )
    assert audit.verify()[1] == audit.Broken(last.pk, "comes after the entry the log's head names")


def test_a_head_kept_elsewhere_must_stay_in_the_chain():
    audit.record("a")
    kept = audit.head()
    audit.record("b")
    assert audit.verify(expect=kept) == (2, None)
    # Someone rewrites the whole chain from the start (and the head with it).
    sql("DELETE FROM {table}")
    AuditHead.objects.all().delete()
    forged = audit.record("a, said otherwise")
    audit.record("b")
    assert audit.verify() == (2, None)
    assert audit.verify(expect=kept) == (
        0,
        audit.Broken(forged.pk, "is not the entry of the head kept earlier"),
    )
    assert audit.verify(expect=(5, kept[1]))[1] == audit.Broken(
        AuditEntry.objects.latest("id").pk, "ends the chain, but the head kept earlier had 5"
    )


def test_changes_are_stored_as_json_gives_them_back_and_still_verify():
    entry = audit.record(
        "person.changed", changes={"start_date": [datetime.date(2024, 3, 1), None], "ids": (1, 2)}
    )
    entry.refresh_from_db()
    assert entry.changes == {"start_date": ["2024-03-01", None], "ids": [1, 2]}
    assert audit.verify() == (1, None)


def test_append_chains_many_entries_in_one_write():
    audit.record("first")
    made = audit.append([audit.new_entry("x", subject=n, changes={"n": n}) for n in range(5)])
    assert [entry.prev_hash for entry in made[1:]] == [entry.hash for entry in made[:-1]]
    assert audit.verify() == (6, None)
    assert audit.head() == (6, made[-1].hash)


def test_entries_are_not_changed_or_deleted_through_the_orm():
    entry = audit.record("a", changes={"name": [None, "Ann"]})
    entry.action = "b"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.update(action="b")


def test_two_entries_cannot_follow_the_same_one():
    first = audit.record("a")
    fork = AuditEntry(
        at=first.at, action="b", prev_hash=first.prev_hash, payload_hash="x", hash="y"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_redact_blanks_the_values_about_a_person_and_the_chain_still_holds():
    about_ann = audit.record("person.added", subject=7, changes={"name": [None, "Ann"]})
    about_bo = audit.record("person.added", subject=8, changes={"name": [None, "Bo"]})
    audit.record("person.changed", actor=8, subject=7, changes={"manager": [None, 8]})
    assert audit.redact(7, by=8) == 2
    about_ann.refresh_from_db()
    about_bo.refresh_from_db()
    assert (about_ann.changes, about_ann.redacted) == ({"name": None}, True)
    assert (about_bo.changes, about_bo.redacted) == ({"name": [None, "Bo"]}, False)
    redaction = AuditEntry.objects.latest("id")
    assert (redaction.action, redaction.actor_id, redaction.subject_id) == (
        audit.REDACTED,
        8,
        7,
    )
    assert redaction.changes == {"entries": 2}
    assert audit.verify() == (4, None)


def test_redacting_again_blanks_nothing_and_records_nothing():
    audit.record("person.added", subject=7, changes={"name": [None, "Ann"]})
    audit.redact(7, by=None)
    assert audit.redact(7, by=None) == 0
    assert AuditEntry.objects.count() == 2


def test_a_redaction_made_in_sql_without_an_erasure_entry_is_caught():
    audit.record("person.added", subject=6, changes={"name": [None, "Cy"]})
    blanked = audit.record("person.added", subject=7, changes={"name": [None, "Ann"]})
    audit.record("person.added", subject=8, changes={"name": [None, "Bo"]})
    sql(
        "UPDATE {table} SET changes = %s, redacted = %s WHERE id = %s",
        '{"name": null}',
        True,
        blanked.pk,
    )
    assert audit.verify() == (1, audit.Broken(blanked.pk, "was redacted without an erasure entry"))


def test_values_written_into_a_redacted_entry_are_caught():
    """The hash no longer covers a redacted entry's changes: they must be the blanks `redact`
    left, or anyone could write other values into the entries of someone erased."""
    forged = audit.record("person.changed", subject=7, changes={"level": [1, 2]})
    audit.redact(7, by=None)
    assert audit.verify() == (2, None)
    sql("UPDATE {table} SET changes = %s WHERE id = %s", '{"level": [1, 9]}', forged.pk)
    assert audit.verify() == (0, audit.Broken(forged.pk, "its changes were altered"))


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_take_turns_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write already")
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def write(number):
        try:
            for step in range(10):
                with transaction.atomic():
                    audit.record("a", subject=number, changes={"step": step})
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    assert audit.verify() == (40, None)
