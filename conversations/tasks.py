"""Background tasks of the conversations module (django-tasks: `manage.py db_worker` runs
them in production; the tests run them at once)."""

from django_tasks import task

from conversations import reminders


@task()
def send_reminder(reminder_id: int) -> bool:
    """E-mail one recorded reminder (see `conversations.reminders`); True when it went out."""
    return reminders.deliver(reminder_id)


@task()
def refresh_rhythm_health(person_id: int, day: str, team_id: int | None, whole: bool) -> bool:
    """Count a viewer's rhythm health again and keep it (`conversations.health`): asked by a
    page that showed older figures. Nothing when the day has turned (the page counts a new
    day itself), the person no longer sees rhythm health, or the team is gone."""
    from datetime import date

    from access.viewer import Viewer
    from conversations import health
    from conversations.rules import sees_adherence
    from people.models import Person, Team

    person = Person.objects.filter(pk=person_id).first()
    if person is None or person.local_today() != date.fromisoformat(day):
        return False
    viewer = Viewer(person=person)
    if not sees_adherence(viewer):
        return False
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    if team_id is not None and team is None:
        return False
    health.refresh(viewer, person.local_today(), team, whole)
    return True
