"""Background tasks of access: announcing HR grants, changes and revocations by e-mail."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from notifications.mail import HR_ROLE, send_email
from people.models import Person, Team


def recipients(person: Person) -> list[Person]:
    """The person and everyone with organisation-wide HR who works here and may sign in."""
    hr = (
        Person.objects.current()
        .filter(is_active=True, hr_role__isnull=False, hr_role__scope__isnull=True)
        .exclude(pk=person.pk)
        .order_by("pk")
    )
    return [person, *hr]


@task()
def announce_hr_role(
    kind: str, person_id: int, by_id: int | None, scope_id: int | None, can_manage_people: bool
) -> int:
    """E-mail the person and organisation-wide HR that an HR role changed; returns how many."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return 0
    by = Person.objects.filter(pk=by_id).first() if by_id else None
    scope = Team.objects.filter(pk=scope_id).first() if scope_id else None
    context = {
        "kind": kind,
        "person": person,
        "by": by,
        "scope": scope,
        "can_manage_people": can_manage_people,
    }
    from notifications import kinds as notification_kinds
    from notifications.services import notify

    notice = {
        "granted": notification_kinds.HR_GRANTED,
        "changed": notification_kinds.HR_CHANGED,
    }.get(kind, notification_kinds.HR_REVOKED)
    sent = 0
    for recipient in recipients(person):
        notify(recipient, notice, reverse("people:person", args=[person.pk]), person=person.name)
        with translation.override(recipient.effective_language):
            context["recipient"] = recipient
            subject = render_to_string("access/email/hr_role_subject.txt", context)
            body = render_to_string("access/email/hr_role.txt", context)
        send_email(recipient, HR_ROLE, subject, body)
        sent += 1
    return sent
