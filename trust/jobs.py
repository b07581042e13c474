"""The trust module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from cadence.jobs import job
from trust import services_export


@job("exports", order=80)
def prune_exports(now) -> str | None:
    """Exports of personal data whose download link has expired are deleted."""
    if deleted := services_export.prune(now):
        return f"expired exports deleted: {deleted}"
    return None
