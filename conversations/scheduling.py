"""The rhythm: how often each pair meets, when the next conversation is due, and the steps
that move a conversation along (hold and sign off, skip with a reason).

Scheduling is deterministic and idempotent: for each current employee with a manager and each
rhythm kind that is on, there is exactly one open conversation. When there is none, the next
is due `interval` months after the last one held (its held date) or skipped (its due date), or,
for a new pair, `interval` months after today in the employee's local calendar. Running it
again changes nothing; running it twice at once cannot create a second open conversation (a
partial unique constraint holds the line, and conflicting inserts are ignored).

During a pilot (`organisation.scope`) only pairs inside the scope, employee and manager, are
scheduled; the open rhythm conversations of a pair outside it are cancelled, as those of a pair
that ended. A pair's rhythm starts the day it joined the scope: what was held or skipped before
does not set the next due date, so that widening the pilot, or moving someone into a team
that has been in it for a while (`organisation.models.PilotArrival`), schedules the newcomers
from that day instead of finding them overdue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from cadence import events
from cadence.kept import Kept
from conversations.models import (
    DEFAULT_INTERVAL,
    RHYTHM_KINDS,
    Conversation,
    RhythmRule,
    Status,
    add_months,
)
from conversations.prompts import frozen_prompts
from organisation import scope
from people.models import Person, current_q, ids_in

BATCH = 2000


# --- How often --------------------------------------------------------------------------------


@dataclass
class Rules:
    """Every rhythm rule, loaded once (the table is small: a few rows per team at most)."""

    default: dict[str, int]  # kind -> months
    by_team: dict[int, dict[str, int]]  # team id -> {kind: months}
    by_employee: dict[int, dict[str, int]]  # employee id -> {kind: months}

    @classmethod
    def load(cls) -> Rules:
        default = {str(kind): months for kind, months in DEFAULT_INTERVAL.items()}
        by_team: defaultdict[int, dict[str, int]] = defaultdict(dict)
        by_employee: defaultdict[int, dict[str, int]] = defaultdict(dict)
        for rule in RhythmRule.objects.all():
            if rule.employee_id:
                by_employee[rule.employee_id][rule.kind] = rule.interval_months
            elif rule.team_id:
                by_team[rule.team_id][rule.kind] = rule.interval_months
            else:
                default[rule.kind] = rule.interval_months
        return cls(default, dict(by_team), dict(by_employee))

    def interval(self, employee: Person, kind: str, team_path: str | None = None) -> int:
        return self.explain(employee, kind, team_path)[0]

    def explain(
        self, employee: Person, kind: str, team_path: str | None = None
    ) -> tuple[int, int | str]:
        """(months, source): source is "pair", a team id, or "organisation"."""
        own = self.by_employee.get(employee.pk, {})
        if kind in own:
            return own[kind], "pair"
        if team_path is None and employee.team is not None:
            team_path = employee.team.path
        for team_id in reversed(ids_in(team_path or "/")):
            rules = self.by_team.get(team_id)
            if rules and kind in rules:
                return rules[kind], team_id
        return self.default[str(kind)], "organisation"


# The rules as pages read them (My team, the conversations list), kept in each process as the
# organisation's settings are (`cadence.kept`): forgotten on every save or delete of a rule in
# this process, seen by the others within `ORGANISATION_SETTINGS_SECONDS`. Scheduling and the
# rhythm settings read them afresh (`Rules.load`).
KEPT_RULES: Kept[Rules] = Kept(Rules.load, changed_by=(RhythmRule,))


# --- Scheduling -------------------------------------------------------------------------------


def _employees(employee_ids: Iterable[int] | None) -> QuerySet[Person]:
    """The employees to schedule: working here with a manager, both inside the pilot scope."""
    people = Person.objects.filter(current_q(), manager__isnull=False, is_active=True)
    people = people.filter(scope.in_scope_q(), scope.in_scope_q("manager__"))
    if employee_ids is not None:
        people = people.filter(pk__in=list(employee_ids))
    return people.select_related("team", "manager__team").only(
        "pk", "manager_id", "time_zone", "team__path", "leave_date", "manager__team__path"
    )


def next_due(
    last_held: date | None, last_skipped_due: date | None, months: int, today: date
) -> date:
    """When the next conversation is due, from the last one held or skipped."""
    candidates = []
    if last_held:
        candidates.append(add_months(last_held, months))
    if last_skipped_due:
        candidates.append(add_months(last_skipped_due, months))
    return max(candidates) if candidates else add_months(today, months)


def since_joined(day: date | None, joined: date | None) -> date | None:
    """A held or skipped day that counts for the rhythm of a pair that joined the pilot scope
    on `joined` (None: always in it): only from that day on."""
    if day is None or joined is None or day >= joined:
        return day
    return None


def _pair_joined(
    employee: Person,
    team_path: str,
    pilot_since: dict[str, date],
    arrived: dict[int, date],
    joined: date | None,
) -> date | None:
    """The day a pair joined the pilot scope (None: always in it): the later of the days
    each of the two did, by their team joining the pilot or by moving into it
    (`scope.arrivals`), or `joined`, when that is today's news."""
    manager = employee.manager
    manager_path = manager.team.path if manager is not None and manager.team else None
    days = (
        scope.joined_on(team_path, pilot_since),
        scope.joined_on(manager_path, pilot_since),
        arrived.get(employee.pk),
        arrived.get(employee.manager_id) if employee.manager_id else None,
        joined,
    )
    return max((day for day in days if day is not None), default=None)


