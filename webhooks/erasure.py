"""What erasure (`trust.erasure`) does to webhooks' data.

An event names the people it is about (`Event.people`): erasing one of them deletes the events
that name them, with their deliveries, so that no payload keeps their name or address (events
older than a month are deleted anyway: `webhooks.jobs`). Endpoints and channels are the
organisation's settings: their addresses and descriptions are kept; the secrets are sealed.
"""

from __future__ import annotations

from django.db.models import Q

from trust.erasure import Delete, keep, register
from webhooks.models import Delivery, Endpoint, Event, TeamChannel

register(
    Delete(Delivery, lambda pk: Q(event__people=pk)),
    Delete(Event, lambda pk: Q(people=pk)),
)
keep(
    Endpoint,
    ("url", "description", "events", "sealed_secret", "secret_hint"),
    "the organisation's webhook settings: an address of its own systems, its signing secret",
)
keep(
    TeamChannel,
    ("sealed_url", "url_hint"),
    "a team's chat channel: the address Cadence posts to",
)
