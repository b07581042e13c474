"""Every write in conversations, one function each, called by the pages and the API alike.

A service takes the viewer and data already parsed (by a form or an API schema) and:
1. checks permission first, through the rules (`access.rules.can`; `PermissionDenied`, which
   pages answer with 403 and the API with 403 and `closed_message`);
2. takes the locks: the conversation's row (`lock_state`) so that a sign-off at the same moment
   cannot let a change into a closed record, and the row it changes;
3. checks the domain's rules on the data (one date window, text lengths, who may own an
   action) and raises `cadence.refusals.Refused` with (field, message) pairs: pages show them
   as the form's errors (`form_saved`), the API answers 422 (`cadence.api_kit.written`);
4. writes.

Field names in `Refused` are the API's (`text`, `owner_id`, `due_date`, `partner_id`,
`starts_at`, `reason`); pages map them to their form's fields.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext

from access.rules import can, visible
from cadence.refusals import Refused, clean_text
from conversations import scheduling
from conversations.models import (
    PREPARE_DAYS,
    RHYTHM_KIND_VALUES,
    ActionItem,
    AgendaItem,
    Conversation,
    ConversationTemplate,
    Kind,
    Note,
    PrivateNote,
    Reminder,
    RhythmRule,
    Status,
)
from conversations.prompts import default_text
from conversations.rules import (
    edits_default_rhythm,
    edits_pair_rhythm,
    edits_team_rhythm,
    manages_templates,
    may_nudge,
    partners_of,
)
from conversations.tasks import send_reminder
from feedback.queries import review_status_of
from goals.models import STALE_WEEKS
from goals.queries import attention_by_owner
from people.models import Person
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Team

# The one window for every date written in a conversation (an action's due date, a meeting
# time, a one-on-one's day): a year back to five years ahead. Beyond that it is a typo, and
# far-away years cannot overflow when converted between time zones.
PAST_YEARS, FUTURE_YEARS = 1, 5


def max_length(model: type[Model], field: str) -> int | None:
    # get_field may give a relation, which has no max_length; these names are plain fields.
    return model._meta.get_field(field).max_length  # type: ignore[union-attr]


AGENDA_MAX = max_length(AgendaItem, "text")
NOTE_MAX = max_length(Note, "text")
PRIVATE_NOTE_MAX = max_length(PrivateNote, "text")
ACTION_MAX = max_length(ActionItem, "text")
TITLE_MAX = max_length(Conversation, "title")
REASON_MAX = 1000


# --- The domain's rules on data ---------------------------------------------------------------


def within_reach(day: date, today: date) -> bool:
    """Is `day` within the window (a year back, five years ahead of `today`)?"""
    return (
        today.replace(year=today.year - PAST_YEARS, day=min(today.day, 28))
        <= day
        <= today.replace(year=today.year + FUTURE_YEARS, day=min(today.day, 28))
    )


def check_day(day: date, today: date, field: str) -> None:
    if not within_reach(day, today):
        message = gettext("Choose a date between a year ago and five years from now.")
        raise Refused.on(field, message)


def closed_message(conversation: Conversation) -> str:
    """Why a participant may not add to the conversation."""
    if conversation.is_locked:
        return gettext("Both signed off: the record is closed.")
    if conversation.status in (Status.SKIPPED, Status.CANCELLED):
        return gettext("This conversation was skipped or cancelled.")
    return gettext("You may not do this in this conversation.")


def require(viewer: Viewer, action: str, obj: Conversation) -> None:
    if not can(viewer, action, obj):
        raise PermissionDenied(closed_message(obj))


def me(viewer: Viewer) -> Person:
    if viewer.person is None:
        raise PermissionDenied
    return viewer.person


# --- Locks --------------------------------------------------------------------------------------


def lock_state(conversation: Conversation) -> Conversation:
    """Re-read what decides whether the conversation may change (status, sign-offs, time),
    holding its row until the transaction ends: a sign-off or skip at the same moment waits,
    and a change checked here cannot slip into a record that has just been closed."""
    fields = ("status", "employee_signed_at", "manager_signed_at", "starts_at")
    current = (
        Conversation.objects.select_for_update().filter(pk=conversation.pk).values(*fields).get()
    )
    for name in fields:
        setattr(conversation, name, current[name])
    conversation.remember_timing(fields)
    return conversation


# --- Starting, the time, skipping, signing off --------------------------------------------


def start_one_on_one(
    viewer: Viewer,
    *,
    partner_id: int | None,
    day: date | None,
    starts_at: datetime | None = None,
    title: str = "",
) -> Conversation:
    """A one-on-one with the viewer's manager or one of their direct reports, on `day` (by
    default the day of `starts_at`, in the viewer's zone)."""
    person = me(viewer)
    partner = partners_of(viewer).filter(pk=partner_id).first() if partner_id else None
    errors = []
    if partner is None:
        message = gettext("Start a one-on-one with your manager or one of your direct reports.")
        errors.append(("partner_id", message))
    if day is None and starts_at is not None:
        day = starts_at.astimezone(person.local_zone).date()
    today = person.local_today()
    if day is None:
        errors.append(("due_date", gettext("Give the day (`due_date`) or the time.")))
    else:
        try:
            check_day(day, today, "due_date")
        except Refused as error:
            errors += error.errors
    if starts_at is not None:
        try:
            check_day(starts_at.astimezone(person.local_zone).date(), today, "starts_at")
        except Refused as error:
            errors += error.errors
    if errors:
        raise Refused(errors)
    assert partner is not None and day is not None  # else refused above
    title = clean_text(title, "title", TITLE_MAX, required=False)
    if partner.manager_id == person.pk:
        employee, manager = partner, person
    else:
        employee, manager = person, partner
    return scheduling.create_one_on_one(
        employee, manager, by=person, day=day, title=title, starts_at=starts_at
    )


