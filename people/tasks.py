"""Background tasks of the people module (django-tasks; the tests run them at once).

A person is told when their manager changes, whoever changed it and by whatever path (the
person form or the CSV import): their manager reads some of their data, so they must know who
that is. One e-mail per person per change, in their language.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from cadence.links import site_link
from notifications.mail import MANAGER_CHANGED, send_email


def manager_changed_message(person, old, new) -> tuple[str, str]:
    """The subject and plain-text body, in the person's language."""
    context = {
        "person": person,
        "old": old,
        "new": new,
        "link": site_link(person.get_absolute_url()),
    }
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = render_to_string("people/email/manager_changed_subject.txt", context)
        body = render_to_string("people/email/manager_changed.txt", context)
    return " ".join(subject.split()), body


@task()
def notify_manager_changed(person_id: int, old_id: int | None, new_id: int | None) -> bool:
    """E-mail a person that their manager changed from `old_id` to `new_id`."""
    from people.models import Person

    people = Person.objects.in_bulk([pk for pk in (person_id, old_id, new_id) if pk])
    person = people.get(person_id)
    if person is None or not person.is_active:
        return False
    today = person.local_today()
    if person.leave_date is not None and person.leave_date < today:
        return False  # someone who has left is not told
    from notifications import kinds
    from notifications.services import notify

    new = people.get(new_id)
    if new is not None:
        notify(person, kinds.MANAGER_CHANGED, new.get_absolute_url(), manager=new.name)
    else:
        notify(person, kinds.MANAGER_REMOVED, person.get_absolute_url())
    subject, body = manager_changed_message(person, people.get(old_id), people.get(new_id))
    send_email(person, MANAGER_CHANGED, subject, body)
    return True
