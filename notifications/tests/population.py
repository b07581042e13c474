"""Notifications for the generic rules tests (`access/tests/test_rules_agree.py`): a read and
an unread one for a few people of the organisation."""

from django.utils import timezone

from notifications.models import Notification


def populate(org, rng) -> None:
    for person in rng.sample(list(org.people), min(6, len(org.people))):
        Notification.objects.create(recipient=person, kind="feedback_received", params={})
        Notification.objects.create(
            recipient=person, kind="manager_removed", params={}, read_at=timezone.now()
        )
