"""The feedback module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from cadence.jobs import job
from feedback.reminders import send_due_feedback_reminders


@job("feedback-reminders", order=20, module="feedback")
def feedback_reminders(now) -> str | None:
    """Reminders of feedback requests and 360 reviews: a line of its own when any went out."""
    sent = send_due_feedback_reminders(now)
    if not any(sent.values()):
        return None
    return f"feedback: {sent['requests']} request reminders, {sent['reviews']} review reminders"
