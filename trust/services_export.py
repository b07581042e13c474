"""Every write of the export of a person's data: asking for one (built in the background by
`trust.tasks_export.build_export`), building it, and removing those whose link has expired.

One export per person at a time: a new one replaces the last, and none is asked for while one
is being built. Against abuse, a person asks at most once every `EXPORT_EVERY_MINUTES` (a
failed export may be asked for again at once). An export that has waited longer than
`STALE_AFTER` (the worker stopped) no longer stops a new one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from cadence.refusals import Conflict
from trust import access_log, exporting
from trust.models import IN_PROGRESS, DataExport, ExportStatus

if TYPE_CHECKING:
    from access.viewer import Viewer

STALE_AFTER = timedelta(hours=6)
# A bound on the file kept in the database; a person's text data zips to a few megabytes.
MAX_BYTES = 200 * 1024 * 1024


class TooSoon(Exception):
    """The person asked for an export a short while ago: they may ask again at `until`."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            _("You asked for an export a short while ago. You may ask for a new one at %(time)s.")
            % {"time": time_format(timezone.localtime(until), "TIME_FORMAT")}
        )


def is_stale(export: DataExport, now: datetime) -> bool:
    return export.in_progress and export.requested_at <= now - STALE_AFTER


def request_export(viewer: Viewer, language: str) -> DataExport:
    """Ask for a new export of the viewer's data, in `language`: `Conflict` while one is being
    built, `TooSoon` within `EXPORT_EVERY_MINUTES` of the last."""
    from trust.tasks_export import build_export

    person = viewer.person
    if person is None:
        raise PermissionDenied
    now = timezone.now()
    every = timedelta(minutes=settings.EXPORT_EVERY_MINUTES)
    try:
        with transaction.atomic():
            last = DataExport.objects.select_for_update().filter(person=person).first()
            if last is not None:
                if last.in_progress and not is_stale(last, now):
                    raise Conflict(_("Your export is being prepared already."))
                if last.status != ExportStatus.FAILED and last.requested_at > now - every:
                    raise TooSoon(last.requested_at + every)
                last.delete()
            export = DataExport.objects.create(
                person=person,
                language=language,
                status=ExportStatus.QUEUED,
                requested_at=now,
                kinds_total=len(exporting.kinds()),
            )
            # In the same transaction: the worker sees the task once the export exists.
            build_export.enqueue(export.pk)
    except IntegrityError:  # another request of the same person made one meanwhile
        raise Conflict(_("Your export is being prepared already.")) from None
    export.refresh_from_db()
    return export


def build(export_id: int) -> bool:
    """Build the export (the background task): claim it, write the ZIP kind by kind with the
    progress on the row, and keep it for `EXPORT_DAYS`. False when there was nothing to do (it
    was replaced, or another worker took it)."""
    claimed = DataExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.BUILDING, kinds_done=0, kinds_total=len(exporting.kinds())
    )
    if not claimed:
        return False
    export = DataExport.objects.select_related("person").get(pk=export_id)

    def progress(done: int, total: int) -> None:
        DataExport.objects.filter(pk=export_id).update(kinds_done=done, kinds_total=total)

    try:
        with access_log.recorded(access_log.EXPORT, reverse("trust:export")):
            content = exporting.archive(export.person, export.language, progress)
        if len(content) > MAX_BYTES:
            raise ValueError(f"The export of person {export.person_id} is too large to keep.")
    except Exception:
        DataExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    DataExport.objects.filter(pk=export_id, status=ExportStatus.BUILDING).update(
        status=ExportStatus.READY,
        content=content,
        size=len(content),
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_DAYS),
    )
    return True


def prune(now: datetime) -> int:
    """Delete the exports whose link has expired, and those that failed or were left unbuilt
    (the worker stopped) long ago; how many. Safe to run again and beside itself."""
    expired = DataExport.objects.filter(expires_at__lte=now)
    abandoned = DataExport.objects.filter(
        status__in=[ExportStatus.FAILED, *IN_PROGRESS],
        requested_at__lte=now - timedelta(days=settings.EXPORT_DAYS),
    )
    deleted = expired.delete()[0] + abandoned.delete()[0]
    return deleted
