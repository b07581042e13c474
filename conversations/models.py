"""Conversations: the rhythm of check-ins, quarterly reviews and development conversations.

A conversation belongs to a pair, an employee and their manager. Rhythm conversations (the
three kinds with a frequency) are scheduled by `conversations.scheduling`; each pair has at
most one open conversation per kind, which stays open (and overdue once its date passes)
until it is held or skipped with a reason. One-on-ones can be added at any time.

What is said is kept in separate tables with different audiences:
- the agenda, shared notes and action items: both participants, no one else;
- `PrivateNote`: only its writer, ever. It is its own table so that no query for the shared
  record can include one by accident; nothing but `conversations.rules` reads it.
"""

from __future__ import annotations

import calendar
import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in")
    QUARTERLY = "quarterly", _("Quarterly review")
    DEVELOPMENT = "development", _("Development conversation")
    ONE_ON_ONE = "one_on_one", _("One-on-one")


# Each kind's name (lazy: translated when shown), as a conversation's `label` shows it.
KIND_LABELS = dict(Kind.choices)
RHYTHM_KINDS = (Kind.CHECK_IN, Kind.QUARTERLY, Kind.DEVELOPMENT)
# The same, as the plain strings that addresses, forms and rule tables use.
RHYTHM_KIND_VALUES = [str(kind) for kind in RHYTHM_KINDS]
# Months between two conversations when nobody has set another rhythm.
DEFAULT_INTERVAL: dict[str, int] = {Kind.CHECK_IN: 1, Kind.QUARTERLY: 3, Kind.DEVELOPMENT: 6}
# The due window: from this many days before the due date to this many days after it. A
# conversation held within it is on time; without a meeting time, it can be signed off as held
# from the day the window opens.
GRACE_DAYS: dict[str, int] = {
    Kind.CHECK_IN: 7,
    Kind.QUARTERLY: 14,
    Kind.DEVELOPMENT: 21,
    Kind.ONE_ON_ONE: 0,
}
# "Not prepared yet" (My team, a manager's reminder to prepare): the conversation is this many
# days away or fewer, or overdue, and the employee has not prepared.
PREPARE_DAYS = 7
# The length of the meeting in calendars, in minutes.
DURATION: dict[str, int] = {
    Kind.CHECK_IN: 30,
    Kind.QUARTERLY: 60,
    Kind.DEVELOPMENT: 60,
    Kind.ONE_ON_ONE: 30,
}
INTERVAL_CHOICES = [
    (0, _("never")),
    (1, _("every month")),
    (2, _("every two months")),
    (3, _("every quarter")),
    (4, _("every four months")),
    (6, _("every six months")),
    (12, _("every year")),
]


