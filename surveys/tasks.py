"""Background tasks of Surveys (django-tasks; the tests run them at once): telling someone
that a round waits for their answers, in Cadence and by e-mail, in their language. Nothing is
sent to anyone about anyone else's answers."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cadence.links import site_link
from notifications.mail import SURVEYS, send_email

EMAILS = {"survey_open": "open", "survey_reminder": "reminder"}


def deliver(kind: str, invitation_id: int) -> bool:
    """Tell the invitation's person; True when it went out (not when they answered already,
    left, or the round closed)."""
    from notifications.services import notify
    from organisation import scope
    from surveys.models import Invitation, RoundStatus

    invitation = (
        Invitation.objects.select_related("person__team", "round__survey")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.answered:
        return False
    person, found = invitation.person, invitation.round
    if found.status != RoundStatus.OPEN or not person.is_active or person.has_left:
        return False
    if not scope.in_scope(person):
        return False
    link = reverse("surveys:answer", args=[invitation.pk])
    params = {"survey": found.survey.name, "close_date": found.closes_on}
    notify(person, kind, link, **params)
    context = {"recipient": person, "link": site_link(link), **params}
    name = EMAILS[kind]
    with translation.override(person.effective_language), timezone.override(person.local_zone):
        subject_line = render_to_string(f"surveys/email/{name}_subject.txt", context)
        body = render_to_string(f"surveys/email/{name}.txt", context)
    send_email(person, SURVEYS, subject_line, body)
    return True


@task()
def tell(kind: str, invitation_id: int) -> bool:
    return deliver(kind, invitation_id)
