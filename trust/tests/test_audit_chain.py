"""The audit log's chain: entries link, a change made in SQL is caught, the chain cannot fork."""

import pytest
from django.db import IntegrityError, connection, transaction

from trust import audit
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


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
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET {column} = {value} WHERE id = %s"  # noqa: S608 - the test's own
        cursor.execute(sql, [tampered.pk])
    checked, broken = audit.verify()
    assert checked == 1
    assert broken == audit.Broken(tampered.pk, reason)


def test_a_deleted_entry_breaks_the_link_of_the_next():
    audit.record("a")
    middle = audit.record("b")
    after = audit.record("c")
    AuditEntry.objects.filter(pk=middle.pk).delete()
    assert audit.verify()[1] == audit.Broken(after.pk, "does not follow the entry before it")


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
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET changes = %s, redacted = %s WHERE id = %s"  # noqa: S608
        cursor.execute(sql, ['{"name": null}', True, blanked.pk])
    assert audit.verify() == (1, audit.Broken(blanked.pk, "was redacted without an erasure entry"))
