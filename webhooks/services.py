"""Every write of webhooks and chat channels, one function each: permission first
(`webhooks.rules`), then the row's lock, the domain's checks (`Refused` on the API's field
names: `url`, `description`, `events`, `kind`), the write, and its entry in the audit log in
the same transaction (`trust.audit`: who changed which endpoint or channel, before and after;
never a secret or a channel's address, only their hints).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence import events
from cadence.refusals import Conflict, Refused, clean_text
from trust import audit
from webhooks import addresses, digest, dispatch, payloads, sealed, sending
from webhooks.models import PING, ChatKind, Delivery, Endpoint, TeamChannel
from webhooks.rules import administers_webhooks, manages_team

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person, Team

DESCRIPTION_MAX = 200


def _admin(viewer: Viewer) -> Person:
    if not administers_webhooks(viewer) or viewer.person is None:
        raise PermissionDenied
    return viewer.person


def _url(url: str, field: str = "url") -> str:
    url = url.strip()
    problem = addresses.problem(url)
    if problem is not None:
        raise Refused.on(field, problem)
    return url


def _events(chosen: Iterable[str]) -> list[str]:
    wanted = set(chosen)
    if wanted - set(events.KINDS):
        raise Refused.on("events", _("Choose events from the list."))
    if not wanted:
        raise Refused.on("events", _("Choose at least one event."))
    return [kind for kind in events.KINDS if kind in wanted]


def _endpoint_fields(url: str, description: str, events: Iterable[str]) -> dict[str, Any]:
    """The endpoint's fields as written, each checked (all refusals at once)."""
    errors: list[tuple[str, str]] = []
    cleaned: dict[str, Any] = {}
    checks: dict[str, Callable[[], Any]] = {
        "url": lambda: _url(url),
        "description": lambda: clean_text(
            description, "description", DESCRIPTION_MAX, required=False
        ),
        "events": lambda: _events(events),
    }
    for name, check in checks.items():
        try:
            cleaned[name] = check()
        except Refused as refused:
            errors += refused.errors
    if errors:
        raise Refused(errors)
    return cleaned


def _state(endpoint: Endpoint) -> dict[str, Any]:
    """An endpoint's fields as the audit log keeps them (never its secret)."""
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": list(endpoint.events),
        "active": endpoint.active,
    }


def _locked(endpoint: Endpoint) -> Endpoint:
    stored = Endpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if stored is None:
        raise Conflict(_("This endpoint was removed meanwhile."))
    return stored


# --- Endpoints (administrators) ------------------------------------------------------------------


def add_endpoint(
    viewer: Viewer, *, url: str, description: str = "", events: Iterable[str], active: bool = True
) -> tuple[Endpoint, str]:
    """A new endpoint with a new secret: the endpoint, and its secret, to show once."""
    by = _admin(viewer)
    cleaned = _endpoint_fields(url, description, events)
    secret = sealed.new_secret()
    with transaction.atomic():
        endpoint = Endpoint(**cleaned, active=active, created_by=by)
        endpoint.secret_hint = sealed.hint(secret)
        endpoint.sealed_secret = sealed.seal_secret(endpoint.key, secret)
        endpoint.save()
        audit.record(
            "webhook.added", actor=by, target=endpoint, changes=audit.added(_state(endpoint))
        )
    return endpoint, secret


def change_endpoint(
    viewer: Viewer,
    endpoint: Endpoint,
    *,
    url: str,
    description: str = "",
    events: Iterable[str],
    active: bool = True,
) -> Endpoint:
    """Change an endpoint's address, description, events or whether it is active."""
    by = _admin(viewer)
    cleaned = _endpoint_fields(url, description, events)
    with transaction.atomic():
        stored = _locked(endpoint)
        was = _state(stored)
        for name, value in cleaned.items():
            setattr(stored, name, value)
        stored.active = active
        stored.save(update_fields=["url", "description", "events", "active"])
        changed = audit.changes(was, _state(stored))
        if changed:
            audit.record("webhook.changed", actor=by, target=stored, changes=changed)
    return stored


def new_secret(viewer: Viewer, endpoint: Endpoint) -> tuple[Endpoint, str]:
    """Replace an endpoint's secret (it was lost, or leaked): the old one stops at once. The
    endpoint, and its new secret, to show once."""
    by = _admin(viewer)
    secret = sealed.new_secret()
    with transaction.atomic():
        stored = _locked(endpoint)
        was = stored.secret_hint
        stored.sealed_secret = sealed.seal_secret(stored.key, secret)
        stored.secret_hint = sealed.hint(secret)
        stored.secret_set_at = timezone.now()
        stored.save(update_fields=["sealed_secret", "secret_hint", "secret_set_at"])
        audit.record(
            "webhook.secret_changed",
            actor=by,
            target=stored,
            changes={"secret": [f"{was}…", f"{stored.secret_hint}…"]},
        )
    return stored, secret


