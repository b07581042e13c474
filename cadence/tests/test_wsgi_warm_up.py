"""A new worker reads what it keeps before its first request (`cadence.wsgi.warm_up`); when it
cannot (no tables before the first migrate), it says so in one line and serves anyway."""

import logging

import pytest
from django.db import OperationalError

from cadence import kept, wsgi

pytestmark = pytest.mark.django_db


def test_a_database_without_tables_is_one_line_not_a_traceback(monkeypatch, caplog):
    def not_migrated():
        raise OperationalError("no such table: goals_goalsettings")

    monkeypatch.setattr(kept, "read_all", not_migrated)
    with caplog.at_level(logging.WARNING, logger="cadence.wsgi"):
        wsgi.warm_up()
    [record] = caplog.records
    assert record.exc_info is None
    assert "no such table: goals_goalsettings" in record.getMessage()


def test_anything_else_is_logged_with_its_traceback(monkeypatch, caplog):
    def broken():
        raise KeyError("a bug")

    monkeypatch.setattr(kept, "read_all", broken)
    with caplog.at_level(logging.WARNING, logger="cadence.wsgi"):
        wsgi.warm_up()
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_a_readable_database_logs_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger="cadence.wsgi"):
        wsgi.warm_up()
    assert caplog.records == []
