"""Deliveries to a real receiver (an HTTP server on 127.0.0.1 in a thread, `receiver.py`): each
is signed as docs/webhooks.md says and verifies with the endpoint's secret; a failure is logged
(status, start of the body) and sent again by the `webhook-deliveries` job after its back-off,
at most `MAX_ATTEMPTS` times; the job is idempotent; redirects are not followed."""

import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cadence import events
from cadence.jobs import run_jobs
from webhooks import sealed, sending, signing, transport
from webhooks.models import PING, RESPONSE_KEPT, Delivery, DeliveryStatus, Endpoint, Event
from webhooks.tests.factories import make_endpoint
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_test(cast, django_capture_on_commit_callbacks):
    """Send an endpoint a test event, as the page does, with the tasks run at once."""
    from access.viewer import Viewer
    from webhooks import services

    def send(endpoint):
        with django_capture_on_commit_callbacks(execute=True):
            services.send_test(Viewer(cast.frank), endpoint)
        return Delivery.objects.filter(endpoint=endpoint).latest("pk")

    return send


def test_a_delivery_is_signed_and_verifies_with_the_secret(cast, send_test):
    with Receiver() as receiver:
        endpoint, secret = make_endpoint(cast.frank, receiver.url)
        receiver.secret = secret
        delivery = send_test(endpoint)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1 and delivery.response_status == 200
    assert delivery.response_body == '{"ok": true}'
    (got,) = receiver.received
    assert got.verified is True
    assert got.path == "/hook"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["Cadence-Event"] == PING
    assert got.headers["Cadence-Event-Id"] == delivery.event.public_id
    assert got.headers["Cadence-Delivery"] == str(delivery.pk)
    assert got.json["id"] == delivery.event.public_id
    assert got.json["type"] == PING
    assert got.json["data"]["message"] == "A test event from Cadence."


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body(cast, send_test):
    """What docs/webhooks.md tells receivers, checked by hand rather than with our helper."""
    import hashlib
    import hmac

    with Receiver() as receiver:
        endpoint, secret = make_endpoint(cast.frank, receiver.url)
        send_test(endpoint)
    (got,) = receiver.received
    parts = dict(part.split("=", 1) for part in got.headers["Cadence-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + got.body, hashlib.sha256
    ).hexdigest()
    assert parts["v1"] == expected
    assert abs(int(parts["t"]) - time.time()) < 60


def test_a_wrong_secret_a_changed_body_or_an_old_timestamp_do_not_verify():
    body = b'{"id":"evt_1"}'
    now = int(time.time())
    header = signing.signature("whsec_right", now, body)
    assert signing.verify("whsec_right", header, body, now)
    assert not signing.verify("whsec_wrong", header, body, now)
    assert not signing.verify("whsec_right", header, body + b" ", now)
    assert not signing.verify("whsec_right", header, body, now + 301)
    assert not signing.verify("whsec_right", "t=abc,v1=00", body, now)


def test_the_secret_is_stored_sealed_never_as_it_is(cast):
    endpoint, secret = make_endpoint(cast.frank, "https://hooks.example.com/cadence")
    stored = Endpoint.objects.get(pk=endpoint.pk)
    assert secret.encode() not in bytes(stored.sealed_secret)
    assert stored.secret_hint == secret[: sealed.SECRET_HINT] and len(secret) > 40
    assert sealed.open_secret(stored.key, stored.sealed_secret) == secret


def test_a_failure_is_logged_and_retried_with_back_off_until_delivered(cast, send_test):
    with Receiver(statuses=[500, 503, 200], answer=b"busy " * 400) as receiver:
        endpoint, secret = make_endpoint(cast.frank, receiver.url)
        receiver.secret = secret
        delivery = send_test(endpoint)
        assert delivery.status == DeliveryStatus.PENDING
        assert (delivery.attempts, delivery.response_status) == (1, 500)
        assert len(delivery.response_body) == RESPONSE_KEPT  # the start of it only
        assert delivery.error
        first = delivery.last_attempt_at
        assert delivery.next_attempt_at == first + sending.delay(1) == first + timedelta(minutes=1)

        # Not due yet: the job leaves it.
        assert sending.send_due(first + timedelta(seconds=30)) == (0, 0)
        assert len(receiver.received) == 1

        later = first + timedelta(minutes=1)
        run_jobs(later, ["webhook-deliveries"])
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.response_status) == (2, 503)
        assert delivery.next_attempt_at == later + timedelta(minutes=2)

        run_jobs(later + timedelta(minutes=2), ["webhook-deliveries"])
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.response_status, delivery.error) == (3, 200, "")
    assert delivery.next_attempt_at is None
    assert [got.verified for got in receiver.received] == [True, True, True]
    # The same body each time (the receiver tells a repeat by the event's id).
    assert len({got.body for got in receiver.received}) == 1


