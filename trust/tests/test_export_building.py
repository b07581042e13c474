"""Building an export in the background (once, whoever else tries) and pruning the expired:
`manage.py prune_exports` and the "exports" job of `run_jobs`, both safe to run again."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from cadence.jobs import run_jobs
from trust import exporting, services_export
from trust.models import DataExport, ExportStatus
from trust.tests.export_helpers import export_of


def test_the_background_task_builds_a_queued_export_once(cast):
    export = export_of(cast.alice, ExportStatus.QUEUED, ago=timedelta(0))
    assert services_export.build(export.pk) is True
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert export.kinds_done == export.kinds_total == len(exporting.kinds())
    assert export.size == len(export.content) > 0
    assert export.expires_at - export.finished_at == timedelta(days=7)
    assert services_export.build(export.pk) is False  # taken already: nothing to do


def test_prune_exports_deletes_expired_ones_and_is_safe_to_run_again(cast):
    expired = export_of(cast.alice, expires_at=timezone.now() - timedelta(seconds=1))
    fresh = export_of(cast.bob)
    abandoned = export_of(cast.carol, ExportStatus.FAILED, ago=timedelta(days=8))
    call_command("prune_exports", stdout=(out := io.StringIO()))
    assert "2 export(s) deleted." in out.getvalue()
    assert list(DataExport.objects.all()) == [fresh]
    assert not DataExport.objects.filter(pk__in=[expired.pk, abandoned.pk]).exists()
    call_command("prune_exports", stdout=(again := io.StringIO()))
    assert "0 export(s) deleted." in again.getvalue()


def test_run_jobs_prunes_expired_exports(cast):
    export_of(cast.alice, expires_at=timezone.now() - timedelta(seconds=1))
    assert "expired exports deleted: 1" in run_jobs(timezone.now(), ["exports"])
    assert run_jobs(timezone.now(), ["exports"]) == []
