"""Talent's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from __future__ import annotations

from datetime import datetime

from cadence.jobs import job
from talent import skills


@job("skills-heatmap", order=95, module="talent")
def count_skills_heatmap(now: datetime) -> str | None:
    """Count the organisation's skills heatmap again when the newest count is an hour old, or
    levels were agreed or shared since (or it is of another framework version, or another
    smallest group). Idempotent; safe beside another
    run (`talent.skills.count`)."""
    before = skills.latest()
    run = skills.count(now)
    if run is None or (before is not None and run.pk == before.pk):
        return None
    return f"skills heatmap: {run.groups.count()} groups counted"
