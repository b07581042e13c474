"""Background tasks of the feedback module (django-tasks: `manage.py db_worker` runs them in
production; the tests run them at once).

One e-mail per feedback, to its receiver, in their language and time zone. It says who gave
feedback and links to it; the text itself stays in Cadence, behind the visibility policy.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from cadence.links import site_link
from notifications.mail import FEEDBACK_RECEIVED, send_email


def is_present(person, today=None) -> bool:
    """Works here and may sign in on `today` (by default today in their own calendar): leavers
    and inactive accounts get no e-mail. The one check for every e-mail of the module."""
    today = person.local_today() if today is None else today
    return person.is_active and (person.leave_date is None or person.leave_date >= today)


def message(feedback) -> tuple[str, str]:
    """The subject and plain-text body for the receiver, in their language and time zone."""
    person = feedback.receiver
    context = {
        "person": person,
        "giver": feedback.giver,
        "feedback": feedback,
        "link": site_link(feedback.get_absolute_url()),
    }
    language = person.effective_language
    with translation.override(language), timezone.override(person.local_zone):
        subject = render_to_string("feedback/email/received_subject.txt", context)
        body = render_to_string("feedback/email/received.txt", context)
    return " ".join(subject.split()), body


def deliver(feedback_id: int) -> bool:
    """E-mail the receiver about one feedback; True when it went out."""
    from feedback.models import Feedback

    feedback = (
        Feedback.objects.select_related("giver", "receiver__team").filter(pk=feedback_id).first()
    )
    if feedback is None or feedback.read_at is not None:
        return False  # gone, or read already: nothing to tell
    person = feedback.receiver
    if not is_present(person):
        return False
    from organisation import scope

    if not scope.in_scope(person):  # outside the pilot: nothing from the modules
        return False
    from notifications import kinds
    from notifications.services import notify

    notify(person, kinds.FEEDBACK_RECEIVED, feedback.get_absolute_url(), giver=feedback.giver.name)
    subject, body = message(feedback)
    send_email(person, FEEDBACK_RECEIVED, subject, body)
    return True


@task()
def notify_receiver(feedback_id: int) -> bool:
    """Tell the receiver that someone gave them feedback."""
    return deliver(feedback_id)
