"""Notification reads other modules use: the unread ones, for the bell's count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from access.rules import visible
from notifications.models import Notification

if TYPE_CHECKING:
    from access.viewer import Viewer


def unread(viewer: Viewer) -> QuerySet[Notification]:
    return visible(viewer, Notification).filter(read_at__isnull=True)
