"""Background tasks of notifications (django-tasks: `manage.py db_worker` runs them in
production; the tests run them at once): the weekly digest of one person."""

from django_tasks import task

from notifications import digest


@task()
def send_weekly_digest(digest_id: int) -> bool:
    """Build and send one claimed weekly digest (see `notifications.digest`); True when it went
    out."""
    return digest.deliver(digest_id)