def reschedule(viewer: Viewer, conversation: Conversation, starts_at: datetime | None) -> None:
    """Set (or, with None, clear) the meeting time. A one-on-one's day moves with it."""
    with transaction.atomic():
        lock_state(conversation)
        require(viewer, "reschedule", conversation)
        if starts_at is not None:
            today = conversation.employee.local_today()
            check_day(timezone.localtime(starts_at).date(), today, "starts_at")
        conversation.starts_at = starts_at
        fields = ["starts_at"]
        if conversation.kind == Kind.ONE_ON_ONE and starts_at is not None:
            # A one-on-one's due date is its day (the employee's calendar, as due dates are).
            conversation.due_date = conversation.employee.local_today(starts_at)
            fields.append("due_date")
        conversation.save(update_fields=fields)


def skip(viewer: Viewer, conversation: Conversation, reason: str) -> Conversation:
    """Skip an open conversation, with a reason both will see."""
    require(viewer, "skip", conversation)
    reason = clean_text(reason, "reason", REASON_MAX)
    try:
        return scheduling.skip(conversation, me(viewer), reason)
    except scheduling.Locked:
        raise PermissionDenied(closed_message(conversation)) from None


def sign_off(viewer: Viewer, conversation: Conversation) -> Conversation:
    """The viewer signs off (see `scheduling.sign_off`); `scheduling.TooEarly` before the
    conversation can have taken place."""
    require(viewer, "contribute", conversation)
    try:
        return scheduling.sign_off(conversation, me(viewer))
    except scheduling.Locked:
        raise PermissionDenied(closed_message(conversation)) from None


# --- Preparation, agenda, notes -----------------------------------------------------------------


def prepare(
    viewer: Viewer, conversation: Conversation, answers: list[dict[str, str]]
) -> Conversation:
    """The employee's answers, [{"prompt": …, "answer": …}]. Prepared means something was
    written down: saving only empty answers is not preparing."""
    with transaction.atomic():
        lock_state(conversation)
        require(viewer, "prepare", conversation)
        answered = any(entry["answer"] for entry in answers)
        conversation.preparation = answers if answered else []
        conversation.prepared_at = timezone.now() if answered else None
        conversation.save(update_fields=["preparation", "prepared_at"])
    return conversation


def add_agenda_item(viewer: Viewer, conversation: Conversation, text: str) -> AgendaItem:
    with transaction.atomic():
        lock_state(conversation)
        require(viewer, "contribute", conversation)
        text = clean_text(text, "text", AGENDA_MAX)
        return AgendaItem.objects.create(conversation=conversation, author=me(viewer), text=text)


