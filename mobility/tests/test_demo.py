"""The demo organisation has openings and people open to a move, and its pages open."""

import pytest
from django.db.models import F
from django.urls import reverse

from mobility.models import Interest, MobilityPreference, Opening, OpeningStatus
from people.demo import build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_openings_and_people_open_to_a_move(client):
    org = build_demo(people=300, years=1, seed=2)
    assert Opening.objects.filter(status=OpeningStatus.OPEN).exists()
    assert Opening.objects.filter(status=OpeningStatus.CLOSED).exists()
    assert MobilityPreference.objects.filter(open_to_move=True).count() >= 10
    assert Interest.objects.exists()
    # Every opening's hiring manager leads its team; nobody is interested in their own.
    for opening in Opening.objects.select_related("team"):
        assert opening.hiring_manager_id == opening.team.lead_id
    assert not Interest.objects.filter(person=F("opening__hiring_manager")).exists()
    client.force_login(org.hr)
    opening = Opening.objects.filter(status=OpeningStatus.OPEN).first()
    page = client.get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "People open to a move" in page
    assert client.get(reverse("mobility:supply")).status_code == 200