def schedule(
    employee_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    *,
    joined: date | None = None,
) -> dict[str, int]:
    """Bring the open conversations in line with the rhythm, for some employees or everyone;
    `joined`: the day these employees' pairs joined the pilot scope, when that is today's news
    (`follow_scope`).

    Returns counts: {"created": n, "cancelled": n}. Safe to run at any time, any number of
    times, concurrently.
    """
    now = now or timezone.now()
    rules = Rules.load()
    pilot_since = scope.since_by_path()
    created = cancelled = 0
    pairs_now: dict[int, int | None] = {}
    cancel_ids: list[int] = []
    # Open rhythm conversations of pairs that no longer exist (a new manager, someone left)
    # or whose rhythm was turned off are cancelled: nothing stays due for nobody.
    open_rhythm = Conversation.objects.rhythm().open()
    if employee_ids is not None:
        employee_ids = list(employee_ids)
        open_rhythm = open_rhythm.filter(employee_id__in=employee_ids)
    people = _employees(employee_ids)
    for start in range(0, 10**9, BATCH):
        batch = list(people.order_by("pk")[start : start + BATCH])
        if not batch:
            break
        ids = [p.pk for p in batch]
        for person in batch:
            pairs_now[person.pk] = person.manager_id
        arrived = scope.arrivals({*ids, *(p.manager_id for p in batch if p.manager_id)})
        history = (
            Conversation.objects.rhythm()
            .filter(employee_id__in=ids, status__in=[Status.HELD, Status.SKIPPED, Status.SCHEDULED])
            .values("employee_id", "manager_id", "kind")
            .annotate(
                held=Max("held_on", filter=Q(status=Status.HELD)),
                skipped=Max("due_date", filter=Q(status=Status.SKIPPED)),
                open=Max("due_date", filter=Q(status=Status.SCHEDULED)),
            )
        )
        last: dict[tuple[int, int | None, str], Mapping[str, Any]] = {
            (h["employee_id"], h["manager_id"], h["kind"]): h for h in history
        }
        new = []
        for person in batch:
            if person.manager_id is None:  # never: _employees() has a manager for everyone
                continue
            today = person.local_today(now)
            team_path = person.team.path if person.team is not None else "/"
            begins = _pair_joined(person, team_path, pilot_since, arrived, joined)
            for kind in RHYTHM_KINDS:
                months = rules.interval(person, kind, team_path)
                row = last.get((person.pk, person.manager_id, str(kind)), {})
                if months == 0 or row.get("open"):
                    continue
                held = since_joined(row.get("held"), begins)
                skipped = since_joined(row.get("skipped"), begins)
                new.append(
                    Conversation(
                        employee_id=person.pk,
                        manager_id=person.manager_id,
                        kind=kind,
                        due_date=next_due(held, skipped, months, today),
                        created_at=now,
                    )
                )
        if new:
            prompts: dict[str, list[dict[str, Any]] | None] = {
                kind: frozen_prompts(kind) for kind in RHYTHM_KINDS
            }
            for conversation in new:
                conversation.prompts = prompts[conversation.kind]
            Conversation.objects.bulk_create(new, ignore_conflicts=True)
            # What this run inserted (a concurrent run's rows carry its own timestamp).
            created += Conversation.objects.filter(
                employee_id__in=ids, created_at=now, status=Status.SCHEDULED
            ).count()
    for conversation in open_rhythm.only("pk", "employee_id", "manager_id", "kind").iterator():
        manager_id = pairs_now.get(conversation.employee_id)
        if manager_id != conversation.manager_id:
            cancel_ids.append(conversation.pk)
    if cancel_ids:
        cancelled += Conversation.objects.filter(pk__in=cancel_ids, status=Status.SCHEDULED).update(
            status=Status.CANCELLED
        )
    cancelled += _cancel_turned_off(rules, employee_ids)
    return {"created": created, "cancelled": cancelled}


