"""The Webhooks tab (administrators) and a team's chat channel page (its leads and HR): what
they show (a secret once, a channel's address never), what they refuse, what the audit log
records of every change, and a fixed number of queries however much they list."""

import pytest
from django.urls import reverse

from access.viewer import Viewer
from cadence import events
from trust.models import AuditEntry
from webhooks import sealed, services
from webhooks.models import Delivery, DeliveryStatus, Endpoint, Event, TeamChannel
from webhooks.tests.factories import make_channel, make_endpoint
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

ENDPOINTS = reverse("webhooks:endpoints")
NEW = reverse("webhooks:endpoint_new")
SLACK = "https://hooks.slack.example/services/T0001/B0001/abcdefghijklmnopqrstuvwx"


def new_endpoint(client, url="https://hooks.example.com/cadence", kinds=None, **fields):
    data = {"url": url, "events": kinds or [events.GOAL_COMPLETED], "active": "on", **fields}
    return client.post(NEW, data)


def test_the_tab_is_an_administrators_and_lists_the_endpoints(login, cast):
    endpoint, _secret = make_endpoint(cast.frank, "https://hooks.example.com/a", description="CRM")
    page = login(cast.frank).get(ENDPOINTS).text
    assert f'href="{ENDPOINTS}"' in page and 'aria-current="page"' in page
    assert "https://hooks.example.com/a" in page and "CRM" in page
    assert reverse("webhooks:endpoint", args=[endpoint.pk]) in page
    # HR administers other tabs, not this one.
    assert ">Webhooks<" not in login(cast.erin).get(reverse("organisation:privacy")).text


def test_adding_an_endpoint_shows_its_secret_once(login, cast):
    client = login(cast.frank)
    response = new_endpoint(client, description="Our CRM")
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    secret = sealed.open_secret(endpoint.key, endpoint.sealed_secret)
    assert secret in response.text and "only this once" in response.text
    for url in (ENDPOINTS, reverse("webhooks:endpoint", args=[endpoint.pk])):
        page = client.get(url).text
        assert secret not in page
    assert (
        f"{endpoint.secret_hint}…"
        in client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).text
    )
    entry = AuditEntry.objects.get(action="webhook.added")
    assert entry.actor_id == cast.frank.pk
    assert entry.changes == {
        "url": [None, "https://hooks.example.com/cadence"],
        "description": [None, "Our CRM"],
        "events": [None, [events.GOAL_COMPLETED]],
        "active": [None, True],
    }
    assert secret not in str(entry.changes)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/x", "Only HTTPS addresses"),
        ("https://10.1.2.3/x", "private network"),
        ("https://169.254.169.254/latest", "private network"),
        ("not an address", "whole address"),
    ],
)
def test_an_address_that_is_not_public_https_is_refused(login, cast, settings, url, message):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = new_endpoint(login(cast.frank), url=url)
    assert response.status_code == 200
    assert message in response.text
    assert not Endpoint.objects.exists() and not AuditEntry.objects.exists()


def test_an_endpoint_needs_an_event(login, cast):
    response = login(cast.frank).post(NEW, {"url": "https://hooks.example.com/x"})
    assert "Choose at least one event." in response.text
    assert not Endpoint.objects.exists()


