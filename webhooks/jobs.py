"""Periodic work of webhooks: sending again the deliveries that are due (a first attempt whose
task did not run, a retry after its back-off), forgetting old events, and the teams' weekly
digests. Both are idempotent and safe to run twice at once (`webhooks.sending`,
`webhooks.digest`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from cadence.jobs import job
from webhooks import digest, sending
from webhooks.models import Event

KEEP_DAYS = 30  # the delivery log shows a month
BATCH = 500


def forget_old_events(now: datetime) -> int:
    """Delete events (and their deliveries) older than KEEP_DAYS, a batch at a time."""
    old = Event.objects.filter(created_at__lt=now - timedelta(days=KEEP_DAYS)).order_by("pk")
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        Event.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


@job("webhook-deliveries", order=96)
def send_due_deliveries(now: datetime) -> str | None:
    sent, delivered = sending.send_due(now)
    forgotten = forget_old_events(now)
    if not (sent or forgotten):
        return None
    return f"webhooks: {sent} sent, {delivered} delivered, {forgotten} old events deleted"


@job("team-digests", order=97)
def post_team_digests(now: datetime) -> str | None:
    posted = digest.post_digests(now)
    return f"team digests: {posted} posted" if posted else None