def test_it_gives_up_after_the_last_attempt(cast, send_test):
    with Receiver(statuses=[500]) as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        delivery = send_test(endpoint)
        now = delivery.last_attempt_at
        while delivery.status == DeliveryStatus.PENDING:
            now = delivery.next_attempt_at
            assert sending.send_due(now) == (1, 0)
            delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == sending.MAX_ATTEMPTS == len(receiver.received)
    assert sending.send_due(now + timedelta(days=1)) == (0, 0)


def test_the_job_is_idempotent_and_a_claimed_delivery_is_sent_once(cast, send_test):
    with Receiver(statuses=[500, 200]) as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        delivery = send_test(endpoint)
        due = delivery.next_attempt_at
        # Another worker claimed it a moment ago: neither run sends it meanwhile.
        assert sending._claim(delivery.pk, due)
        assert sending.send_due(due) == (0, 0)
        assert sending.attempt(delivery.pk, due) is None
        # Once the claim has expired, one run sends it; the next finds nothing to do.
        later = due + sending.LEASE
        assert sending.send_due(later) == (1, 1)
        assert sending.send_due(later) == (0, 0)
    assert len(receiver.received) == 2


def test_run_jobs_lists_the_webhook_jobs():
    from io import StringIO

    out = StringIO()
    call_command("run_jobs", "--list", stdout=out)
    assert {"webhook-deliveries", "team-digests"} <= set(out.getvalue().split())


def test_redirects_are_not_followed(cast, send_test):
    with Receiver() as target, Receiver(statuses=[302], redirect_to="") as receiver:
        receiver.redirect_to = target.url
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        delivery = send_test(endpoint)
    assert delivery.response_status == 302
    assert "Redirects are not followed" in delivery.error
    assert delivery.status == DeliveryStatus.PENDING
    assert target.received == []


