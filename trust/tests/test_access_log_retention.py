"""Retention: `prune_access_log` deletes the entries older than the organisation's period, in
batches, says how many, and with --dry-run deletes nothing; running it again changes nothing."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from trust import access_log
from trust.models import AccessLogEntry, TrustSettings

pytestmark = pytest.mark.django_db


def entry(cast, at):
    return AccessLogEntry.objects.create(
        at=at, viewer=cast.bob, subject=cast.alice, kind="goals.team", item=1, channel="page"
    )


def prune(*args):
    out = StringIO()
    call_command("prune_access_log", *args, stdout=out)
    return out.getvalue()


def test_entries_older_than_the_period_go_and_newer_ones_stay(cast):
    now = timezone.now()
    old = [entry(cast, now - timedelta(days=days)) for days in (800, 740)]
    kept = [entry(cast, now - timedelta(days=days)) for days in (700, 1)]
    assert "2 access-log entries" in prune()
    assert set(AccessLogEntry.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    assert not AccessLogEntry.objects.filter(pk__in=[e.pk for e in old]).exists()


def test_the_period_is_the_organisations_setting(cast):
    settings = TrustSettings.load()
    settings.access_log_months = 1
    settings.save()
    now = timezone.now()
    entry(cast, now - timedelta(days=40))
    recent = entry(cast, now - timedelta(days=20))
    prune()
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_dry_run_says_what_would_go_and_deletes_nothing(cast):
    entry(cast, timezone.now() - timedelta(days=800))
    out = prune("--dry-run")
    assert "1 access-log entries" in out and "would be deleted" in out
    assert AccessLogEntry.objects.count() == 1


def test_running_it_again_deletes_nothing_more(cast):
    for days in (800, 801, 802, 5):
        entry(cast, timezone.now() - timedelta(days=days))
    assert "3 access-log entries" in prune("--batch", "2")
    assert "0 access-log entries" in prune()
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.parametrize(
    "now, months, expected",
    [
        (datetime(2027, 3, 31, 12, tzinfo=UTC), 1, datetime(2027, 2, 28, 12, tzinfo=UTC)),
        (datetime(2027, 1, 15, 8, tzinfo=UTC), 24, datetime(2025, 1, 15, 8, tzinfo=UTC)),
        (datetime(2028, 2, 29, 0, tzinfo=UTC), 12, datetime(2027, 2, 28, 0, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(now, months, expected):
    assert access_log.months_before(now, months) == expected


def test_run_jobs_prunes_the_log_too(cast):
    from cadence.jobs import run_jobs

    entry(cast, timezone.now() - timedelta(days=800))
    kept = entry(cast, timezone.now())
    lines = run_jobs(timezone.now(), names=["access-log"])
    assert lines == ["access-log entries past the retention period deleted: 1"]
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert run_jobs(timezone.now(), names=["access-log"]) == []
