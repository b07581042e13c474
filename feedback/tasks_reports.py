"""Background tasks of the 360 reports (django-tasks: `manage.py db_worker` runs them in
production; the tests run them at once)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from cadence.links import site_link
from feedback.models import ReviewParticipant
from notifications import kinds
from notifications.mail import REPORT_RELEASED, send_email
from notifications.services import notify
from organisation import scope


def released_message(participant: ReviewParticipant) -> tuple[str, str]:
    """The subject and plain-text body, in the participant's language."""
    person = participant.person
    context = {
        "person": person,
        "cycle": participant.cycle,
        "released_by": participant.released_by,
        "link": site_link(reverse("feedback:report", kwargs={"participant_id": participant.pk})),
    }
    with translation.override(person.effective_language):
        subject = render_to_string("feedback/reviews/_report_released_subject.txt", context)
        body = render_to_string("feedback/reviews/_report_released_email.txt", context)
    return " ".join(subject.split()), body


@task()
def send_report_released(participant_id: int) -> bool:
    """Tell the participant their 360 report is released; True when the e-mail went out."""
    participant = (
        ReviewParticipant.objects.select_related("person__team", "cycle", "released_by")
        .filter(pk=participant_id, released_at__isnull=False)
        .first()
    )
    if participant is None:
        return False
    person = participant.person
    if not person.is_active or person.has_left or not person.email:
        return False
    if not scope.in_scope(person):  # outside the pilot: nothing from the modules
        return False
    notify(
        person,
        kinds.REPORT_RELEASED,
        reverse("feedback:report", kwargs={"participant_id": participant.pk}),
        cycle=participant.cycle.name,
    )
    subject, body = released_message(participant)
    send_email(person, REPORT_RELEASED, subject, body)
    return True
