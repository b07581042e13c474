"""Demo mode shows the webhook settings with example values: two endpoints with a month of
deliveries, and the Slack and Teams channels of two teams, with recent praise and a digest;
nothing is waiting to be sent, and nothing new is sent. Without demo mode the demo has none."""

import pytest
from django.db import transaction
from django.urls import reverse

from people.demo import build_demo
from webhooks.models import Delivery, DeliveryStatus, Endpoint, TeamChannel

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.conf import settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        settings.DEMO = True
        try:
            yield build_demo(people=60, years=1, seed=5)
        finally:
            settings.DEMO = False
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_mode_has_example_endpoints_channels_and_deliveries(demo):
    assert Endpoint.objects.count() == 2
    assert set(TeamChannel.objects.values_list("kind", flat=True)) == {"slack", "teams"}
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert DeliveryStatus.DELIVERED in statuses and DeliveryStatus.FAILED in statuses
    assert DeliveryStatus.PENDING not in statuses
    hosts = Endpoint.objects.values_list("url", flat=True)
    assert all(".example/" in url for url in hosts)


def test_the_pages_show_them(demo, client, settings):
    settings.DEMO = True
    client.force_login(demo.admin)
    page = client.get(reverse("webhooks:endpoints")).text
    assert "hr-system.demo-company.example" in page and "Workflow automation" in page
    endpoint = Endpoint.objects.get(url__contains="automation")
    page = client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).text
    assert "praise.given" in page and "Delivered" in page and "Not sent (demo)" in page
    channel = TeamChannel.objects.select_related("team").first()
    client.force_login(demo.hr)
    page = client.get(reverse("team_chat:channel", args=[channel.team_id])).text
    assert channel.url_hint in page and "team.digest" in page


def test_without_demo_mode_the_demo_has_none(django_db_blocker, settings):
    settings.DEMO = False
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(people=40, years=1, seed=6, flush=True)
        assert not Endpoint.objects.exists() and not TeamChannel.objects.exists()
        transaction.set_rollback(True)
