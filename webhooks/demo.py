"""Webhooks and chat channels in demo mode (a history builder of `people.demo`): only where demo
mode is on (`DEMO`), so that the Webhooks tab and a team's chat channel page show example values:
two endpoints with their events and a month of deliveries (delivered, one given up after its
attempts, a few not sent), and the Slack channel of the largest team below the top and the
Microsoft Teams channel of the next, each with recent praise and a weekly digest.

Nothing is ever sent: the addresses are under `.example` (a name that never resolves, RFC
2606), no delivery is left waiting, and demo mode records new deliveries as not sent
(`webhooks.dispatch`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cadence import events
from people.demo import DemoOrg, flush_step, history_builder
from webhooks import digest, payloads, sealed
from webhooks.models import (
    DIGEST,
    PING,
    ChatKind,
    Delivery,
    DeliveryStatus,
    Endpoint,
    Event,
    TeamChannel,
)

ENDPOINTS = [
    (
        "https://hr-system.demo-company.example/cadence/webhooks",
        "HR system: joiners and leavers",
        [events.PERSON_ADDED, events.PERSON_LEFT],
    ),
    (
        "https://automation.demo-company.example/hooks/cadence",
        "Workflow automation: recognition and reviews",
        [
            events.CONVERSATION_HELD,
            events.GOAL_COMPLETED,
            events.PRAISE_GIVEN,
            events.REPORT_RELEASED,
            events.SURVEY_ROUND_CLOSED,
        ],
    ),
]
CHANNELS = [
    (ChatKind.SLACK, "https://hooks.slack.example/services/T0DEMO/B0DEMO/demo0demo0demo0"),
    (ChatKind.TEAMS, "https://demo-company.webhook.office.example/webhookb2/demo/Incoming"),
]
OK_BODY = '{"received": true}'


@flush_step
def delete_webhooks() -> None:
    """Events, deliveries, endpoints and channels (channels hang off teams)."""
    Delivery.objects.all().delete()
    Event.objects.all().delete()
    Endpoint.objects.all().delete()
    TeamChannel.objects.all().delete()


def _log(event: Event, target: Endpoint | TeamChannel, status: str, at, attempts: int = 1):
    failed = status == DeliveryStatus.FAILED
    return Delivery(
        event=event,
        endpoint=target if isinstance(target, Endpoint) else None,
        channel=target if isinstance(target, TeamChannel) else None,
        status=status,
        attempts=attempts,
        last_attempt_at=at + timedelta(minutes=2**attempts) if failed else at,
        response_status=500 if failed else 200,
        response_body="Internal Server Error" if failed else OK_BODY,
        error="The answer was not a success (2xx)." if failed else "",
        delivered_at=None if failed else at,
        created_at=at,
    )


def _events(kind: str, ids: list[int], at) -> list[tuple[Event, payloads.Built]]:
    made = []
    for built in payloads.build(kind, ids):
        event = Event.objects.create(
            kind=kind, payload=built.payload, subject=built.subject, created_at=at
        )
        event.people.set(built.people)
        made.append((event, built))
    return made


@history_builder
def webhook_examples(org: DemoOrg) -> None:
    if not getattr(settings, "DEMO", False):
        return
    from feedback.models import Feedback, Kind
    from feedback.rules import seen_by_everyone_q

    rng = org.random("webhooks")
    now = timezone.now()
    endpoints = []
    for url, description, kinds in ENDPOINTS:
        secret = sealed.new_secret()
        endpoint = Endpoint(
            url=url,
            description=description,
            events=kinds,
            created_by=org.admin,
            created_at=now - timedelta(days=60),
            secret_set_at=now - timedelta(days=60),
            secret_hint=sealed.hint(secret),
        )
        endpoint.sealed_secret = sealed.seal_secret(endpoint.key, secret)
        endpoint.save()
        endpoints.append(endpoint)
    hr_system, automation = endpoints
    top = next(team for team in org.teams if team.parent_id is None)
    teams = sorted(
        (team for team in org.teams if team.parent_id == top.pk), key=lambda team: team.pk
    )[: len(CHANNELS)]
    channels = []
    for team, (kind, url) in zip(teams, CHANNELS, strict=False):
        channel = TeamChannel(
            team=team,
            kind=kind,
            created_by=org.hr,
            created_at=now - timedelta(days=45),
            digest_week=digest.first_week(now),
            url_hint=sealed.address_hint(url),
        )
        channel.sealed_url = sealed.seal_address(channel.key, url)
        channel.save()
        channels.append(channel)

    log: list[Delivery] = []
    joiners = sorted(org.current, key=lambda p: p.start_date or org.today)[-3:]
    for days, person in zip((20, 9, 2), joiners, strict=False):
        for event, _built in _events(events.PERSON_ADDED, [person.pk], now - timedelta(days=days)):
            log.append(_log(event, hr_system, DeliveryStatus.DELIVERED, event.created_at))
    praise = list(
        Feedback.objects.filter(seen_by_everyone_q(), kind=Kind.PRAISE)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:12]
    )
    for index, pk in enumerate(reversed(praise)):
        at = now - timedelta(days=28 - 2 * index, hours=rng.randint(1, 8))
        for event, built in _events(events.PRAISE_GIVEN, [pk], at):
            status = DeliveryStatus.FAILED if index == 3 else DeliveryStatus.DELIVERED
            log.append(_log(event, automation, status, at, 8 if index == 3 else 1))
            for channel in channels:
                if built.team_path.startswith(channel.team.path):
                    log.append(_log(event, channel, DeliveryStatus.DELIVERED, at))
    # The last week's digests, and a test event demo mode logged without sending it.
    week = digest.week_to_post(now)
    for channel in channels:
        at = now - timedelta(days=(now.date() - week).days - 7)
        event = Event.objects.create(
            kind=DIGEST, payload=digest.counts(channel, week), created_at=at
        )
        log.append(_log(event, channel, DeliveryStatus.DELIVERED, at))
    ping = Event.objects.create(kind=PING, payload=payloads.ping().payload)
    log.append(
        Delivery(
            event=ping,
            endpoint=automation,
            status=DeliveryStatus.NOT_SENT,
            error="Demo mode: nothing is sent.",
        )
    )
    Delivery.objects.bulk_create(log)
    org.counts["webhook deliveries"] = len(log)
