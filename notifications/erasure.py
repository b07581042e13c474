"""What erasure (`trust.erasure`) does to notifications.

The person's own notifications go: they only ever served them; so do their e-mail preferences
and the record of their weekly digests. Other people's notifications about the person's things
(feedback they gave, their requests, their reviews, conversations with them, their person page)
name them "A former employee" and lose the topics and texts they quote. They are found by where
they link to, not by the name alone, so that a colleague with the same name keeps theirs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from conversations.models import Conversation
from feedback.models import Feedback, FeedbackAsk, ReviewInvitation
from notifications.models import EmailOptOut, Notification, WeeklyDigest
from trust.erasure import BATCH, Changed, Delete, Erasing, Step, changes, keep, register

# The values that name a person, and those that quote what someone wrote (notifications.kinds).
NAMES = ("giver", "requester", "reviewed", "person", "manager", "other")
QUOTES = ("topic", "item", "conversation")


def links_about(person_id: int) -> list[str]:
    """Where notifications about the person's things link to."""
    links = [reverse("people:person", args=[person_id])]
    feedback = Feedback.objects.filter(Q(giver=person_id) | Q(receiver=person_id))
    links += [reverse("feedback:detail", args=[pk]) for pk in feedback.values_list("pk", flat=True)]
    asks = FeedbackAsk.objects.filter(request__requester=person_id).values_list("pk", flat=True)
    links += [reverse("feedback:ask_answer", args=[pk]) for pk in asks]
    invitations = ReviewInvitation.objects.filter(participant__person=person_id)
    links += [
        reverse("feedback:answer", args=[pk]) for pk in invitations.values_list("pk", flat=True)
    ]
    conversations = Conversation.objects.filter(Q(employee=person_id) | Q(manager=person_id))
    links += [
        reverse("conversations:detail", args=[pk])
        for pk in conversations.values_list("pk", flat=True)
    ]
    return links


class OthersNotifications(Step):
    def covers(self) -> Iterable[str]:
        return ("notifications.Notification.params",)

    def run(self, erasing: Erasing) -> Changed:
        links = links_about(erasing.person.pk)
        changed = []
        for start in range(0, len(links), BATCH):
            notifications = Notification.objects.filter(
                link__in=links[start : start + BATCH]
            ).exclude(recipient=erasing.person)
            for notification in notifications.only("pk", "params"):
                params = dict(notification.params)
                for key, value in params.items():
                    if key in NAMES and value in erasing.names:
                        params[key] = erasing.erased_name
                    elif key in QUOTES and value:
                        params[key] = erasing.removed
                if params != notification.params:
                    notification.params = params
                    changed.append(notification)
        Notification.objects.bulk_update(changed, ["params"], batch_size=BATCH)
        return changes(Notification, (notification.pk for notification in changed))


register(
    Delete(Notification, lambda pk: Q(recipient=pk)),
    Delete(EmailOptOut, lambda pk: Q(person=pk)),
    Delete(WeeklyDigest, lambda pk: Q(person=pk)),
    OthersNotifications(),
)
keep(Notification, ("kind",), "the kind of notification")
keep(Notification, ("link",), "a path on this site: ids only")