def follow_scope(
    before: set[int], after: set[int], joined: date, now: datetime | None = None
) -> dict[str, int]:
    """After the pilot scope changed (`organisation.services.save_pilot`; `before` and `after`
    are the people inside it): the pairs that left it have their open rhythm conversations
    cancelled, and those that joined it are scheduled from `joined`, their first day in it."""
    pairs = Person.objects.filter(current_q(), manager__isnull=False).values_list(
        "pk", "manager_id"
    )
    changed = [
        pk
        for pk, manager_id in pairs.iterator()
        if (pk in before and manager_id in before) != (pk in after and manager_id in after)
    ]
    if not changed:
        return {"created": 0, "cancelled": 0}
    return schedule(changed, now=now, joined=joined)


def _cancel_turned_off(rules: Rules, employee_ids: list[int] | None) -> int:
    """Open conversations of a kind the pair's rhythm no longer has."""
    candidates = Conversation.objects.rhythm().open().select_related("employee__team")
    if employee_ids is not None:
        candidates = candidates.filter(employee_id__in=employee_ids)
    has_zero = (
        0 in rules.default.values()
        or any(0 in r.values() for r in rules.by_team.values())
        or any(0 in r.values() for r in rules.by_employee.values())
    )
    if not has_zero:
        return 0
    ids = [c.pk for c in candidates.iterator() if rules.interval(c.employee, c.kind) == 0]
    if not ids:
        return 0
    return Conversation.objects.filter(pk__in=ids, status=Status.SCHEDULED).update(
        status=Status.CANCELLED
    )


