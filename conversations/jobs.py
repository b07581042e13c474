"""The conversations module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`)."""

from cadence.jobs import job
from conversations import reminders, scheduling


@job("conversations", order=10, module="conversations")
def schedule_and_remind(now) -> str:
    """Schedule the rhythm's next conversations (one open per pair and kind: a unique
    constraint) and send the reminders that are due (each recorded under a unique key before
    its e-mail is queued, so it goes out at most once)."""
    scheduled = scheduling.schedule(now=now)
    sent = reminders.send_due_reminders(now)
    return (
        f"Scheduled {scheduled['created']}, cancelled {scheduled['cancelled']}; "
        f"reminders: {sent['upcoming']} upcoming, {sent['overdue']} overdue, "
        f"{sent['action_due']} action items"
    )


@job("rhythm-health", order=90, module="conversations")
def prune_rhythm_health(now) -> str | None:
    """Remove the rhythm health figures counted more than two days ago."""
    from conversations import health

    removed = health.prune(now)
    return f"Removed {removed} old rhythm health figures" if removed else None