def remove_endpoint(viewer: Viewer, endpoint: Endpoint) -> None:
    """Remove an endpoint, with its delivery log: nothing more is sent to it."""
    by = _admin(viewer)
    with transaction.atomic():
        stored = Endpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
        if stored is None:
            return
        audit.record(
            "webhook.removed",
            actor=by,
            target=stored,
            changes={key: [value, None] for key, value in _state(stored).items()},
        )
        stored.delete()


def send_test(viewer: Viewer, endpoint: Endpoint) -> list[int]:
    """Send the endpoint a test event (`payloads.ping`, no one's data), paused or not: the ids
    of the deliveries queued (none in demo mode, where it is logged as not sent)."""
    _admin(viewer)
    return dispatch.record(PING, [(payloads.ping(), [endpoint])])


def send_again(viewer: Viewer, delivery: Delivery) -> bool:
    """Send a failed delivery again, now; whether it had failed."""
    _admin(viewer)
    if delivery.endpoint_id is None:
        raise PermissionDenied
    with transaction.atomic():
        again = sending.again(delivery)
        if again:
            dispatch.queue([delivery.pk])
    return again


# --- A team's chat channel (the team's leads, HR covering it) ------------------------------------


def _channel_state(channel: TeamChannel) -> dict[str, Any]:
    """A channel's fields as the audit log keeps them: its address by its hint only."""
    return {
        "team": channel.team_id,
        "chat": channel.kind,
        "address": channel.url_hint,
        "praise": channel.praise,
        "digest": channel.digest,
    }


def _manager(viewer: Viewer, team: Team) -> Person:
    if viewer.person is None or not manages_team(viewer, team):
        raise PermissionDenied
    return viewer.person


def save_channel(
    viewer: Viewer, team: Team, *, kind: str, url: str = "", praise: bool, digest_on: bool
) -> TeamChannel:
    """Set up the team's chat channel, or change it (an empty `url` keeps its address)."""
    by = _manager(viewer, team)
    errors: list[tuple[str, str]] = []
    if kind not in ChatKind.values:
        errors.append(("kind", _("Choose Slack or Microsoft Teams.")))
    url = url.strip()
    if url:
        try:
            url = _url(url)
        except Refused as refused:
            errors += refused.errors
    with transaction.atomic():
        stored = TeamChannel.objects.select_for_update().filter(team=team).first()
        if stored is None and not url and not errors:
            errors.append(("url", _("Enter the channel's incoming webhook address.")))
        if errors:
            raise Refused(errors)
        channel = stored or TeamChannel(
            team=team, created_by=by, digest_week=digest.first_week(), kind=kind
        )
        was = _channel_state(channel) if stored is not None else {}
        if url:
            channel.sealed_url = sealed.seal_address(channel.key, url)
            channel.url_hint = sealed.address_hint(url)
        channel.kind, channel.praise, channel.digest = kind, praise, digest_on
        channel.save()
        now = _channel_state(channel)
        if stored is None:
            audit.record("chat_channel.added", actor=by, target=channel, changes=audit.added(now))
        else:
            changed = audit.changes(was, now)
            if url and "address" not in changed:  # a new address with the same hint
                changed["address"] = [was["address"], now["address"]]
            if changed:
                audit.record("chat_channel.changed", actor=by, target=channel, changes=changed)
    return channel


def remove_channel(viewer: Viewer, channel: TeamChannel) -> None:
    """Stop posting to the team's channel, and forget its address and log."""
    by = _manager(viewer, channel.team)
    with transaction.atomic():
        stored = TeamChannel.objects.select_for_update().filter(pk=channel.pk).first()
        if stored is None:
            return
        audit.record(
            "chat_channel.removed",
            actor=by,
            target=stored,
            changes={key: [value, None] for key, value in _channel_state(stored).items()},
        )
        stored.delete()


def post_test_message(viewer: Viewer, channel: TeamChannel) -> list[int]:
    """Post a test message to the team's channel: the deliveries queued."""
    _manager(viewer, channel.team)
    return dispatch.record(PING, [(payloads.ping(), [channel])])
