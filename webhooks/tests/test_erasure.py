"""Erasing a person who left deletes the events that name them, with their deliveries: no
payload keeps their name or address. Events about others stay; endpoints and channels stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trust.erasure import erase
from webhooks import dispatch, payloads
from webhooks.models import Delivery, Event
from webhooks.tests.factories import make_endpoint

pytestmark = pytest.mark.django_db


def test_events_naming_an_erased_person_go(cast):
    endpoint, _secret = make_endpoint(cast.frank, "https://hooks.example.com/a")
    dispatch.record(
        "person.added",
        [(built, [endpoint]) for built in payloads.person_added([cast.dave.pk, cast.alice.pk])],
    )
    assert Event.objects.count() == 2 and Delivery.objects.count() == 2
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    erase(cast.dave, by=cast.erin)
    (left,) = Event.objects.all()
    assert left.payload["person"]["name"] == "Alice Employee"
    assert Delivery.objects.count() == 1
    assert "Dave" not in str(list(Event.objects.values_list("payload", flat=True)))


def test_events_older_than_a_month_are_deleted_by_the_job(cast):
    from webhooks.jobs import forget_old_events

    endpoint, _secret = make_endpoint(cast.frank, "https://hooks.example.com/a")
    dispatch.record(
        "person.added", [(built, [endpoint]) for built in payloads.person_added([cast.alice.pk])]
    )
    Event.objects.update(created_at=timezone.now() - timedelta(days=31))
    Delivery.objects.update(status="delivered", next_attempt_at=None)
    assert forget_old_events(timezone.now()) == 1
    assert not Event.objects.exists() and not Delivery.objects.exists()
