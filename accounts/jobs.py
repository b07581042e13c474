"""The accounts module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from accounts import sessions
from accounts.email_change import apply_due_email_changes
from cadence.jobs import job


@job("email-changes", order=30)
def email_changes(now) -> str | None:
    """Changes of e-mail address confirmed before the old address's time to object ran out."""
    if applied := apply_due_email_changes(now):
        return f"e-mail addresses changed: {applied}"
    return None


@job("signed-in-sessions", order=31)
def signed_in_sessions(now) -> str | None:
    """Sessions unused for longer than a session lasts leave the list of sessions."""
    if forgotten := sessions.prune(now):
        return f"expired sessions forgotten: {forgotten}"
    return None
