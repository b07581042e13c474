"""From an event to its deliveries: the listener of `cadence.events`.

After the commit that emitted an event, `on_event` looks (one query; two for praise) whether an
active endpoint wants its kind or, for public praise, a team channel posts praise; only then is
the event handed to the background worker (`webhooks.tasks.record_event`), which builds its
payload (`webhooks.payloads`), records it with one `Delivery` per endpoint or channel, and queues
each for sending (`webhooks.tasks.send_delivery`; retried by the `webhook-deliveries` job).
Each attempt builds the payload again (`webhooks.sending`): what is sent is what may be told
then.

In demo mode (`DEMO`) deliveries are recorded as "not sent": the log shows what would have gone,
and nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cadence import events
from people.models import ids_in
from webhooks import payloads
from webhooks.models import Delivery, DeliveryStatus, Endpoint, Event, TeamChannel
from webhooks.payloads import Built


def _endpoints(kind: str) -> list[Endpoint]:
    """The active endpoints that want `kind`, in one query (the events an endpoint wants are a
    JSON list, read here alike on every database; its sealed secret is not needed)."""
    active = Endpoint.objects.filter(active=True).defer("sealed_secret")
    return [endpoint for endpoint in active if endpoint.wants(kind)]


def _listening(kind: str) -> bool:
    if _endpoints(kind):
        return True
    return kind == events.PRAISE_GIVEN and TeamChannel.objects.filter(praise=True).exists()


def on_event(kind: str, ids: list[int]) -> None:
    """The listener (`cadence.events.listener`): hand the event to the background worker where
    something wants it."""
    if _listening(kind):
        from webhooks.tasks import record_event

        record_event.enqueue(kind, ids)


def _praise_channels(paths: Iterable[str]) -> dict[str, list[TeamChannel]]:
    """The channels that post praise given to someone in a team at each path: the team's and
    those of the teams it is part of."""
    wanted = {path for path in paths if path}
    team_ids = {pk for path in wanted for pk in ids_in(path)}
    found = list(TeamChannel.objects.filter(team_id__in=team_ids, praise=True))
    return {
        path: [channel for channel in found if channel.team_id in ids_in(path)] for path in wanted
    }


Target = Endpoint | TeamChannel


def record(
    kind: str, items: Sequence[tuple[Built, Sequence[Target]]], now: datetime | None = None
) -> list[int]:
    """Record each built payload as an event with a delivery to each of its targets (an
    endpoint or a channel); the ids of the deliveries to send, queued once committed."""
    now = now or timezone.now()
    demo = bool(getattr(settings, "DEMO", False))
    made: list[Delivery] = []
    with transaction.atomic():
        for item, targets in items:
            if not targets:
                continue
            event = Event.objects.create(
                kind=kind, payload=item.payload, subject=item.subject, created_at=now
            )
            if item.people:
                event.people.set(item.people)
            made += [
                Delivery(
                    event=event,
                    endpoint=target if isinstance(target, Endpoint) else None,
                    channel=target if isinstance(target, TeamChannel) else None,
                    status=DeliveryStatus.NOT_SENT if demo else DeliveryStatus.PENDING,
                    next_attempt_at=None if demo else now,
                    created_at=now,
                )
                for target in targets
            ]
        Delivery.objects.bulk_create(made)
        ids = [delivery.pk for delivery in made if delivery.status == DeliveryStatus.PENDING]
        queue(ids)
    return ids


def queue(delivery_ids: list[int]) -> None:
    """Send the deliveries in the background once the transaction commits."""
    if not delivery_ids:
        return

    def send() -> None:
        from webhooks.tasks import send_delivery

        for pk in delivery_ids:
            send_delivery.enqueue(pk)

    transaction.on_commit(send, robust=True)


def record_event(kind: str, ids: list[int]) -> list[int]:
    """The event `kind` of the objects `ids`, to the endpoints and channels that want it."""
    endpoints = _endpoints(kind)
    built = payloads.build(kind, ids)
    channels = (
        _praise_channels(item.team_path for item in built) if kind == events.PRAISE_GIVEN else {}
    )
    items: list[tuple[Built, list[Target]]] = [
        (item, [*endpoints, *channels.get(item.team_path, [])]) for item in built
    ]
    return record(kind, items)
