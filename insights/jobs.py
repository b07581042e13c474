"""Insights' periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from __future__ import annotations

from datetime import datetime

from cadence.jobs import job
from insights import compute


@job("insights", order=97, module="insights")
def compute_insights(now: datetime) -> str | None:
    """Compute every chart's snapshots again when the newest are `compute.REFRESH` old (or of
    another smallest group, or a chart has none). Idempotent; safe beside another run."""
    if not compute.due(now):
        return None
    done = compute.compute(now)
    return f"insights: {done.snapshots} snapshots of {done.scopes} scopes"
