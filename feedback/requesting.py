"""Feedback requests: asking colleagues, answering and declining, shared by the pages
(`feedback.views_requests`) and the API (`feedback.api`).

- `create_request(requester, requestees, topic, goal, due_date)`: one `FeedbackRequest` and one
  `FeedbackAsk` per person, and an e-mail to each of them (queued with the rows, in one
  transaction). The request e-mail counts as the first reminder of the day
  (`last_reminded_on`), so that the reminders (`feedback.reminders`) do not repeat it at once.
- `answer_ask(ask, kind, text)`: the requestee's answer is a private `Feedback` from them to the
  requester, linked to the request and to its goal, so that it shows in the goal's context.
- `decline_ask(ask, reason)`.

Both end an ask only while it is pending: the status changes with a conditional UPDATE, so that
two submissions at once (a double click, the page and the API) store one answer; the other gets
`NotPending`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import AskStatus, Feedback, FeedbackAsk, FeedbackRequest, Visibility

MAX_REQUESTEES = 10


class NotPending(Exception):
    message = _("This request was already answered or declined.")

    def __str__(self):
        return str(self.message)


def create_request(
    requester, requestees, *, topic: str, goal=None, due_date, competency: str = ""
) -> FeedbackRequest:
    """Ask `requestees` (validated by the caller: current people, not the requester) about
    `topic` by `due_date`."""
    from feedback.tasks_requests import send_request_email

    now = timezone.now()
    with transaction.atomic():
        request = FeedbackRequest.objects.create(
            requester=requester,
            topic=topic,
            goal=goal,
            competency=competency,
            due_date=due_date,
            created_at=now,
        )
        asks = FeedbackAsk.objects.bulk_create(
            [
                FeedbackAsk(
                    request=request,
                    requestee=person,
                    last_reminded_on=person.local_today(now),
                )
                for person in requestees
            ]
        )
        ask_ids = list(
            FeedbackAsk.objects.filter(request=request).values_list("pk", flat=True)
            if any(ask.pk is None for ask in asks)
            else [ask.pk for ask in asks]
        )
        for ask_id in ask_ids:
            send_request_email.enqueue(ask_id)
    return request


def answer_ask(ask: FeedbackAsk, *, kind: str, text: str) -> Feedback:
    """The requestee answers: private feedback to the requester about the request's topic (and
    goal). Raises NotPending when the ask was answered or declined meanwhile."""
    from feedback.tasks import notify_receiver

    request = ask.request
    now = timezone.now()
    with transaction.atomic():
        claimed = FeedbackAsk.objects.filter(pk=ask.pk, status=AskStatus.PENDING).update(
            status=AskStatus.ANSWERED, answered_at=now
        )
        if not claimed:
            raise NotPending
        feedback = Feedback.objects.create(
            giver_id=ask.requestee_id,
            receiver_id=request.requester_id,
            kind=kind,
            text=text,
            goal_id=request.goal_id,
            competency=request.competency,  # an answer is about what was asked
            visibility=Visibility.PRIVATE,
            request=request,
            created_at=now,
        )
        FeedbackAsk.objects.filter(pk=ask.pk).update(answer=feedback)
        # The requester hears of it as of any feedback (queued with the answer).
        notify_receiver.enqueue(feedback.pk)
    ask.status, ask.answered_at, ask.answer = AskStatus.ANSWERED, now, feedback
    return feedback


def decline_ask(ask: FeedbackAsk, *, reason: str = "") -> None:
    """Raises NotPending when the ask was answered or declined meanwhile."""
    claimed = FeedbackAsk.objects.filter(pk=ask.pk, status=AskStatus.PENDING).update(
        status=AskStatus.DECLINED, declined_reason=reason
    )
    if not claimed:
        raise NotPending
    ask.status, ask.declined_reason = AskStatus.DECLINED, reason