def toggle_agenda_item(viewer: Viewer, item: AgendaItem) -> AgendaItem:
    """Discussed or not, by either participant."""
    with transaction.atomic():
        lock_state(item.conversation)
        require(viewer, "contribute", item.conversation)
        current = AgendaItem.objects.select_for_update().get(pk=item.pk)
        item.discussed = not current.discussed
        item.save(update_fields=["discussed"])
    return item


def delete_agenda_item(viewer: Viewer, item: AgendaItem) -> None:
    """Its author removes it, while the two may contribute."""
    with transaction.atomic():
        lock_state(item.conversation)
        require(viewer, "contribute", item.conversation)
        if not can(viewer, "delete", item):
            raise PermissionDenied
        item.delete()


def add_note(viewer: Viewer, conversation: Conversation, text: str) -> Note:
    """A shared note; once both signed off, a remark appended to the record."""
    with transaction.atomic():
        lock_state(conversation)
        remark = conversation.is_locked
        require(viewer, "remark" if remark else "contribute", conversation)
        text = clean_text(text, "text", NOTE_MAX)
        return Note.objects.create(
            conversation=conversation, author=me(viewer), text=text, is_remark=remark
        )


def delete_note(viewer: Viewer, note: Note) -> None:
    """Its author removes a shared note, until both signed off. Remarks stay."""
    with transaction.atomic():
        lock_state(note.conversation)
        require(viewer, "contribute", note.conversation)
        if not can(viewer, "delete", note):
            raise PermissionDenied
        note.delete()


def add_private_note(viewer: Viewer, conversation: Conversation, text: str) -> PrivateNote:
    """A note only its writer will ever see; also after sign-off (not part of the record)."""
    if not can(viewer, "view", conversation):
        raise PermissionDenied
    text = clean_text(text, "text", PRIVATE_NOTE_MAX)
    return PrivateNote.objects.create(conversation=conversation, author=me(viewer), text=text)


def delete_private_note(viewer: Viewer, note: PrivateNote) -> None:
    if not can(viewer, "view", note):
        raise PermissionDenied
    note.delete()


# --- Action items ---------------------------------------------------------------------------------


def _owner(conversation: Conversation, owner_id: int | None) -> int:
    if owner_id is None:
        raise Refused.on("owner_id", gettext("An action item has an owner."))
    if owner_id not in conversation.participant_ids():
        raise Refused.on("owner_id", gettext("The owner is one of the two participants."))
    return owner_id


def add_action_item(
    viewer: Viewer,
    conversation: Conversation,
    *,
    text: str,
    owner_id: int | None = None,
    due_date: date | None = None,
) -> ActionItem:
    """Something one of the two will do (by default the viewer), by `due_date` if given."""
    with transaction.atomic():
        lock_state(conversation)
        require(viewer, "contribute", conversation)
        text = clean_text(text, "text", ACTION_MAX)
        owner = _owner(conversation, me(viewer).pk if owner_id is None else owner_id)
        if due_date is not None:
            check_day(due_date, conversation.employee.local_today(), "due_date")
        return ActionItem.objects.create(
            conversation=conversation,
            employee_id=conversation.employee_id,
            manager_id=conversation.manager_id,
            owner_id=owner,
            text=text,
            due_date=due_date,
            created_by=viewer.person,
        )


class ActionChanges(TypedDict, total=False):
    done: bool
    text: str
    owner_id: int | None
    due_date: date | None


