"""Insights' one write: HR asks for the figures to be computed now (in the background)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from insights import rules

if TYPE_CHECKING:
    from access.viewer import Viewer


def _queued() -> bool:
    """Is a computation waiting in the queue, not started yet? It will read everything there is
    when it starts, so another would only compute the same figures again. (With the task
    backend that runs tasks at once, nothing ever waits.)"""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from insights.tasks import compute_now

    waiting = DBTaskResult.objects.filter(
        task_path=compute_now.module_path, status=TaskResultStatus.READY
    )
    return waiting.exists()


def request_compute(viewer: Viewer) -> bool:
    """Queue the computation of every chart's snapshots (`insights.tasks.compute_now`): HR.
    False when one is waiting already (nothing more queued). Computing twice is harmless
    (each snapshot is replaced in place), only wasted: a computation that has started may
    have read the data before the request, so only one not started yet counts."""
    if not rules.computes_on_demand(viewer):
        raise PermissionDenied
    if _queued():
        return False
    from insights.tasks import compute_now

    transaction.on_commit(lambda: compute_now.enqueue())
    return True
