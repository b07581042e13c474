"""Reminders by e-mail: an upcoming conversation, an overdue one, an action item due.

`send_due_reminders(now)` (run by `manage.py run_jobs`) works out what is due in each
recipient's own calendar and sends each reminder at most once:

- upcoming: to both participants of an open conversation due within the next 3 days of their
  local date, or, once they have agreed a time, starting within 24 hours (the employee's
  e-mail links to the preparation, the manager's to the conversation);
- overdue: to both once the due date is over in their local date (it stays open);
- action item due: to the owner of an open action item due today or earlier, locally.

Overdue conversations and action items remind only about what fell due in the last week:
nobody gets mail about something that has been overdue for months (the pages show it).

During a pilot, people outside its scope get none (`organisation.scope`): a conversation reminds
only when both of its people are inside, an action item only its owner inside.

At most once: each reminder has a deterministic key (e.g. "upcoming:<conversation>:<due
date>:<recipient>", so a new due date reminds again), inserted into `Reminder` under a unique
constraint. Only the run whose insert succeeded enqueues the e-mail, in the same transaction,
so two runs at once cannot both send. The task (`conversations.tasks.send_reminder`) renders
the e-mail in the recipient's language and time zone and records when it went out.

Queries are bounded: what is due is selected with date ranges widened by a day each way
(every time zone's date lies within a day of UTC's), then decided per person in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cadence.links import site_link, site_url
from conversations.models import ActionItem, Conversation, Reminder
from notifications import mail
from notifications.mail import send_email
from organisation import scope

UPCOMING_DAYS = 3
STARTS_WITHIN = timedelta(hours=24)
LOOK_BACK_DAYS = 7
DAY = timedelta(days=1)
CHUNK = 500
# What `send_due_reminders` sends; the others are sent by a manager from My team.
SCHEDULED_KINDS = (Reminder.Kind.UPCOMING, Reminder.Kind.OVERDUE, Reminder.Kind.ACTION_DUE)
# A manager's reminders from My team (`conversations.services.nudge`) about goals and 360
# reviewers: no conversation; the e-mail links to the page where it is done.
NUDGES_WITHOUT_CONVERSATION: dict[str, str] = {
    Reminder.Kind.NUDGE_GOALS: "goals:mine",
    Reminder.Kind.NUDGE_NOMINATE: "feedback:reviews",
}
PERSON_FIELDS = ("is_active", "leave_date", "time_zone")
# The kind of e-mail of each reminder (`notifications.mail`): each may be turned off.
EMAIL_KINDS: dict[str, str] = {
    Reminder.Kind.UPCOMING: mail.CONVERSATION_REMINDERS,
    Reminder.Kind.OVERDUE: mail.CONVERSATION_REMINDERS,
    Reminder.Kind.ACTION_DUE: mail.ACTION_ITEMS,
    Reminder.Kind.NUDGE_PREPARE: mail.MANAGER_REMINDERS,
    Reminder.Kind.NUDGE_GOALS: mail.MANAGER_REMINDERS,
    Reminder.Kind.NUDGE_NOMINATE: mail.MANAGER_REMINDERS,
}


@dataclass(frozen=True)
class Due:
    key: str
    kind: str
    recipient_id: int
    conversation_id: int | None = None
    action_item_id: int | None = None


def is_present(person, today) -> bool:
    """Works here and may sign in: leavers and inactive accounts get no e-mail."""
    return person.is_active and (person.leave_date is None or person.leave_date >= today)


def _people_fields(*relations: str) -> list[str]:
    return [f"{relation}__{name}" for relation in relations for name in PERSON_FIELDS]


def _conversations():
    return (
        Conversation.objects.open()
        .filter(scope.in_scope_q("employee__"), scope.in_scope_q("manager__"))
        .select_related("employee", "manager")
        .only(
            "pk",
            "due_date",
            "starts_at",
            "status",
            "employee_id",
            "manager_id",
            *_people_fields("employee", "manager"),
        )
        .order_by("pk")
    )


def upcoming(now) -> list[Due]:
    today = now.astimezone(UTC).date()
    conversations = _conversations().filter(
        Q(starts_at__isnull=True, due_date__range=(today - DAY, today + DAY * (UPCOMING_DAYS + 1)))
        | Q(starts_at__gte=now, starts_at__lte=now + STARTS_WITHIN)
    )
    due = []
    for conversation in conversations:
        people = (conversation.employee, conversation.manager)
        if not all(is_present(p, p.local_today(now)) for p in people):
            continue
        for person in people:
            if conversation.starts_at is not None:
                soon = now <= conversation.starts_at <= now + STARTS_WITHIN
            else:
                days = (conversation.due_date - person.local_today(now)).days
                soon = 0 <= days <= UPCOMING_DAYS
            if soon:
                key = f"upcoming:{conversation.pk}:{conversation.due_date}:{person.pk}"
                due.append(Due(key, Reminder.Kind.UPCOMING, person.pk, conversation.pk))
    return due


def overdue(now) -> list[Due]:
    today = now.astimezone(UTC).date()
    conversations = _conversations().filter(
        due_date__range=(today - DAY * (LOOK_BACK_DAYS + 1), today)
    )
    due = []
    for conversation in conversations:
        people = (conversation.employee, conversation.manager)
        if not all(is_present(p, p.local_today(now)) for p in people):
            continue
        for person in people:
            days = (person.local_today(now) - conversation.due_date).days
            if 1 <= days <= LOOK_BACK_DAYS:
                key = f"overdue:{conversation.pk}:{conversation.due_date}:{person.pk}"
                due.append(Due(key, Reminder.Kind.OVERDUE, person.pk, conversation.pk))
    return due


def actions_due(now) -> list[Due]:
    today = now.astimezone(UTC).date()
    items = (
        ActionItem.objects.open()
        .filter(due_date__range=(today - DAY * (LOOK_BACK_DAYS + 1), today + DAY))
        .filter(scope.in_scope_q("owner__"))
        .select_related("owner")
        .only("pk", "due_date", "owner_id", "conversation_id", *_people_fields("owner"))
        .order_by("pk")
    )
    due = []
    for item in items:
        assert item.due_date is not None  # the filter above gives only items with a due date
        owner_today = item.owner.local_today(now)
        days = (owner_today - item.due_date).days
        if 0 <= days <= LOOK_BACK_DAYS and is_present(item.owner, owner_today):
            key = f"action_due:{item.pk}:{item.due_date}:{item.owner_id}"
            due.append(
                Due(key, Reminder.Kind.ACTION_DUE, item.owner_id, item.conversation_id, item.pk)
            )
    return due


def claim(due: list[Due], now) -> list[Due]:
    """Record the reminders not sent before and enqueue their e-mail; returns those this call
    recorded. A reminder another run recorded first (even at this very moment) is skipped."""
    from conversations.tasks import send_reminder

    known = set()
    keys = [d.key for d in due]
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        known |= set(Reminder.objects.filter(key__in=chunk).values_list("key", flat=True))
    claimed = []
    for reminder in due:
        if reminder.key in known:
            continue
        try:
            with transaction.atomic():
                row = Reminder.objects.create(
                    key=reminder.key,
                    kind=reminder.kind,
                    recipient_id=reminder.recipient_id,
                    conversation_id=reminder.conversation_id,
                    action_item_id=reminder.action_item_id,
                    created_at=now,
                )
                # In the same transaction: with the database task backend, the e-mail is
                # queued exactly when the reminder is recorded.
                send_reminder.enqueue(row.pk)
        except IntegrityError:
            continue  # another run recorded it first: it sends it
        claimed.append(reminder)
    return claimed


def send_due_reminders(now=None) -> dict[str, int]:
    """Send every reminder that is due and was not sent before. Returns how many of each kind
    this run sent (queued): {"upcoming": n, "overdue": n, "action_due": n}."""
    now = now or timezone.now()
    due = upcoming(now) + overdue(now) + actions_due(now)
    counts = {str(kind): 0 for kind in SCHEDULED_KINDS}
    for reminder in claim(due, now):
        counts[str(reminder.kind)] += 1
    return counts


# --- The e-mail ---------------------------------------------------------------------------------


def still_due(reminder: Reminder) -> bool:
    """Between the run and the worker, the conversation may have been held or the action
    done: then the reminder is not sent."""
    if reminder.kind == Reminder.Kind.ACTION_DUE:
        return reminder.action_item is not None and not reminder.action_item.is_done
    if reminder.kind in NUDGES_WITHOUT_CONVERSATION:
        return True  # a manager's reminder, sent a moment ago
    if reminder.kind == Reminder.Kind.NUDGE_PREPARE:
        conversation = reminder.conversation
        return conversation is not None and conversation.is_open and not conversation.prepared_at
    return reminder.conversation is not None and reminder.conversation.is_open


def message(reminder: Reminder) -> tuple[str, str]:
    """The subject and plain-text body, in the recipient's language and time zone."""
    person = reminder.recipient
    conversation = reminder.conversation
    if reminder.action_item is not None:
        conversation = reminder.action_item.conversation
    context: dict[str, Any] = {
        "person": person,
        "conversation": conversation,
        "item": reminder.action_item,
        "site_url": site_url(),
        "manager": person.manager,
    }
    if reminder.kind in NUDGES_WITHOUT_CONVERSATION:
        context["link"] = site_link(reverse(NUDGES_WITHOUT_CONVERSATION[reminder.kind]))
    if conversation is not None:
        is_employee = person.pk == conversation.employee_id
        other = conversation.manager if is_employee else conversation.employee
        context.update(
            is_employee=is_employee,
            other=other,
            link=site_link(conversation.get_absolute_url()),
            prepare_link=site_link(reverse("conversations:prepare", args=[conversation.pk])),
        )
    names = f"conversations/email/{reminder.kind}"
    language = person.effective_language
    with translation.override(language), timezone.override(person.local_zone):
        context["label"] = str(conversation.label) if conversation else ""
        subject = render_to_string(f"{names}_subject.txt", context)
        body = render_to_string(f"{names}.txt", context)
    return " ".join(subject.split()), body


