"""Insights' one write: HR asks for the figures to be computed now (in the background)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from insights import rules

if TYPE_CHECKING:
    from access.viewer import Viewer


def request_compute(viewer: Viewer) -> None:
    """Queue the computation of every chart's snapshots (`insights.tasks.compute_now`): HR.
    Computing twice is harmless (each snapshot is replaced in place)."""
    if not rules.computes_on_demand(viewer):
        raise PermissionDenied
    from insights.tasks import compute_now

    transaction.on_commit(lambda: compute_now.enqueue())
