"""Schedule the rhythm's next conversations and send the reminders that are due.

Run it from cron every few minutes (`*/5 * * * * … manage.py run_schedules`). Both steps are
idempotent and safe to run twice at once: scheduling keeps one open conversation per pair and
kind (a unique constraint), and each reminder is recorded under a unique key before its e-mail
is queued, so it goes out at most once.
"""

import time

from django.core.management.base import BaseCommand
from django.db import OperationalError
from django.utils import timezone

from accounts.email_change import apply_due_email_changes
from conversations import reminders, scheduling
from feedback.reminders import send_due_feedback_reminders

ATTEMPTS = 3


def retrying(step, *args, **kwargs):
    """Run an idempotent step again when the database was busy ("database is locked" on
    SQLite, a serialisation failure elsewhere): running it again is always safe."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return step(*args, **kwargs)
        except OperationalError:
            if attempt == ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)


class Command(BaseCommand):
    help = (
        "Schedule the next conversations of every rhythm and send the reminders that are due "
        "(conversations, feedback requests, 360 reviews); apply confirmed e-mail changes whose "
        "time has come."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        scheduled = retrying(scheduling.schedule, now=now)
        sent = retrying(reminders.send_due_reminders, now)
        self.stdout.write(
            f"Scheduled {scheduled['created']}, cancelled {scheduled['cancelled']}; "
            f"reminders: {sent['upcoming']} upcoming, {sent['overdue']} overdue, "
            f"{sent['action_due']} action items"
        )
        # Feedback requests and 360 reviews: a line of its own, when anything went out.
        feedback = retrying(send_due_feedback_reminders, now)
        if any(feedback.values()):
            self.stdout.write(
                f"feedback: {feedback['requests']} request reminders, "
                f"{feedback['reviews']} review reminders"
            )
        # Changes of e-mail address confirmed before the old address's time to object ran out.
        if applied := retrying(apply_due_email_changes, now):
            self.stdout.write(f"e-mail addresses changed: {applied}")
