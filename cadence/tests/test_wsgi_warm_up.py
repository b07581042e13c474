"""A new worker reads what it keeps before its first request (`cadence.wsgi.warm_up`); when it
cannot (no tables before the first migrate), it says so in one line and serves anyway."""

import logging

import pytest
from django.db import OperationalError

from cadence import kept, wsgi

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "with_traceback"),
    [
        (OperationalError("no such table: goals_goalsettings"), False),  # not migrated yet
        (KeyError("a bug"), True),
    ],
)
def test_a_database_not_readable_yet_is_one_line_anything_else_a_traceback(
    monkeypatch, caplog, error, with_traceback
):
    def failing():
        raise error

    monkeypatch.setattr(kept, "read_all", failing)
    with caplog.at_level(logging.WARNING, logger="cadence.wsgi"):
        wsgi.warm_up()
    [record] = caplog.records
    assert (record.exc_info is not None) == with_traceback
    if not with_traceback:
        assert "no such table: goals_goalsettings" in record.getMessage()


def test_a_readable_database_logs_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger="cadence.wsgi"):
        wsgi.warm_up()
    assert caplog.records == []