def change_action_item(viewer: Viewer, item: ActionItem, changes: ActionChanges) -> ActionItem:
    """`done`, by either participant, also after sign-off (items carry over until done); the
    text, owner and due date only while the two may contribute."""
    conversation = item.conversation
    with transaction.atomic():
        current = ActionItem.objects.select_for_update().get(pk=item.pk)
        item.text, item.owner_id, item.due_date = current.text, current.owner_id, current.due_date
        item.done_at, item.done_by_id = current.done_at, current.done_by_id
        fields: dict[str, object] = {}
        if "text" in changes:
            text = clean_text(changes["text"], "text", ACTION_MAX)
            if text != item.text:
                fields["text"] = text
        if "owner_id" in changes:
            owner = _owner(conversation, changes["owner_id"])
            if owner != item.owner_id:
                fields["owner_id"] = owner
        if "due_date" in changes and changes["due_date"] != item.due_date:
            due = changes["due_date"]
            if due is not None:
                check_day(due, conversation.employee.local_today(), "due_date")
            fields["due_date"] = due
        if fields:
            lock_state(conversation)
            if not can(viewer, "change", item):
                message = gettext(
                    "The record is closed: an action item can only be marked done or not."
                )
                raise PermissionDenied(message)
        if not can(viewer, "complete", item):
            raise PermissionDenied
        if changes.get("done") is True and item.done_at is None:
            fields.update(done_at=timezone.now(), done_by=me(viewer))
        elif changes.get("done") is False and item.done_at is not None:
            fields.update(done_at=None, done_by=None)
        for name, value in fields.items():
            setattr(item, name, value)
        if fields:
            item.save(update_fields=[name.removesuffix("_id") for name in fields])
    return item


def toggle_action_item(viewer: Viewer, item: ActionItem) -> ActionItem:
    """Done or not done, the other way round from now."""
    with transaction.atomic():
        done = ActionItem.objects.select_for_update().filter(pk=item.pk).values("done_at").get()
        return change_action_item(viewer, item, {"done": done["done_at"] is None})


# --- Rhythms and templates ----------------------------------------------------------------------


def save_rhythm(
    viewer: Viewer,
    intervals: dict[str, int | None],
    *,
    team: Team | None = None,
    employee: Person | None = None,
) -> list[str]:
    """Store the rhythm of one level (the organisation, a team or a pair) and move the open
    conversations to it; returns the kinds whose rule changed. "Inherit" (None) removes the
    level's rule; the organisation's default is only stored when it differs from what applies
    already."""
    if employee is not None:
        allowed = edits_pair_rhythm(viewer, employee)
    elif team is not None:
        allowed = edits_team_rhythm(viewer, team)
    else:
        allowed = edits_default_rhythm(viewer)
    if not allowed:
        raise PermissionDenied
    level = RhythmRule.objects.filter(team=team, employee=employee)
    if team is None and employee is None:
        level = RhythmRule.objects.filter(team__isnull=True, employee__isnull=True)
    changed = []
    with transaction.atomic():
        stored = {rule.kind: rule.interval_months for rule in level.select_for_update()}
        defaults = scheduling.Rules.load().default if team is None and employee is None else {}
        months_before: dict[str, list[int | None]] = {}
        for kind, months in intervals.items():
            before = stored.get(kind, defaults.get(kind))
            if months == before:
                continue
            if months is None:
                level.filter(kind=kind).delete()
            else:
                RhythmRule.objects.update_or_create(
                    kind=kind,
                    team=team,
                    employee=employee,
                    defaults={"interval_months": months, "updated_by": viewer.person},
                )
            changed.append(kind)
            months_before[kind] = [before, months]
        if months_before:
            audit.record(
                "conversations.rhythm_changed",
                actor=viewer.person,
                subject=employee,
                target=team,
                changes=months_before,
            )
    if employee is not None:
        if changed:
            scheduling.follow_rules([employee.pk], Q(employee=employee), changed)
    elif team is not None:
        if changed:
            scheduling.follow_rules(
                _team_member_ids(team), Q(employee__team__path__startswith=team.path), changed
            )
    else:
        scheduling.follow_rules(None, Q(), changed)
    return changed


def _team_member_ids(team: Team) -> list[int]:
    return list(
        Person.objects.current()
        .filter(team__path__startswith=team.path)
        .values_list("pk", flat=True)
    )