def follow_rules(
    employee_ids: list[int] | None, employees: Q, kinds: list[str], now: datetime | None = None
) -> None:
    """After rules changed: schedule (a kind turned on gets its conversation, one turned off
    is cancelled), then move the open conversations of the changed kinds to the date the new
    rhythm gives, from the pair's last held or skipped one (or from when it was planned).
    Conversations with an agreed meeting time keep it: the two have settled on a date."""
    now = now or timezone.now()
    schedule(employee_ids, now=now)
    if not kinds:
        return
    rules = Rules.load()
    candidates = (
        Conversation.objects.open()
        .filter(employees, kind__in=kinds, starts_at__isnull=True)
        .select_related("employee__team")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        history = (
            Conversation.objects.filter(
                employee_id__in={c.employee_id for c in batch},
                kind__in=kinds,
                status__in=[Status.HELD, Status.SKIPPED],
            )
            .order_by()
            .values("employee_id", "manager_id", "kind")
            .annotate(
                held=Max("held_on", filter=Q(status=Status.HELD)),
                skipped=Max("due_date", filter=Q(status=Status.SKIPPED)),
            )
        )
        last: dict[tuple[int, int | None, str], Mapping[str, Any]] = {
            (h["employee_id"], h["manager_id"], h["kind"]): h for h in history
        }
        moves = defaultdict(list)
        for conversation in batch:
            employee = conversation.employee
            months = rules.interval(employee, conversation.kind)
            if months == 0:
                continue
            row = last.get((employee.pk, conversation.manager_id, conversation.kind), {})
            planned = employee.local_today(conversation.created_at)
            due = next_due(row.get("held"), row.get("skipped"), months, planned)
            if due != conversation.due_date:
                moves[due].append(conversation.pk)
        for due, pks in moves.items():
            Conversation.objects.filter(
                pk__in=pks, status=Status.SCHEDULED, starts_at__isnull=True
            ).update(due_date=due)


def create_one_on_one(
    employee: Person,
    manager: Person,
    by: Person,
    day: date,
    title: str = "",
    starts_at: datetime | None = None,
) -> Conversation:
    from conversations.models import Kind

    return Conversation.objects.create(
        employee=employee,
        manager=manager,
        kind=Kind.ONE_ON_ONE,
        title=title,
        due_date=day,
        starts_at=starts_at,
        created_by=by,
        prompts=frozen_prompts(Kind.ONE_ON_ONE),
    )


# --- Moving a conversation along ----------------------------------------------------------------


class Locked(Exception):
    """The conversation is signed off by both: it cannot be changed any more."""


class TooEarly(Exception):
    """The conversation cannot have taken place yet: nobody signs it off before its meeting
    time or, without one, before its due window opens (`Conversation.sign_off_from`)."""

    def __init__(self, conversation: Conversation):
        super().__init__(conversation.sign_off_from)
        self.conversation = conversation

    def message(self) -> str:
        """Why, and from when it can be signed off (in the current time zone and language)."""
        conversation = self.conversation
        if conversation.starts_at is not None:
            when = timezone.localtime(conversation.starts_at)
            return gettext(
                "Sign off once you have met: from %(date)s at %(time)s, the meeting time."
            ) % {"date": date_format(when, "DATE_FORMAT"), "time": date_format(when, "TIME_FORMAT")}
        return gettext(
            "Sign off once you have met: from %(date)s, when its due window opens. If you have "
            "met already, set the meeting time first."
        ) % {"date": date_format(conversation.window_opens, "DATE_FORMAT")}


def sign_off(
    conversation: Conversation, person: Person, now: datetime | None = None
) -> Conversation:
    """One participant signs off, once the conversation can have taken place.

    The employee's sign-off records their agreement with the record; the manager's marks the
    conversation held, on the meeting's date or without a meeting time the day they sign (the
    employee's calendar). When both have signed, the record is closed. Once it is held, the
    pair's next conversation of this kind is scheduled."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("employee")
            .get(pk=conversation.pk)
        )
        if current.status in (Status.SKIPPED, Status.CANCELLED):
            raise Locked
        if person.pk not in current.participant_ids():
            raise PermissionError("only the two participants sign off")
        if not current.has_taken_place(now):
            raise TooEarly(current)
        if person.pk == current.employee_id:
            current.employee_signed_at = current.employee_signed_at or now
        else:
            current.manager_signed_at = current.manager_signed_at or now
        if current.status == Status.SCHEDULED and current.manager_signed_at is not None:
            current.mark_held(current.held_date(current.manager_signed_at))
            events.emit(events.CONVERSATION_HELD, current.pk)
        current.save(
            update_fields=[
                "employee_signed_at",
                "manager_signed_at",
                "status",
                "held_on",
                "held_in_window",
            ]
        )
    if current.is_rhythm and current.status == Status.HELD:
        schedule([current.employee_id], now=now)
    return current


def skip(
    conversation: Conversation, person: Person, reason: str, now: datetime | None = None
) -> Conversation:
    """Skip an open conversation, with a reason; the next one is due from this one's date."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if current.status != Status.SCHEDULED:
            raise Locked
        current.status = Status.SKIPPED
        current.skip_reason = reason
        current.skipped_by = person
        current.save(update_fields=["status", "skip_reason", "skipped_by"])
    if current.is_rhythm:
        schedule([current.employee_id], now=now)
    return current
