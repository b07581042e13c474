"""Background tasks of internal mobility (django-tasks; the tests run them at once): telling HR
whose scope covers a person that they showed interest in an opening, in Cadence and by e-mail,
in each reader's language. Who is told is the interest's rule's answer (`InterestRules.who`):
HR covering the person, without their own manager unless the person let their manager see their
wish to move; never the person themselves."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from cadence.links import site_link
from notifications.mail import send_email


def hr_to_tell(interest_id: int) -> list[int]:
    """The ids of HR to tell of this interest, as its rule names them."""
    from access import who
    from access.rules import rules_for, who_of
    from mobility.models import Interest

    rules = rules_for(Interest)
    interest = rules.for_who(Interest.objects.filter(pk=interest_id)).first()
    if interest is None:
        return []
    groups = who_of([interest])[0]
    ids: set[int] = set()
    for group in groups:
        if group.role == who.HR:
            ids |= who.holders(group) or set()
    ids.discard(interest.person_id)
    return sorted(ids)


def deliver(interest_id: int) -> int:
    """Tell HR of the interest; how many were told."""
    from mobility.models import Interest
    from notifications.kinds import MOBILITY_INTEREST
    from notifications.services import notify
    from organisation import scope
    from people.models import Person

    interest = Interest.objects.select_related("person", "opening").filter(pk=interest_id).first()
    if interest is None:
        return 0
    params = {"person": interest.person.name, "opening": interest.opening.title}
    link = interest.opening.get_absolute_url()
    told = 0
    recipients = Person.objects.select_related("team").filter(pk__in=hr_to_tell(interest_id))
    for person in recipients:
        if not person.is_active or person.has_left or not scope.in_scope(person):
            continue
        notify(person, MOBILITY_INTEREST, link, **params)
        context = {"recipient": person, "link": site_link(link), **params}
        with translation.override(person.effective_language), timezone.override(person.local_zone):
            subject_line = render_to_string("mobility/email/interest_subject.txt", context)
            body = render_to_string("mobility/email/interest.txt", context)
        send_email(person, MOBILITY_INTEREST, subject_line, body)
        told += 1
    return told


@task()
def tell_hr(interest_id: int) -> int:
    return deliver(interest_id)