def test_changing_an_endpoint_is_audited_before_and_after(login, cast):
    endpoint, _secret = make_endpoint(
        cast.frank, "https://hooks.example.com/a", kinds=[events.GOAL_COMPLETED]
    )
    url = reverse("webhooks:endpoint", args=[endpoint.pk])
    response = login(cast.frank).post(
        url,
        {"url": "https://hooks.example.com/b", "events": [events.PERSON_ADDED, events.PERSON_LEFT]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.com/b" and endpoint.active is False
    assert endpoint.events == [events.PERSON_ADDED, events.PERSON_LEFT]
    entry = AuditEntry.objects.get(action="webhook.changed")
    assert entry.changes == {
        "url": ["https://hooks.example.com/a", "https://hooks.example.com/b"],
        "events": [[events.GOAL_COMPLETED], [events.PERSON_ADDED, events.PERSON_LEFT]],
        "active": [True, False],
    }


def test_a_new_secret_replaces_the_old_one_shown_once(login, cast):
    endpoint, old = make_endpoint(cast.frank, "https://hooks.example.com/a")
    client = login(cast.frank)
    url = reverse("webhooks:endpoint_secret", args=[endpoint.pk])
    assert "Make a new secret?" in client.get(url).text
    response = client.post(url)
    endpoint.refresh_from_db()
    new = sealed.open_secret(endpoint.key, endpoint.sealed_secret)
    assert new != old and new in response.text and old not in response.text
    entry = AuditEntry.objects.get(action="webhook.secret_changed")
    assert entry.changes == {"secret": [f"{old[:10]}…", f"{new[:10]}…"]}


def test_removing_an_endpoint_takes_its_log_and_is_audited(login, cast):
    endpoint, _secret = make_endpoint(cast.frank, "https://hooks.example.com/a")
    services.send_test(Viewer(cast.frank), endpoint)
    client = login(cast.frank)
    url = reverse("webhooks:endpoint_delete", args=[endpoint.pk])
    assert "Remove this endpoint?" in client.get(url).text
    assert client.post(url).status_code == 302
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    entry = AuditEntry.objects.get(action="webhook.removed")
    assert entry.changes["url"] == ["https://hooks.example.com/a", None]


def test_a_test_event_from_the_page_reaches_the_receiver_and_its_log(
    login, cast, django_capture_on_commit_callbacks
):
    client = login(cast.frank)
    with Receiver(answer=b"thanks from the receiver") as receiver:
        endpoint, secret = make_endpoint(cast.frank, receiver.url)
        receiver.secret = secret
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("webhooks:endpoint_test", args=[endpoint.pk]))
    assert response.status_code == 302
    assert [got.verified for got in receiver.received] == [True]
    page = client.get(response["Location"]).text
    assert "A test event is on its way" in page
    assert "Delivered" in page and "thanks from the receiver" in page and "<strong>200" in page


def test_a_failed_delivery_can_be_sent_again(login, cast, django_capture_on_commit_callbacks):
    with Receiver(statuses=[200]) as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        event = Event.objects.create(kind="ping", payload={"message": "again"})
        failed = Delivery.objects.create(
            event=event, endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=8
        )
        client = login(cast.frank)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("webhooks:delivery_again", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED and failed.attempts == 1
    assert len(receiver.received) == 1


def test_the_log_filters_by_status(login, cast):
    endpoint, _secret = make_endpoint(cast.frank, "https://hooks.example.com/a")
    for status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        event = Event.objects.create(kind=f"x.{status}", payload={})
        Delivery.objects.create(event=event, endpoint=endpoint, status=status)
    url = reverse("webhooks:endpoint", args=[endpoint.pk])
    page = login(cast.frank).get(url, {"status": "failed"}).text
    assert "x.failed" in page and "x.delivered" not in page


def test_the_pages_do_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    client = login(cast.frank)
    endpoints = [make_endpoint(cast.frank, f"https://hooks.example.com/{n}")[0] for n in range(12)]
    for endpoint in endpoints:
        for n in range(60):
            event = Event.objects.create(kind=events.GOAL_COMPLETED, payload={"n": n})
            Delivery.objects.create(
                event=event,
                endpoint=endpoint,
                status=DeliveryStatus.FAILED if n % 3 else DeliveryStatus.DELIVERED,
                response_status=500,
                response_body="x" * 1000,
            )
    client.get(ENDPOINTS)  # the session and the organisation's settings, read once
    with django_assert_max_num_queries(8):
        assert client.get(ENDPOINTS).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("webhooks:endpoint", args=[endpoints[0].pk])).status_code == 200


# --- A team's chat channel ----------------------------------------------------------------------


def channel_url(team):
    return reverse("team_chat:channel", args=[team.pk])


def test_the_team_s_lead_sets_up_its_channel_whose_address_is_never_shown(login, cast):
    client = login(cast.bob)
    team_page = client.get(reverse("people:team", args=[cast.platform.pk])).text
    assert channel_url(cast.platform) in team_page
    response = client.post(
        channel_url(cast.platform), {"kind": "slack", "url": SLACK, "praise": "on", "digest": "on"}
    )
    assert response.status_code == 302
    channel = TeamChannel.objects.get(team=cast.platform)
    assert sealed.open_address(channel.key, channel.sealed_url) == SLACK
    assert SLACK.encode() not in bytes(channel.sealed_url)
    page = client.get(channel_url(cast.platform)).text
    assert SLACK not in page and "hooks.slack.example/…uvwx" in page
    entry = AuditEntry.objects.get(action="chat_channel.added")
    assert entry.changes == {
        "team": [None, cast.platform.pk],
        "chat": [None, "slack"],
        "address": [None, "hooks.slack.example/…uvwx"],
        "praise": [None, True],
        "digest": [None, True],
    }
    assert SLACK not in str(entry.changes)


def test_an_empty_address_keeps_the_one_cadence_has(login, cast):
    channel = make_channel(cast.bob, cast.platform, SLACK)
    login(cast.erin).post(channel_url(cast.platform), {"kind": "teams", "url": "", "praise": "on"})
    channel.refresh_from_db()
    assert sealed.open_address(channel.key, channel.sealed_url) == SLACK
    assert (channel.kind, channel.praise, channel.digest) == ("teams", True, False)
    entry = AuditEntry.objects.get(action="chat_channel.changed")
    assert entry.actor_id == cast.erin.pk
    assert entry.changes == {"chat": ["slack", "teams"], "digest": [True, False]}


def test_a_first_channel_needs_a_public_https_address(login, cast, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    client = login(cast.carol)
    for url, message in [("", "incoming webhook address"), ("http://10.0.0.1/x", "HTTPS")]:
        response = client.post(channel_url(cast.platform), {"kind": "slack", "url": url})
        assert response.status_code == 200 and message in response.text
    assert not TeamChannel.objects.exists()


def test_others_may_not_set_up_a_team_s_channel(login, cast):
    for person in (cast.alice, cast.dave, cast.frank):
        client = login(person)
        assert client.get(channel_url(cast.platform)).status_code == 403
        page = client.get(reverse("people:team", args=[cast.platform.pk])).text
        assert channel_url(cast.platform) not in page
    # A lead sets up their own part only.
    assert login(cast.bob).get(channel_url(cast.engineering)).status_code == 403
    assert login(cast.bob).get(channel_url(cast.sales)).status_code == 403


def test_stopping_forgets_the_channel_and_is_audited(login, cast):
    make_channel(cast.bob, cast.platform, SLACK)
    client = login(cast.carol)
    url = reverse("team_chat:channel_delete", args=[cast.platform.pk])
    assert "Stop posting to the channel?" in client.get(url).text
    assert client.post(url).status_code == 302
    assert not TeamChannel.objects.exists()
    entry = AuditEntry.objects.get(action="chat_channel.removed")
    assert entry.actor_id == cast.carol.pk and entry.changes["address"][1] is None


def test_the_channel_page_does_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    channel = make_channel(cast.bob, cast.platform, SLACK)
    for n in range(30):
        event = Event.objects.create(kind=events.PRAISE_GIVEN, payload={"n": n})
        Delivery.objects.create(event=event, channel=channel, status=DeliveryStatus.DELIVERED)
    client = login(cast.bob)
    client.get(channel_url(cast.platform))
    with django_assert_max_num_queries(10):
        assert client.get(channel_url(cast.platform)).status_code == 200
