"""The trust module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from cadence.jobs import job
from trust import access_log, services_export


@job("exports", order=80)
def prune_exports(now) -> str | None:
    """Exports of personal data whose download link has expired are deleted."""
    if deleted := services_export.prune(now):
        return f"expired exports deleted: {deleted}"
    return None


@job("access-log", order=81)
def prune_access_log(now) -> str | None:
    """Access-log entries older than the retention period are deleted (a batch at a time)."""
    if deleted := access_log.prune(now):
        return f"access-log entries past the retention period deleted: {deleted}"
    return None
