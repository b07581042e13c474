"""The demo organisation's notifications: what the e-mails of the last weeks told people
(feedback received, feedback asked of them), the older ones read."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from feedback.models import AskStatus, Feedback, FeedbackAsk
from notifications import kinds
from notifications.models import Notification
from people.demo import DemoOrg, history_builder

RECENT_DAYS = 45
READ_AFTER_DAYS = 5


@history_builder
def notification_history(org: DemoOrg) -> None:
    rng = org.random("notifications")
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    read_before = timezone.now() - timedelta(days=READ_AFTER_DAYS)
    names = {person.pk: person.name for person in org.people}
    rows = []
    feedback = Feedback.objects.filter(created_at__gte=since, receiver__in=org.current)
    for pk, receiver_id, giver_id, created_at in feedback.order_by("pk").values_list(
        "pk", "receiver_id", "giver_id", "created_at"
    ):
        rows.append(
            Notification(
                recipient_id=receiver_id,
                kind=kinds.FEEDBACK_RECEIVED,
                params={"giver": names.get(giver_id, "—")},
                link=reverse("feedback:detail", args=[pk]),
                created_at=created_at,
                read_at=created_at + timedelta(hours=rng.randint(1, 48))
                if created_at < read_before
                else None,
            )
        )
    asks = FeedbackAsk.objects.filter(status=AskStatus.PENDING, requestee__in=org.current)
    for pk, requestee_id, requester_id, topic, due, created_at in asks.order_by("pk").values_list(
        "pk",
        "requestee_id",
        "request__requester_id",
        "request__topic",
        "request__due_date",
        "request__created_at",
    ):
        rows.append(
            Notification(
                recipient_id=requestee_id,
                kind=kinds.REQUEST_RECEIVED,
                params={
                    "requester": names.get(requester_id, "—"),
                    "topic": topic[:200],
                    "due_date": due.isoformat(),
                },
                link=reverse("feedback:ask_answer", args=[pk]),
                created_at=created_at or timezone.make_aware(datetime.combine(org.today, time(9))),
            )
        )
    Notification.objects.bulk_create(rows, batch_size=1000)
    org.counts["notifications"] = len(rows)