def test_no_answer_in_time_is_a_failure(cast, monkeypatch, send_test):
    """A receiver that accepts the connection and never answers."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    monkeypatch.setattr(transport, "TIMEOUT", 0.2)
    try:
        endpoint, _secret = make_endpoint(
            cast.frank, f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
        )
        delivery = send_test(endpoint)
    finally:
        listener.close()
    assert delivery.response_status is None
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "No answer" in delivery.error


def test_nothing_listening_is_a_failure_logged(cast, send_test):
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    endpoint, _secret = make_endpoint(cast.frank, f"http://127.0.0.1:{port}/hook")
    delivery = send_test(endpoint)
    assert delivery.status == DeliveryStatus.PENDING
    assert "connection failed" in delivery.error


def test_a_paused_endpoint_gets_no_events_but_a_test(cast, send_test):
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url, active=False)
        delivery = send_test(endpoint)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1


def test_a_secret_that_cannot_be_opened_fails_with_a_reason(cast, send_test, settings):
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        settings.SECRET_KEY = "another-key-entirely"
        settings.SECRET_KEY_FALLBACKS = []
        delivery = send_test(endpoint)
    assert receiver.received == []
    assert "SECRET_KEY" in delivery.error


def test_demo_mode_sends_nothing(cast, send_test, settings):
    settings.DEMO = True
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        delivery = send_test(endpoint)
    assert delivery.status == DeliveryStatus.NOT_SENT
    assert receiver.received == []
    assert sending.send_due(timezone.now() + timedelta(days=1)) == (0, 0)


def test_the_envelope_is_json_with_id_type_time_and_data(cast, send_test):
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(cast.frank, receiver.url)
        delivery = send_test(endpoint)
    document = json.loads(sending.envelope(delivery.event, delivery.event.payload))
    assert list(document) == ["id", "type", "created_at", "data"]
    assert document["created_at"].endswith("Z")


@pytest.fixture
def failing_once(cast):
    """An endpoint whose receiver fails the first attempt and takes the second."""
    with Receiver(statuses=[500, 200]) as receiver:
        make_endpoint(cast.frank, receiver.url)
        yield receiver


def _told(event_kind, do, capture):
    """Make the event happen; its delivery after the first (failed) attempt."""
    with capture(execute=True):
        do()
    delivery = Delivery.objects.get(event__kind=event_kind)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    return delivery


def test_a_goal_made_private_before_the_retry_is_not_sent_again(
    cast, login, failing_once, django_capture_on_commit_callbacks
):
    """The payload is built again when the delivery is sent: a goal its owner took back from
    everyone since is of nobody's business outside, and the delivery is dropped with its
    event (nothing of it was told)."""
    from access.viewer import Viewer
    from goals import services as goal_services
    from goals.models import Status
    from goals.tests.factories import make_goal

    goal = make_goal(cast.alice, title="SECRET-SOON-PRIVATE", visibility="public")
    delivery = _told(
        events.GOAL_COMPLETED,
        lambda: goal_services.set_status(Viewer(cast.alice), goal, Status.DONE),
        django_capture_on_commit_callbacks,
    )
    changed = login(cast.alice).patch(
        f"/api/v1/goals/{goal.pk}",
        {"visibility": "private", "reason": "Between my manager and me after all"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    run_jobs(delivery.next_attempt_at, ["webhook-deliveries"])
    assert len(failing_once.received) == 1  # the first attempt's, before it was private
    assert not Delivery.objects.exists() and not Event.objects.exists()


def test_a_retry_tells_what_may_be_told_then(
    cast, login, failing_once, django_capture_on_commit_callbacks
):
    """Praise for everyone is everyone's only while its receiver works here (the feedback
    rules): once they have left, a retry leaves it untold; a test event goes as it was."""
    from access.viewer import Viewer
    from feedback import services as feedback_services
    from feedback.models import Kind, Visibility

    delivery = _told(
        events.PRAISE_GIVEN,
        lambda: feedback_services.give_feedback(
            Viewer(cast.alice),
            receiver_id=cast.dave.pk,
            kind=Kind.PRAISE,
            text="Thanks for the demo",
            visibility=Visibility.ORGANISATION,
        ),
        django_capture_on_commit_callbacks,
    )
    type(cast.dave).objects.filter(pk=cast.dave.pk).update(
        leave_date=timezone.localdate() - timedelta(days=1)
    )
    assert sending.request_of(delivery) is None
    run_jobs(delivery.next_attempt_at, ["webhook-deliveries"])
    assert len(failing_once.received) == 1
    assert not Delivery.objects.filter(event__kind=events.PRAISE_GIVEN).exists()


def test_events_recorded_before_keep_their_subject_to_be_built_again(cast):
    """The migration reads an older event's subject from its payload (a 360 report's from its
    cycle and the person it names), so that a delivery still waiting is built again too."""
    import importlib

    from django.apps import apps

    from feedback.tests.factories import add_participant, make_review_cycle

    migration = importlib.import_module("webhooks.migrations.0002_event_subject")
    participant = add_participant(make_review_cycle(), cast.alice)
    goal = Event.objects.create(kind=events.GOAL_COMPLETED, payload={"goal": {"id": 41}})
    report = Event.objects.create(
        kind=events.REPORT_RELEASED, payload={"cycle": {"id": participant.cycle_id}}
    )
    report.people.set([cast.alice])
    ping = Event.objects.create(kind=PING, payload={"message": "A test event from Cadence."})
    migration.keep_subjects(apps, None)
    found = dict(Event.objects.values_list("pk", "subject"))
    assert (found[goal.pk], found[report.pk], found[ping.pk]) == (41, participant.pk, None)