def interval_label(months: int) -> str:
    """ "every quarter" for 3; the number itself for an interval without a name."""
    return str(dict(INTERVAL_CHOICES).get(months, months))


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (31 Jan + 1 = 28 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# What a calendar shows of a conversation: a change to any of them is a new version of its
# event (`Conversation.sequence`).
TIMING_FIELDS = ("due_date", "starts_at", "status")


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def update(self, **kwargs: Any) -> int:
        """A bulk change of a time or status is a new version of each event, as `save` makes
        it for one conversation."""
        if "sequence" not in kwargs and any(name in kwargs for name in TIMING_FIELDS):
            kwargs["sequence"] = models.F("sequence") + 1
        return super().update(**kwargs)

    def rhythm(self) -> Self:
        return self.filter(kind__in=RHYTHM_KINDS)

    def open(self) -> Self:
        return self.filter(status=Status.SCHEDULED)

    def in_scope(self) -> Self:
        """Those of pairs inside the pilot scope (`organisation.scope`): a conversation with
        someone outside it is in nobody's list. All of them without a pilot."""
        from organisation import scope

        return self.filter(scope.everyone_in_scope_q("employee__", "manager__"))

    def of_pair(self, employee_id: int, manager_id: int) -> Self:
        return self.filter(employee_id=employee_id, manager_id=manager_id)


class Conversation(models.Model):
    employee = models.ForeignKey(
        PERSON,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="conversations_as_employee",
    )
    manager = models.ForeignKey(
        PERSON,
        verbose_name=_("manager"),
        on_delete=models.CASCADE,
        related_name="conversations_as_manager",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("topic"), max_length=200, blank=True)
    # The date the rhythm asks for (the employee's local calendar); for a one-on-one, its day.
    due_date = models.DateField(_("due"))
    # When the two meet, once they have agreed a time.
    starts_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # Held within the due window (`window_opens` to `window_end`)? Decided once, when it is
    # held, so that rhythm adherence over thousands of conversations is a plain count.
    held_in_window = models.BooleanField(null=True, editable=False)
    # The version of its calendar event (iCalendar's SEQUENCE): rises with every change of its
    # due date, meeting time or status, in `save` and `ConversationQuerySet.update`.
    sequence = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    skip_reason = models.TextField(_("reason"), blank=True)
    skipped_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The template's sections when HR had changed it, frozen at creation; None: our defaults,
    # shown in the reader's language.
    prompts = models.JSONField(null=True, blank=True)
    # The employee's preparation: [{"prompt": ..., "answer": ...}], shared with the manager.
    preparation = models.JSONField(default=list, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    employee_signed_at = models.DateTimeField(null=True, blank=True)
    manager_signed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["employee", "kind", "due_date"], name="conv_employee_idx"),
            models.Index(fields=["manager", "status", "due_date"], name="conv_manager_idx"),
            # Covers rhythm adherence: counting over a year of due dates reads only the index.
            models.Index(
                fields=["due_date", "kind", "status", "held_in_window", "manager", "employee"],
                name="conv_due_idx",
            ),
            # Open conversations past their window count as missed in rhythm health, which
            # otherwise reads tallies (`conversations.tally`): few rows, found directly.
            models.Index(
                fields=["due_date", "employee", "manager"],
                condition=Q(status="scheduled"),
                name="conv_open_due_idx",
            ),
        ]
        constraints = [
            # One open conversation per pair and rhythm kind: scheduling twice at once (two
            # `run_schedules`, or a page and the command) cannot create a second one.
            models.UniqueConstraint(
                fields=["employee", "manager", "kind"],
                condition=Q(status="scheduled") & ~Q(kind="one_on_one"),
                name="conv_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(employee=models.F("manager")), name="conv_two_people"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.employee_id} / {self.manager_id}"

    def get_absolute_url(self):
        return reverse("conversations:detail", args=[self.pk])

    @property
    def label(self) -> str:
        # The kind's name as get_kind_display() gives it, translating that one name only
        # (get_kind_display hashes every choice's, translating each: lists show dozens).
        return self.title or str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def is_rhythm(self) -> bool:
        return self.kind in RHYTHM_KINDS

    @property
    def is_open(self) -> bool:
        return self.status == Status.SCHEDULED

    @property
    def is_locked(self) -> bool:
        """Signed off by both: the record is closed; remarks may still be appended."""
        return self.employee_signed_at is not None and self.manager_signed_at is not None

    @property
    def window_opens(self) -> date:
        return self.due_date - timedelta(days=GRACE_DAYS[self.kind])

    @property
    def window_end(self) -> date:
        return self.due_date + timedelta(days=GRACE_DAYS[self.kind])

    @property
    def sign_off_from(self) -> datetime | date:
        """When the conversation can have taken place, so that it may be signed off: its
        meeting time, or without one the day its due window opens (the employee's calendar)."""
        return self.starts_at if self.starts_at is not None else self.window_opens

    def has_taken_place(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.starts_at is not None:
            return now >= self.starts_at
        return self.employee.local_today(now) >= self.window_opens

    def held_date(self, signed_at: datetime) -> date:
        """The day it was held: the meeting's (the employee's calendar, as due dates are), or
        without a meeting time the day the manager signed off."""
        return self.employee.local_today(self.starts_at or signed_at)

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or self.employee.local_today()
        return self.is_open and self.due_date < today

    @property
    def held_on_time(self) -> bool | None:
        if self.status != Status.HELD or self.held_on is None:
            return None
        return self.window_opens <= self.held_on <= self.window_end

    def mark_held(self, on: date) -> None:
        self.status = Status.HELD
        self.held_on = on
        self.held_in_window = self.window_opens <= on <= self.window_end

    def remember_timing(self, fields=TIMING_FIELDS) -> None:
        """What the calendar shows, as just read from the database: `save` compares with it."""
        loaded = dict(getattr(self, "_loaded_timing", {}))
        for name in TIMING_FIELDS:
            if name in fields and name in self.__dict__:
                loaded[name] = self.__dict__[name]
        self._loaded_timing = loaded

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_timing()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self.remember_timing(TIMING_FIELDS if fields is None else fields)

    def save(self, *args: Any, **kwargs: Any) -> None:
        held_on = self.held_on if self.status == Status.HELD else None
        self.held_in_window = (
            self.window_opens <= held_on <= self.window_end if held_on is not None else None
        )
        update_fields = kwargs.get("update_fields")
        loaded = getattr(self, "_loaded_timing", {})
        # A time or status saved that differs from the one loaded (or was not loaded).
        changed = not self._state.adding and any(
            name in self.__dict__
            and (name not in loaded or loaded[name] != self.__dict__[name])
            and (update_fields is None or name in update_fields)
            for name in TIMING_FIELDS
        )
        if changed:
            # Counted in the database: two changes at once are two versions.
            self.sequence = models.F("sequence") + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        if changed:
            del self.sequence  # read again from the database when next asked for
        self.remember_timing(TIMING_FIELDS if update_fields is None else update_fields)

    def participant_ids(self) -> tuple[int, int]:
        return (self.employee_id, self.manager_id)

    def other_id(self, person_id: int) -> int:
        return self.manager_id if person_id == self.employee_id else self.employee_id

    def partner_of(self, person_id: int) -> Any:
        """The other participant (a Person) for one of the two."""
        return self.manager if person_id == self.employee_id else self.employee

    def signed_by(self, person_id: int) -> bool:
        if person_id == self.employee_id:
            return self.employee_signed_at is not None
        if person_id == self.manager_id:
            return self.manager_signed_at is not None
        return False


class AgendaItem(models.Model):
    """A talking point either participant adds before or during the conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="agenda_items"
    )
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("talking point"), max_length=500)
    discussed = models.BooleanField(_("discussed"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("talking point")
        verbose_name_plural = _("talking points")

    def __str__(self):
        return self.text


class Note(models.Model):
    """A shared note: both participants read it. After sign-off, new ones are remarks."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"), max_length=5000)
    # Written after both signed off: appended to the closed record, dated and attributed.
    is_remark = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("shared note")
        verbose_name_plural = _("shared notes")

    def __str__(self):
        return self.text[:60]


class PrivateNote(models.Model):
    """A note only its writer ever sees: not the other participant, their managers, HR,
    administrators, exports or the API. Read only through `conversations.rules`."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        indexes = [models.Index(fields=["author", "conversation"], name="private_note_author_idx")]

    def __str__(self):
        return f"private note {self.pk}"


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> Self:
        return self.filter(done_at__isnull=True)

    def of_pair(self, employee_id: int, manager_id: int) -> Self:
        return self.filter(employee_id=employee_id, manager_id=manager_id)


class ActionItem(models.Model):
    """Something one of the two will do. Open items carry over to every later conversation of
    the same pair until done."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="action_items"
    )
    # The pair, copied from the conversation, so carried-over items are one indexed query.
    employee = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        PERSON, verbose_name=_("who"), on_delete=models.CASCADE, related_name="action_items"
    )
    text = models.CharField(_("action"), max_length=500)
    due_date = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["employee", "manager", "done_at"], name="action_pair_idx"),
            models.Index(fields=["owner", "done_at", "due_date"], name="action_owner_idx"),
        ]

    def __str__(self):
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.conversation_id and not (self.employee_id and self.manager_id):
            self.employee_id = self.conversation.employee_id
            self.manager_id = self.conversation.manager_id
        super().save(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class RhythmRule(models.Model):
    """How often a pair meets for one kind of conversation.

    The organisation's default has neither team nor employee; a team's applies to its members
    and the teams below it (the nearest team wins); an employee's is for that pair. Without
    any rule, `DEFAULT_INTERVAL` applies.
    """

    kind = models.CharField(
        _("kind"), max_length=12, choices=[(k.value, k.label) for k in RHYTHM_KINDS]
    )
    interval_months = models.PositiveSmallIntegerField(
        _("how often"), choices=INTERVAL_CHOICES, default=1
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    employee = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    updated_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rhythm")
        verbose_name_plural = _("rhythms")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(team__isnull=True, employee__isnull=True),
                name="rhythm_one_default",
            ),
            models.UniqueConstraint(
                fields=["kind", "team"], condition=Q(team__isnull=False), name="rhythm_one_team"
            ),
            models.UniqueConstraint(
                fields=["kind", "employee"],
                condition=Q(employee__isnull=False),
                name="rhythm_one_pair",
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(employee__isnull=True),
                name="rhythm_team_or_pair",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.interval_months}"


class ConversationTemplate(models.Model):
    """HR's version of a kind's prompts (see `conversations.prompts` for the format and our
    defaults). Without a row, the defaults apply, in the reader's language."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, unique=True)
    text = models.TextField(_("prompts"), max_length=5000)
    updated_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation template")
        verbose_name_plural = _("conversation templates")

    def __str__(self):
        return self.get_kind_display()


class CalendarFeed(models.Model):
    """A person's private calendar address. Only a digest of its token is kept: the address is
    shown once; resetting it makes the old one stop working."""

    PREFIX = "cal_"

    person = models.OneToOneField(PERSON, on_delete=models.CASCADE, related_name="calendar_feed")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The version last served (a digest of its content) and since when it is served: the
    # feed's ETag and Last-Modified, so that a calendar asking again gets "304 Not Modified".
    etag = models.CharField(max_length=64, blank=True, default="", db_default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar feed of {self.person_id}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, person) -> tuple[CalendarFeed, str]:
        """A new address for the person, replacing any earlier one; returns the token."""
        token = cls.PREFIX + secrets.token_urlsafe(24)
        feed, _created = cls.objects.update_or_create(
            person=person,
            defaults={"digest": cls.digest_of(token), "created_at": timezone.now()},
        )
        return feed, token


class Reminder(models.Model):
    """A reminder that has been sent (or is being sent). The unique key makes each reminder
    go out at most once, however often and however concurrently `run_schedules` runs."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming conversation")
        OVERDUE = "overdue", _("Overdue conversation")
        ACTION_DUE = "action_due", _("Action item due")
        # Sent by a manager from My team (`conversations.services.nudge`), once a day at most.
        NUDGE_PREPARE = "nudge_prepare", _("Reminder to prepare, from the manager")
        NUDGE_GOALS = "nudge_goals", _("Reminder to update goals, from the manager")
        NUDGE_NOMINATE = "nudge_nominate", _("Reminder to propose 360 reviewers, from the manager")

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action_item = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return self.key


