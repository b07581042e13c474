"""Every write of notifications: making one (from where the product also sends an e-mail),
and its recipient marking it read or unread."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from access.rules import can, visible
from notifications.kinds import SENTENCES
from notifications.models import Notification
from notifications.rules import MARK

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

# A notification's values are short: a name, a topic, a date.
MAX_PARAM = 200


def notify(recipient: Person, kind: str, link: str = "", **params: Any) -> Notification:
    """Tell `recipient` in Cadence what the e-mail of the same event tells them. `params` are
    the sentence's values (dates as dates), only what the recipient may read; `link` a path
    on this site to where they act or read more."""
    if kind not in SENTENCES:
        raise ValueError(f"Unknown notification kind {kind!r}")
    stored = {}
    for key, value in params.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif value is None:
            value = ""
        stored[key] = str(value)[:MAX_PARAM]
    if not link.startswith("/") or link.startswith("//"):
        link = ""
    return Notification.objects.create(recipient=recipient, kind=kind, params=stored, link=link)


def mark(viewer: Viewer, notification: Notification, *, read: bool) -> Notification:
    """Mark one of the viewer's notifications read or unread."""
    from django.core.exceptions import PermissionDenied

    if not can(viewer, MARK, notification):
        raise PermissionDenied
    with transaction.atomic():
        notification.read_at = timezone.now() if read else None
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def mark_all_read(viewer: Viewer, before: datetime | None = None) -> int:
    """Mark every unread notification of the viewer read (or those made up to `before`: what
    they have seen); returns how many."""
    unread = visible(viewer, Notification, MARK).filter(read_at__isnull=True)
    if before is not None:
        unread = unread.filter(created_at__lte=before)
    return unread.update(read_at=timezone.now())
