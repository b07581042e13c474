"""E-mail for feedback requests and 360 reviews: the request itself, and the reminders.

`send_due_feedback_reminders(now)` (run by `manage.py run_jobs`) works out, in each
recipient's own calendar (`Person.local_today`), what is due:

- a feedback ask still pending whose due date is at most 2 days ahead, or passed (for up to a
  week: nobody gets daily mail about a request months old; the page still shows it): at most
  one reminder a day, until it is answered or declined;
- a 360 invitation not answered nor declined, in a cycle whose reviews are open: a reminder
  every 3 days, and once more 2 days before the answers are due.

At most once a day, also when two runs overlap: each reminder is claimed with a conditional
UPDATE of `last_reminded_on` ("… WHERE last_reminded_on IS NULL OR last_reminded_on < today"),
and only the run whose UPDATE changed the row queues the e-mail, in the same transaction.
People who have left (or whose account is inactive) get nothing, and nobody is reminded about
a request from someone who has left. During a pilot, nobody outside its scope gets any, nor is
reminded about a request from (or a 360 review of) someone outside it (`organisation.scope`).

The tasks (`feedback.tasks_requests`) render the e-mail in the recipient's language and time
zone, and check again that the ask or invitation is still open.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from access.rules import can
from access.viewer import Viewer
from cadence.links import site_link, site_url
from feedback.models import (
    NAMED_GROUPS,
    AskStatus,
    CycleStatus,
    FeedbackAsk,
    ReviewInvitation,
)
from feedback.queries import asks_inside_q, invitations_inside_q
from feedback.tasks import is_present
from notifications import kinds
from notifications.mail import FEEDBACK_REQUESTS, REVIEW_REMINDERS, send_email
from notifications.services import notify
from organisation import scope

# Asks: remind from this many days before the due date, and for this many days after it.
SOON_DAYS = 2
LOOK_BACK_DAYS = 7
# 360 invitations: every this many days, and once more this many days before answers are due.
REVIEW_EVERY_DAYS = 3
REVIEW_FINAL_DAYS = 2
DAY = timedelta(days=1)

NEW_REQUEST = "new"
ASK_REMINDER = "reminder"


def not_reminded_since(today) -> Q:
    return Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)


# --- Feedback asks ------------------------------------------------------------------------------


def remind_asks(now) -> int:
    """Queue today's reminders for pending asks; returns how many this run queued."""
    from feedback.tasks_requests import send_ask_reminder

    utc_today = now.astimezone(UTC).date()
    # Widened by a day each way: every time zone's date lies within a day of UTC's.
    asks = (
        FeedbackAsk.objects.filter(
            status=AskStatus.PENDING,
            request__due_date__range=(
                utc_today - DAY * (LOOK_BACK_DAYS + 1),
                utc_today + DAY * (SOON_DAYS + 1),
            ),
        )
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=utc_today + DAY))
        .filter(asks_inside_q())
        .select_related("requestee", "request__requester")
        .order_by("pk")
    )
    sent = 0
    for ask in asks:
        person, requester = ask.requestee, ask.request.requester
        today = person.local_today(now)
        if not (is_present(person, today) and is_present(requester, requester.local_today(now))):
            continue
        days = (ask.request.due_date - today).days
        if not -LOOK_BACK_DAYS <= days <= SOON_DAYS:
            continue
        if ask.last_reminded_on is not None and ask.last_reminded_on >= today:
            continue
        with transaction.atomic():
            claimed = (
                FeedbackAsk.objects.filter(pk=ask.pk, status=AskStatus.PENDING)
                .filter(not_reminded_since(today))
                .update(last_reminded_on=today)
            )
            if claimed:
                send_ask_reminder.enqueue(ask.pk)
                sent += 1
    return sent


# --- 360 invitations ----------------------------------------------------------------------------


def remind_reviews(now) -> int:
    """Queue today's reminders for open 360 invitations; returns how many this run queued."""
    from feedback.tasks_requests import send_review_reminder

    utc_today = now.astimezone(UTC).date()
    invitations = (
        ReviewInvitation.objects.filter(
            answered=False, declined=False, participant__cycle__status=CycleStatus.REVIEWING
        )
        .filter(
            Q(last_reminded_on__isnull=True)
            | Q(last_reminded_on__lte=utc_today - DAY * (REVIEW_EVERY_DAYS - 1))
            | Q(
                participant__cycle__answers_due__range=(
                    utc_today + DAY * (REVIEW_FINAL_DAYS - 1),
                    utc_today + DAY * (REVIEW_FINAL_DAYS + 1),
                )
            )
        )
        .filter(invitations_inside_q())
        .select_related("reviewer", "participant__person", "participant__cycle")
        .order_by("pk")
    )
    sent = 0
    for invitation in invitations:
        person, reviewed = invitation.reviewer, invitation.participant.person
        today = person.local_today(now)
        if not (is_present(person, today) and is_present(reviewed, reviewed.local_today(now))):
            continue
        last = invitation.last_reminded_on
        regular = last is None or last <= today - DAY * REVIEW_EVERY_DAYS
        final = invitation.participant.cycle.answers_due - today == DAY * REVIEW_FINAL_DAYS
        if not (regular or (final and last is not None and last < today)):
            continue
        condition = Q(last_reminded_on__isnull=True) | Q(
            last_reminded_on__lte=today - DAY * REVIEW_EVERY_DAYS
        )
        if final:
            condition |= Q(last_reminded_on__lt=today)
        with transaction.atomic():
            claimed = (
                # Conditions on the row's own columns only: a join would become a subquery
                # that PostgreSQL does not re-check after waiting for a concurrent run.
                ReviewInvitation.objects.filter(pk=invitation.pk, answered=False, declined=False)
                .filter(condition)
                .update(last_reminded_on=today)
            )
            if claimed:
                send_review_reminder.enqueue(invitation.pk)
                sent += 1
    return sent


