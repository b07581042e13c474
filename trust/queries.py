"""Reading the audit log: its entries a viewer may read, filtered as the audit pages, their CSV
and the API filter them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from access.rules import visible
from trust.models import AuditEntry

if TYPE_CHECKING:
    from access.viewer import Viewer


@dataclass(frozen=True)
class Filters:
    """Which entries: of an action, by someone (`actor`), about someone (`subject`), and from
    and up to a day (in the reader's calendar, both included)."""

    action: str = ""
    actor: int | None = None
    subject: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def entries(viewer: Viewer, filters: Filters = Filters()) -> QuerySet[AuditEntry]:
    """The entries the viewer may read that pass `filters`, newest first."""
    found = visible(viewer, AuditEntry).order_by("-pk")
    if filters.action:
        found = found.filter(action=filters.action)
    if filters.actor is not None:
        found = found.filter(actor=filters.actor)
    if filters.subject is not None:
        found = found.filter(subject=filters.subject)
    if filters.since is not None:
        found = found.filter(at__gte=_start_of(filters.since))
    if filters.until is not None:
        found = found.filter(at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    return found


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the current time zone (the reader's)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
