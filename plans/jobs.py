"""The plans module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from datetime import datetime

from django.utils import timezone

from cadence.jobs import job
from plans import activity


@job("plan-active-periods", order=60, module="growth")
def close_lapsed_periods(now: datetime) -> str | None:
    """A plan goes inactive by time alone, or when its owner leaves: close its active period
    at the day it lapsed (for a leaver, the day after their leave date, whatever else would
    keep it active). Idempotent (a closed period is not open any more) and safe beside another
    run (both write the same end)."""
    closed = activity.lapse_all(timezone.localdate(now))
    return f"plans: {closed} active periods closed" if closed else None
