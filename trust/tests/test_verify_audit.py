"""`manage.py verify_audit`: the chain's check from the shell, for cron and monitoring."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trust import audit
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_it_counts_the_entries_of_a_chain_that_holds():
    for name in ("Ann", "Bo"):
        audit.record("person.added", changes={"name": [None, name]})
    assert run() == "Checked 2 audit log entries.\nThe chain holds.\n"


def test_it_fails_at_a_row_edited_in_sql():
    audit.record("person.added", changes={"name": [None, "Ann"]})
    edited = audit.record("person.added", changes={"name": [None, "Bo"]})
    audit.record("person.added", changes={"name": [None, "Cy"]})
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET action = 'person.left' WHERE id = %s",  # noqa: S608
            [edited.pk],
        )
    out = StringIO()
    with pytest.raises(CommandError, match=f"Broken link at entry {edited.pk}: was changed"):
        call_command("verify_audit", stdout=out)
    assert out.getvalue() == "Checked 1 audit log entries.\n"


def test_head_prints_where_the_chain_ends_and_expect_checks_it_later():
    audit.record("a")
    last = audit.record("b")
    out = run("--head")
    assert f"Head: 2:{last.hash}\n" in out
    audit.record("c")
    assert "The chain holds." in run("--expect", f"2:{last.hash}")
    with pytest.raises(CommandError, match="is not the entry of the head kept earlier"):
        run("--expect", f"2:{'f' * 64}")


def test_expect_must_look_like_a_head():
    with pytest.raises(CommandError, match="COUNT:HASH"):
        run("--expect", "yesterday")
