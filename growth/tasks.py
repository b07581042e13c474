"""Background tasks of Growth (django-tasks; the tests run them at once): telling someone of a
step of their assessment, in Cadence and by e-mail, in their language. The e-mail says what
happened and links to the assessment; the ratings stay in Cadence, behind the rules."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from cadence.links import site_link
from notifications.mail import ASSESSMENTS, send_email

# kind -> the e-mail's template (growth/email/<name>.txt and <name>_subject.txt)
EMAILS = {
    "assessment_started": "started",
    "self_assessment_shared": "self_shared",
    "levels_agreed": "agreed",
}


def deliver(kind: str, assessment_id: int, recipient_id: int) -> bool:
    """Tell the recipient of a step of the assessment; True when it went out."""
    from growth.models import Assessment
    from notifications.services import notify
    from organisation import scope
    from people.models import Person

    assessment = (
        Assessment.objects.select_related("subject__manager").filter(pk=assessment_id).first()
    )
    person = Person.objects.select_related("team").filter(pk=recipient_id).first()
    if assessment is None or person is None or not person.is_active or person.has_left:
        return False
    if not scope.in_scope(person):  # outside the pilot: nothing from the modules
        return False
    subject = assessment.subject
    manager = subject.manager
    params = {"person": subject.name, "manager": manager.name if manager else ""}
    link = assessment.get_absolute_url()
    notify(person, kind, link, **params)
    context = {"recipient": person, "link": site_link(link), **params}
    name = EMAILS[kind]
    with translation.override(person.effective_language), timezone.override(person.local_zone):
        subject_line = render_to_string(f"growth/email/{name}_subject.txt", context)
        body = render_to_string(f"growth/email/{name}.txt", context)
    send_email(person, ASSESSMENTS, subject_line, body)
    return True


@task()
def tell(kind: str, assessment_id: int, recipient_id: int) -> bool:
    return deliver(kind, assessment_id, recipient_id)
