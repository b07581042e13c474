"""Notifications for the generic rules tests (`access/tests/test_rules_agree.py`): a read and
an unread one for a few people of the organisation, and the kinds of e-mail a few turned off."""

from django.utils import timezone

from notifications import mail
from notifications.models import EmailOptOut, Notification


def populate(org, rng) -> None:
    for person in rng.sample(list(org.people), min(6, len(org.people))):
        Notification.objects.create(recipient=person, kind="feedback_received", params={})
        Notification.objects.create(
            recipient=person, kind="manager_removed", params={}, read_at=timezone.now()
        )
    for person in rng.sample(list(org.people), min(5, len(org.people))):
        for kind in rng.sample(mail.OPTIONAL, 2):
            EmailOptOut.objects.create(person=person, kind=kind)
