"""The accounts module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from accounts.email_change import apply_due_email_changes
from cadence.jobs import job


@job("email-changes", order=30)
def email_changes(now) -> str | None:
    """Changes of e-mail address confirmed before the old address's time to object ran out."""
    if applied := apply_due_email_changes(now):
        return f"e-mail addresses changed: {applied}"
    return None
