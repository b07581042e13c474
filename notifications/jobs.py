"""The notifications' periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from cadence.jobs import job
from notifications import digest


@job("weekly-digest", order=75)
def send_weekly_digests(now) -> str | None:
    """Send the weekly digest to whoever is due it (each claimed under a unique key, the person
    and the ISO week, before its e-mail is queued, so it goes out at most once a week)."""
    claimed = digest.send_due(now)
    return f"weekly digest: {claimed} queued" if claimed else None
