"""Background tasks for feedback requests and 360 reminders (django-tasks: `manage.py
db_worker` runs them in production; the tests run them at once). The e-mails themselves are
in `feedback.reminders`."""

from django_tasks import task

from feedback import reminders


@task()
def send_request_email(ask_id: int) -> bool:
    """Tell a colleague that they were asked for feedback; True when it went out."""
    return reminders.deliver_ask(ask_id, reminders.NEW_REQUEST)


@task()
def send_ask_reminder(ask_id: int) -> bool:
    """Remind a colleague of a feedback request still waiting for them."""
    return reminders.deliver_ask(ask_id, reminders.ASK_REMINDER)


@task()
def send_review_reminder(invitation_id: int) -> bool:
    """Remind a reviewer of a 360 review still waiting for their answers."""
    return reminders.deliver_review(invitation_id)