def _normalised(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def save_template(viewer: Viewer, kind: str, text: str) -> bool:
    """Store HR's prompts for a kind; returns False when they are our default (nothing is
    stored, so the default keeps following the reader's language)."""
    if not manages_templates(viewer):
        raise PermissionDenied
    with transaction.atomic():
        was = _stored_template(kind)
        if _normalised(text) == _normalised(default_text(kind)):
            ConversationTemplate.objects.filter(kind=kind).delete()
            _record_template(viewer, kind, was, None)
            return False
        ConversationTemplate.objects.update_or_create(
            kind=kind, defaults={"text": text, "updated_by": viewer.person}
        )
        _record_template(viewer, kind, was, text)
    return True


def reset_template(viewer: Viewer, kind: str) -> bool:
    """Back to our default prompts; returns whether there was a template of HR's."""
    if not manages_templates(viewer):
        raise PermissionDenied
    with transaction.atomic():
        was = _stored_template(kind)
        deleted, _rows = ConversationTemplate.objects.filter(kind=kind).delete()
        _record_template(viewer, kind, was, None, action="conversations.template_reset")
    return bool(deleted)


def _stored_template(kind: str) -> str | None:
    """HR's prompts for `kind` as stored, locked until the transaction ends (None: ours)."""
    found = ConversationTemplate.objects.select_for_update().filter(kind=kind)
    return found.values_list("text", flat=True).first()


def _record_template(
    viewer: Viewer,
    kind: str,
    was: str | None,
    now: str | None,
    action: str = "conversations.template_changed",
) -> None:
    """The audit log's entry for HR's prompts (None: our defaults), when they changed."""
    if was != now:
        audit.record(action, actor=viewer.person, changes={"kind": kind, "text": [was, now]})


# --- A manager's reminders from My team ---------------------------------------------------------

NUDGE_KINDS: dict[str, str] = {
    "prepare": Reminder.Kind.NUDGE_PREPARE,
    "goals": Reminder.Kind.NUDGE_GOALS,
    "nominate": Reminder.Kind.NUDGE_NOMINATE,
}


def nudge_key(kind: str, person: Person, now: datetime) -> str:
    """At most one reminder of a kind a day per person, in the person's own calendar."""
    return f"nudge:{kind}:{person.pk}:{person.local_today(now).isoformat()}"


def to_prepare(viewer: Viewer, person: Person, now: datetime) -> Conversation | None:
    """The pair's next rhythm conversation that the person has not prepared and that is due
    within `PREPARE_DAYS` or overdue, in their calendar: what "Remind to prepare" is about."""
    soon = person.local_today(now) + timedelta(days=PREPARE_DAYS)
    conversations = Conversation.objects.open().filter(
        manager=viewer.person,
        employee=person,
        kind__in=RHYTHM_KIND_VALUES,
        prepared_at__isnull=True,
        due_date__lte=soon,
    )
    return visible(viewer, conversations).order_by("due_date", "pk").first()


def nudge(viewer: Viewer, person: Person, kind: str, now: datetime | None = None) -> bool:
    """E-mail `person` a reminder from their manager: to prepare their next conversation, to
    update their goals needing attention, or to propose their 360 reviewers. At most once a
    day per kind (False: already sent today). `Refused` when there is nothing to remind of."""
    if kind not in NUDGE_KINDS:
        raise Refused.on("kind", gettext("There is no such reminder."))
    if not may_nudge(viewer, person):
        raise PermissionDenied
    now = now or timezone.now()
    conversation = None
    if kind == "prepare":
        conversation = to_prepare(viewer, person, now)
        if conversation is None:
            raise Refused.on(
                "kind", gettext("%(name)s has nothing to prepare now.") % {"name": person.name}
            )
    elif kind == "goals":
        stale_weeks = STALE_WEEKS.get()
        if not attention_by_owner(viewer, [person.pk], stale_weeks):
            raise Refused.on(
                "kind",
                gettext("None of %(name)s's goals needs attention.") % {"name": person.name},
            )
    else:
        status = review_status_of(viewer, [person.pk]).get(person.pk)
        if status is None or not status.not_nominated:
            raise Refused.on(
                "kind",
                gettext("%(name)s has no reviewers to propose now.") % {"name": person.name},
            )
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                key=nudge_key(kind, person, now),
                kind=NUDGE_KINDS[kind],
                recipient=person,
                conversation=conversation,
                created_at=now,
            )
            # In the same transaction, as the scheduled reminders (`reminders.claim`).
            send_reminder.enqueue(reminder.pk)
    except IntegrityError:
        return False  # reminded today already
    return True