class RhythmTally(models.Model):
    """Held and skipped rhythm conversations of one bucket: the employee's team and line
    manager of today, the conversation's manager and the month it was due. Kept by database
    triggers (`conversations.tally`), read by rhythm health; 0 stands for no team or no line
    manager. Plain numbers, not foreign keys: the triggers, not Django, keep them."""

    team_id = models.BigIntegerField()
    line_manager_id = models.BigIntegerField()
    manager_id = models.BigIntegerField()
    month = models.DateField()
    held = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rhythm tally")
        verbose_name_plural = _("rhythm tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["team_id", "line_manager_id", "manager_id", "month"],
                name="rhythm_tally_key",
            ),
        ]
        indexes = [models.Index(fields=["month", "team_id"], name="rhythm_tally_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} team {self.team_id} manager {self.manager_id}"


class RhythmHealthSnapshot(models.Model):
    """Rhythm health's figures as one viewer was shown them for one team and day
    (`conversations.health`): counts and managers' names, never what was said. Kept in the
    database so that every app process and the background worker share them: a request reads
    them back, and a refresh runs in the background when they are older than
    `ADHERENCE_CACHE_SECONDS`. Removed after two days (`run_jobs`) and whenever someone's
    data is erased (their name may be in it)."""

    key = models.CharField(max_length=200, unique=True)
    counted_at = models.DateTimeField()
    # {"overall": [on time, counted], "teams": [[id, name, path, on time, counted, directly]]}:
    # what the page shows, as plain values; the managers in `RhythmHealthManagers`.
    figures = models.JSONField()
    managers_count = models.PositiveIntegerField(default=0)
    # When a request last asked the worker for a fresher count (one asks, the others wait).
    refresh_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rhythm health snapshot")
        verbose_name_plural = _("rhythm health snapshots")
        indexes = [models.Index(fields=["counted_at"], name="rhythm_snapshot_counted_idx")]

    def __str__(self) -> str:
        return self.key


class RhythmHealthManagers(models.Model):
    """A snapshot's managers, by name, in chunks of `conversations.health.CHUNK`: a page of
    rhythm health reads the one chunk it shows, not thousands of managers."""

    snapshot = models.ForeignKey(
        RhythmHealthSnapshot, on_delete=models.CASCADE, related_name="manager_chunks"
    )
    chunk = models.PositiveIntegerField()
    rows = models.JSONField()  # [[id, name, on time, counted]]

    class Meta:
        verbose_name = _("rhythm health managers")
        verbose_name_plural = _("rhythm health managers")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "chunk"], name="rhythm_snapshot_chunk")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}:{self.chunk}"
