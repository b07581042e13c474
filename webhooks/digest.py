"""The weekly digest of a team's public activity, posted to its chat channel (the `team-digests`
job): for the last whole week of the organisation's calendar (`OrgSettings.week_start`, in its
time zone), in the team and the teams within it, three counts and nothing else:

- praise given publicly (shown to everyone in the organisation) to someone in it;
- goals shared with everyone, of someone in it or of one of its teams, marked done that week
  (their last change that week);
- conversations held that week by someone in it with their manager.

Which praise and goals everyone reads is their modules' rule (`seen_by_everyone_q`). A count of
a module that is switched off is left out. Each channel's week is claimed once
(`TeamChannel.digest_week`, a conditional update in the transaction that records the digest):
running the job twice, or twice at once, posts it once.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from insights.rules import smallest_group
from organisation import current
from people.models import Person
from webhooks import dispatch
from webhooks.models import DIGEST, TeamChannel
from webhooks.payloads import Built, team_ref


def _zone() -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(current.settings().time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def week_to_post(now: datetime) -> date:
    """The first day of the last whole week before `now`, in the organisation's calendar."""
    today = now.astimezone(_zone()).date()
    return current.settings().week_of(today) - timedelta(days=7)


def counts(channel: TeamChannel, week: date) -> dict[str, Any]:
    """The digest's payload: the team, the week and its counts."""
    from conversations.models import Conversation
    from conversations.models import Status as ConversationStatus
    from feedback.models import Feedback, Kind
    from feedback.rules import seen_by_everyone_q as praise_for_everyone
    from goals.models import Objective
    from goals.models import Status as GoalStatus
    from goals.rules import seen_by_everyone_q as goals_for_everyone

    zone = _zone()
    end = week + timedelta(days=6)
    since = datetime.combine(week, time(0), tzinfo=zone)
    until = since + timedelta(days=7)
    path = channel.team.path
    org = current.settings()
    payload: dict[str, Any] = {
        "team": team_ref(channel.team),
        "week_start": week.isoformat(),
        "week_end": end.isoformat(),
    }
    if org.is_on("feedback"):
        payload["praise"] = Feedback.objects.filter(
            praise_for_everyone(),
            kind=Kind.PRAISE,
            receiver__team__path__startswith=path,
            created_at__gte=since,
            created_at__lt=until,
        ).count()
    if org.is_on("goals"):
        payload["goals_completed"] = (
            Objective.objects.filter(
                goals_for_everyone(),
                status=GoalStatus.DONE,
                last_activity_at__gte=since,
                last_activity_at__lt=until,
            )
            .filter(
                Q(owner_person__team__path__startswith=path) | Q(owner_team__path__startswith=path)
            )
            .count()
        )
    if org.is_on("conversations") and _people_in(path) >= smallest_group():
        # A count of conversations, only where it stands for enough people that it does not
        # tell whose conversation was held (a team of two, say).
        payload["conversations_held"] = Conversation.objects.filter(
            status=ConversationStatus.HELD,
            held_on__gte=week,
            held_on__lte=end,
            employee__team__path__startswith=path,
        ).count()
    return payload


def _people_in(path: str) -> int:
    """How many people work here today in the team of `path` and the teams within it."""
    return Person.objects.current().filter(is_active=True, team__path__startswith=path).count()


def _unposted(week: date) -> Q:
    return Q(digest_week__isnull=True) | Q(digest_week__lt=week)


def post_digests(now: datetime | None = None) -> int:
    """Post the last whole week's digest to every channel that wants one and has not had it;
    how many were posted (queued for sending)."""
    now = now or timezone.now()
    week = week_to_post(now)
    due = TeamChannel.objects.filter(_unposted(week), digest=True).select_related("team")
    posted = 0
    for channel in due.order_by("pk"):
        with transaction.atomic():
            claimed = TeamChannel.objects.filter(_unposted(week), pk=channel.pk, digest=True)
            if not claimed.update(digest_week=week):
                continue  # posted meanwhile by another run
            dispatch.record(DIGEST, [(Built(counts(channel, week)), [channel])])
        posted += 1
    return posted


def first_week(now: datetime | None = None) -> date:
    """A new channel's `digest_week`: its first digest is of the week it was set up in."""
    return week_to_post(now or timezone.now())
