"""Background tasks of the conversations module (django-tasks: `manage.py db_worker` runs
them in production; the tests run them at once)."""

from django_tasks import task

from conversations import reminders


@task()
def send_reminder(reminder_id: int) -> bool:
    """E-mail one recorded reminder (see `conversations.reminders`); True when it went out."""
    return reminders.deliver(reminder_id)