def _notify(reminder: Reminder) -> None:
    """The reminder in Cadence too (`notifications`), with what its e-mail says."""
    from notifications import kinds
    from notifications.services import notify

    person = reminder.recipient
    if reminder.action_item is not None:
        item = reminder.action_item
        notify(
            person,
            kinds.ACTION_DUE,
            item.conversation.get_absolute_url(),
            item=item.text,
            due_date=item.due_date,
        )
        return
    conversation = reminder.conversation
    if conversation is None:
        return
    is_employee = person.pk == conversation.employee_id
    notify(
        person,
        kinds.CONVERSATION_OVERDUE
        if reminder.kind == Reminder.Kind.OVERDUE
        else kinds.CONVERSATION_UPCOMING,
        conversation.get_absolute_url(),
        conversation=conversation.title,
        conversation_kind=conversation.kind,
        other=(conversation.manager if is_employee else conversation.employee).name,
        due_date=conversation.due_date,
    )


def deliver(reminder_id: int, now=None) -> bool:
    """Send one recorded reminder, once; True when it went out."""
    now = now or timezone.now()
    reminder = (
        Reminder.objects.select_related(
            "recipient__manager",
            "recipient__team",
            "conversation__employee",
            "conversation__manager",
            "action_item__conversation__employee",
            "action_item__conversation__manager",
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at is not None:
        return False
    person = reminder.recipient
    if not is_present(person, person.local_today(now)) or not still_due(reminder):
        return False
    if not scope.in_scope(person):  # the pilot was narrowed since it was recorded
        return False
    # Claim it: a task run twice (a retry, a second worker) sends it once.
    if not Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now):
        return False
    try:
        _notify(reminder)
        subject, body = message(reminder)
        send_email(person, EMAIL_KINDS[reminder.kind], subject, body)
    except Exception:
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)
        raise
    return True
