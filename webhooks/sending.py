"""Sending a delivery, and sending it again: at least once, with exponential back-off.

An attempt first claims the delivery: one conditional UPDATE that moves its `next_attempt_at`
out by `LEASE`, which only one of two workers (the task and the job, two job runs) can win, so
that a delivery is never sent twice at once. Then it is sent (`webhooks.transport`) and the
outcome logged on it: the answer's status, the start of its body, why it failed. A success is
delivered; a failure is due again after 1, 2, 4… minutes (`delay`), and given up (failed) after
`MAX_ATTEMPTS`. A worker that dies mid-way leaves the claim to expire: the delivery is sent
again (receivers tell repeats apart by the event's id, docs/webhooks.md).

A webhook's body is the event's envelope; its payload is built again at each attempt from the
data and rules of then (`payload_now`), so that a retry never tells what has become private
since (a goal no longer shared with everyone, praise hidden): a delivery of which nothing may be
told any more is dropped, unsent. Its signature is made anew each time, with the time it is
sent. A chat channel is sent its tool's message instead.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence.sealing import SealError
from webhooks import chat, digest, payloads, sealed, signing, transport
from webhooks.models import DIGEST, PING, Delivery, DeliveryStatus, Event
from webhooks.payloads import Payload
from webhooks.transport import Answer

BACKOFF_SECONDS = 60
MAX_ATTEMPTS = 8  # over about four hours: 1 + 2 + 4 + … + 64 minutes between them
LEASE = timedelta(minutes=2)  # longer than an attempt can take (`transport.TOTAL_SECONDS`)
ERROR_MAX = 300


def delay(attempts: int) -> timedelta:
    """How long after the `attempts`-th failed attempt the next one is due."""
    return timedelta(seconds=BACKOFF_SECONDS * 2 ** (max(attempts, 1) - 1))


def envelope(event: Event, payload: Payload) -> bytes:
    """A webhook's body: the event's id, kind, time and `payload`, as JSON (UTF-8)."""
    document = {
        "id": event.public_id,
        "type": event.kind,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _claim(delivery_id: int, now: datetime) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    return claimed == 1


def payload_now(delivery: Delivery) -> Payload | None:
    """The data of the delivery's event as it is built now, from today's data and rules
    (`payloads.build_again`; a digest counted again for its week), or None where nothing of
    it may be told any more. A test event is sent as it was made: it holds no one's data."""
    event = delivery.event
    if event.kind == PING:
        return event.payload
    if event.kind == DIGEST:
        if delivery.channel is None:
            return None
        return digest.counts(delivery.channel, date.fromisoformat(event.payload["week_start"]))
    built = payloads.build_again(event.kind, event.subject)
    return None if built is None else built.payload


def request_of(delivery: Delivery) -> tuple[str, bytes, dict[str, str]] | None:
    """The address, body and headers of the delivery's next attempt, or None where nothing of
    its event may be told any more (`payload_now`); `SealError` when its secret (or channel
    address) cannot be opened."""
    event = delivery.event
    payload = payload_now(delivery)
    if payload is None:
        return None
    if delivery.endpoint is not None:
        endpoint = delivery.endpoint
        body = envelope(event, payload)
        secret = sealed.open_secret(endpoint.key, endpoint.sealed_secret)
        headers = {
            "Cadence-Event": event.kind,
            "Cadence-Event-Id": event.public_id,
            "Cadence-Delivery": str(delivery.pk),
            # Signed with the time it is sent: the receiver's clock checks it, whenever it is.
            signing.HEADER: signing.signature(secret, int(time.time()), body),
        }
        return endpoint.url, body, headers
    channel = delivery.channel
    assert channel is not None  # a delivery has one target (its constraint)
    message: dict[str, Any] = chat.body_for(event.kind, channel.kind, payload)
    body = json.dumps(message, ensure_ascii=False).encode()
    return sealed.open_address(channel.key, channel.sealed_url), body, {}


def _outcome(delivery: Delivery, answer: Answer, now: datetime) -> dict[str, Any]:
    attempts = delivery.attempts + 1
    fields: dict[str, Any] = {
        "attempts": attempts,
        "last_attempt_at": now,
        "response_status": answer.status,
        "response_body": answer.body,
        "error": answer.error[:ERROR_MAX],
    }
    if answer.ok:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None)
    elif attempts >= MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        fields.update(next_attempt_at=now + delay(attempts))
    return fields


def _drop(delivery: Delivery) -> None:
    """Nothing of the delivery's event may be told any more: the delivery goes unsent, and the
    event with it once it has no delivery left (nothing of it was told; nothing to log)."""
    Delivery.objects.filter(pk=delivery.pk).delete()
    Event.objects.filter(pk=delivery.event_id, deliveries__isnull=True).delete()


def attempt(delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Send the delivery if it is due and this call claims it; the delivery as logged after the
    attempt, or None when it was not due (sent, given up, or being sent by another worker) or
    was dropped (nothing of it may be told any more)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("event", "endpoint", "channel").get(pk=delivery_id)
    if getattr(settings, "DEMO", False):
        answer = Answer(None, error=_("Demo mode: nothing is sent."))
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.NOT_SENT, next_attempt_at=None, error=answer.error
        )
        delivery.refresh_from_db()
        return delivery
    paused = delivery.endpoint is not None and not delivery.endpoint.active
    if paused and delivery.event.kind != PING:  # a test is sent to a paused endpoint too
        answer = Answer(None, error=_("The endpoint is paused."))
        fields = {**_outcome(delivery, answer, now), "status": DeliveryStatus.FAILED}
        fields["next_attempt_at"] = None
    else:
        try:
            request = request_of(delivery)
        except SealError:
            answer = Answer(
                None,
                error=_("Its secret can no longer be opened (SECRET_KEY changed): set a new one."),
            )
        else:
            if request is None:
                _drop(delivery)
                return None
            answer = transport.post(*request)
        fields = _outcome(delivery, answer, now)
    Delivery.objects.filter(pk=delivery_id).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery


def send_due(now: datetime, limit: int = 100, budget_seconds: float = 120) -> tuple[int, int]:
    """Send the deliveries due at `now` (the oldest first, at most `limit`, for at most about
    `budget_seconds`): (how many were sent, how many of them were delivered)."""
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    started = time.monotonic()
    sent = delivered = 0
    for pk in due:
        if time.monotonic() - started > budget_seconds:
            break
        done = attempt(pk, now)
        if done is not None:
            sent += 1
            delivered += done.status == DeliveryStatus.DELIVERED
    return sent, delivered


def again(delivery: Delivery, now: datetime | None = None) -> bool:
    """A failed delivery, due again now with its attempts counted afresh; whether it had
    failed."""
    now = now or timezone.now()
    changed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, attempts=0, error=""
    )
    return changed == 1