def send_due_feedback_reminders(now=None) -> dict[str, int]:
    """Queue every reminder due today that was not sent today. Returns how many this run
    queued: {"requests": n, "reviews": n}."""
    from organisation import current

    now = now or timezone.now()
    reviews_on = current.settings().is_on("reviews")  # 360 reviews may be off on their own
    return {"requests": remind_asks(now), "reviews": remind_reviews(now) if reviews_on else 0}


# --- The e-mail ---------------------------------------------------------------------------------


def render(person, name: str, context: dict) -> tuple[str, str]:
    """The subject and plain-text body of feedback/email/<name>, in the person's language and
    time zone."""
    context = {**context, "person": person, "site_url": site_url()}
    language = person.effective_language
    with translation.override(language), timezone.override(person.local_zone):
        subject = render_to_string(f"feedback/email/{name}_subject.txt", context)
        body = render_to_string(f"feedback/email/{name}.txt", context)
    return " ".join(subject.split()), body


def deliver_ask(ask_id: int, kind: str, now=None) -> bool:
    """E-mail a requestee about their ask (NEW_REQUEST or ASK_REMINDER) while it is pending;
    True when it went out."""
    now = now or timezone.now()
    ask = (
        FeedbackAsk.objects.select_related("requestee__team", "request__requester", "request__goal")
        .filter(pk=ask_id)
        .first()
    )
    if ask is None or ask.status != AskStatus.PENDING:
        return False
    person, request = ask.requestee, ask.request
    today = person.local_today(now)
    if not is_present(person, today) or not scope.in_scope(person):
        return False
    goal = request.goal
    if goal is not None and not can(Viewer(person=person), "view", goal):
        goal = None
    context = {
        "ask": ask,
        "request": request,
        "requester": request.requester,
        "goal": goal,
        "overdue": request.due_date < today,
        "answer_link": site_link(reverse("feedback:ask_answer", args=[ask.pk])),
        "link": site_link(request.get_absolute_url()),
    }
    notify(
        person,
        kinds.REQUEST_RECEIVED if kind == NEW_REQUEST else kinds.REQUEST_REMINDER,
        reverse("feedback:ask_answer", args=[ask.pk]),
        requester=request.requester.name,
        topic=request.topic,
        due_date=request.due_date,
    )
    name = "requests_new" if kind == NEW_REQUEST else "requests_reminder"
    subject, body = render(person, name, context)
    send_email(person, FEEDBACK_REQUESTS, subject, body)
    return True


def deliver_review(invitation_id: int, now=None) -> bool:
    """Remind a reviewer of an open 360 invitation; True when it went out."""
    now = now or timezone.now()
    invitation = (
        ReviewInvitation.objects.select_related(
            "reviewer__team", "participant__person", "participant__cycle"
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.answered or invitation.declined:
        return False
    cycle = invitation.participant.cycle
    person = invitation.reviewer
    if cycle.status != CycleStatus.REVIEWING or not is_present(person, person.local_today(now)):
        return False
    if not scope.in_scope(person):
        return False
    context = {
        "invitation": invitation,
        "cycle": cycle,
        "reviewed": invitation.participant.person,
        "is_self": invitation.participant.person_id == person.pk,
        "named": invitation.group in NAMED_GROUPS,
        "threshold": cycle.anonymity_threshold,
        "link": site_link(reverse("feedback:answer", args=[invitation.pk])),
    }
    is_self = context["is_self"]
    notify(
        person,
        kinds.OWN_REVIEW_REMINDER if is_self else kinds.REVIEW_REMINDER,
        reverse("feedback:answer", args=[invitation.pk]),
        reviewed=invitation.participant.person.name,
        cycle=cycle.name,
        due_date=cycle.answers_due,
    )
    subject, body = render(person, "requests_review_reminder", context)
    send_email(person, REVIEW_REMINDERS, subject, body)
    return True
