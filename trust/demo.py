"""The demo organisation's audit log: the history of changes made with authority that the rest of
the demo implies, in one chain that `manage.py verify_audit` accepts.

The first HR role is granted on the server and the others by the administrator; the people who
worked here when the history starts arrive with a CSV import (one entry for the file, one per
person); later hires are added by HR one by one, some people are promoted or move to another
manager, leavers get their leave date a few weeks ahead; the 360 cycles are created and moved on,
reports released, the team rhythms and two settings changed. Every entry ends where the data
stands today (a person moved to another manager was imported with the one before).

The entries are made in memory, sorted by time, chained in Python and written in batches
(`trust.audit.append`): no save per entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from access.models import HRRole
from conversations.models import RhythmRule
from feedback.models import (
    MIN_ANONYMITY_THRESHOLD,
    CycleStatus,
    FeedbackSettings,
    ReviewCycle,
    ReviewParticipant,
)
from feedback.services_cycles import audited as cycle_state
from goals.models import GoalSettings
from growth.models import FrameworkVersion
from people import audit as person_audit
from people.demo import HQ, DemoOrg, flush_step, history_builder
from people.models import Person
from trust import audit
from trust.actions import ORGANISATION
from trust.models import AuditEntry, AuditHead

PROMOTED = 0.06  # of today's people, promoted once during the history
MOVED = 0.04  # of today's people, moved to their manager of today from another one
ZONE = ZoneInfo(HQ)


@flush_step
def flush_audit_log() -> None:
    """The demo's people go, and their ids are given out again: the log about them goes too
    (in SQL: through the ORM an entry is never deleted)."""
    with connection.cursor() as cursor:
        for model in (AuditEntry, AuditHead):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


@history_builder
def audit_history(org: DemoOrg) -> None:
    history = _History(org)
    history.roles()
    history.people()
    history.cycles()
    history.settings()
    entries = sorted(history.entries, key=lambda entry: entry.at)
    audit.append(entries, batch=2000)
    org.counts["audit entries"] = len(entries)


@dataclass
class _History:
    org: DemoOrg
    entries: list[AuditEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = self.org.random("trust:audit")
        self.start = self.org.history_start
        self.hr_team = [
            r.person_id for r in HRRole.objects.filter(scope__isnull=True).order_by("pk")
        ]

    def at(self, day: date, *, hour: int | None = None) -> datetime:
        """A working hour of `day` at head office, never after now."""
        moment = datetime.combine(
            day, time(hour or self.rng.randint(9, 17), self.rng.randint(0, 59)), ZONE
        )
        return min(moment, datetime.now(ZONE) - timedelta(minutes=5))

    def hr(self) -> int:
        """Mostly hr@; now and then another of organisation-wide HR."""
        if self.rng.random() < 0.75 or not self.hr_team:
            return self.org.hr.pk
        return self.rng.choice(self.hr_team)

    def add(self, action: str, when: datetime, **fields: Any) -> None:
        self.entries.append(audit.new_entry(action, at=when, **fields))

    def roles(self) -> None:
        """hr@ on the server the day before the import, everyone else's by admin@ after it."""
        first = self.start - timedelta(days=1)
        for number, role in enumerate(HRRole.objects.order_by("pk")):
            is_first = role.person_id == self.org.hr.pk
            self.add(
                "hr_role.granted",
                self.at(first if is_first else self.start + timedelta(days=2 + number * 9)),
                actor=None if is_first else self.org.admin.pk,
                subject=role.person_id,
                changes={
                    "scope": [None, role.scope_id or ORGANISATION],
                    "can_manage_people": [None, role.can_manage_people],
                },
            )

    def people(self) -> None:
        roles = {role.pk: role for role in self.org.roles.values()}
        states: dict[int, dict[str, Any]] = {}
        for person in self.org.people:
            if person.role_id:
                person.role = roles[person.role_id]
            states[person.pk] = {"email": person.email, **person_audit.state(person)}
            states[person.pk]["leave_date"] = None
        # Moves and promotions come at least two months after someone started.
        settled = self.org.today - timedelta(days=120)
        current = [p for p in self.org.current if p.start_date and p.start_date < settled]
        # Added by HR ten days before they start, when that is after the import.
        starts = {p.pk: p.start_date for p in self.org.people if p.start_date}
        hired_after = self.start + timedelta(days=10)
        later = [p for p in self.org.people if starts.get(p.pk, self.start) > hired_after]
        for person in self.rng.sample(current, round(len(current) * MOVED)):
            self.moved(person, states)
        for person in self.rng.sample(current, round(len(current) * PROMOTED)):
            self.promoted(person, states)
        hired = {p.pk for p in later}
        imported = [
            p
            for p in self.org.people
            if p.pk not in hired and (p.leave_date is None or p.leave_date > self.start)
        ]
        self.imported(imported, states)
        for person in later:
            when = self.at(starts[person.pk] - timedelta(days=10))
            self.add_person("person.added", when, person, states, actor=self.hr())
        for person in self.org.leavers:
            if person.leave_date and person.leave_date > self.start + timedelta(days=21):
                when = self.at(person.leave_date - timedelta(days=21))
                self.add(
                    "person.left",
                    when,
                    actor=self.hr(),
                    subject=person.pk,
                    target=f"people.person:{person.pk}",
                    changes={"leave_date": [None, person.leave_date]},
                )

    def since_start(self, person: Person) -> date:
        """A day after both the history's start and the person's own."""
        first = max(
            self.start + timedelta(days=30), (person.start_date or self.start) + timedelta(days=60)
        )
        last = self.org.today - timedelta(days=7)
        if first >= last:
            return last
        return first + timedelta(days=self.rng.randrange((last - first).days))

    def moved(self, person: Person, states: dict[int, dict[str, Any]]) -> None:
        if person.manager_id is None:
            return
        others = [m.pk for m in self.org.managers if m.pk not in (person.pk, person.manager_id)]
        if not others:
            return
        before = self.rng.choice(others)
        states[person.pk]["manager"] = before  # as they were imported or added
        self.person_changed(person, {"manager": [before, person.manager_id]})

    def promoted(self, person: Person, states: dict[int, dict[str, Any]]) -> None:
        if not person.level:
            return
        states[person.pk]["level"] = person.level - 1  # as they were imported or added
        self.person_changed(person, {"level": [person.level - 1, person.level]})

    def person_changed(self, person: Person, changes: dict[str, list[Any]]) -> None:
        self.add(
            "person.changed",
            self.at(self.since_start(person)),
            actor=self.hr(),
            subject=person.pk,
            target=f"people.person:{person.pk}",
            changes=changes,
        )

    def imported(self, people: list[Person], states: dict[int, dict[str, Any]]) -> None:
        when = self.at(self.start, hour=10)
        self.add(
            "people.imported",
            when,
            actor=self.org.hr.pk,
            changes={
                "file": f"people-{self.start.isoformat()}.csv",
                "created": len(people),
                "updated": 0,
                "unchanged": 0,
                "new_teams": len(self.org.teams),
                "new_roles": len(self.org.roles),
            },
        )
        for person in people:
            self.add_person("person.added", when, person, states, actor=self.org.hr.pk)

    def add_person(
        self,
        action: str,
        when: datetime,
        person: Person,
        states: dict[int, dict[str, Any]],
        *,
        actor: int,
    ) -> None:
        self.add(
            action,
            when,
            actor=actor,
            subject=person.pk,
            target=f"people.person:{person.pk}",
            changes=audit.added(states[person.pk]),
        )

    def cycles(self) -> None:
        """Each 360 cycle created, moved on as far as it is, its reports released."""
        steps = [CycleStatus.NOMINATING, CycleStatus.REVIEWING, CycleStatus.CLOSED]
        for cycle in ReviewCycle.objects.order_by("pk"):
            created = max(cycle.created_at, self.at(self.start))
            self.add(
                "feedback.cycle_created",
                created,
                actor=cycle.created_by_id,
                target=cycle,
                changes=audit.added(cycle_state(cycle)),
            )
            days = {
                CycleStatus.NOMINATING: cycle.nominations_due - timedelta(days=14),
                CycleStatus.REVIEWING: cycle.nominations_due + timedelta(days=1),
                CycleStatus.CLOSED: cycle.answers_due + timedelta(days=2),
            }
            was = CycleStatus.DRAFT
            reached = (
                steps[: steps.index(CycleStatus(cycle.status)) + 1] if cycle.status in steps else []
            )
            for step in reached:
                when = max(self.at(days[step]), created + timedelta(hours=1))
                self.add(
                    "feedback.cycle_moved",
                    when,
                    actor=cycle.created_by_id,
                    target=cycle,
                    changes={"status": [str(was), str(step)]},
                )
                was = step
        released = ReviewParticipant.objects.filter(released_at__isnull=False).order_by("pk")
        for participant in released:
            assert participant.released_at is not None
            self.add(
                "feedback.report_released",
                participant.released_at,
                actor=participant.released_by_id,
                subject=participant.person_id,
                target=participant,
            )

    def settings(self) -> None:
        """The rhythms set for teams and pairs, and the settings as they are today."""
        rules = RhythmRule.objects.exclude(team__isnull=True, employee__isnull=True)
        for rule in rules.order_by("pk"):
            when = self.at(self.start + timedelta(days=self.rng.randint(30, 120)))
            self.add(
                "conversations.rhythm_changed",
                when,
                actor=rule.updated_by_id,
                subject=rule.employee_id,
                target=f"people.team:{rule.team_id}" if rule.team_id else "",
                changes={rule.kind: [None, rule.interval_months]},
            )
        weeks = GoalSettings.load().stale_after_weeks
        self.add(
            "goals.settings_changed",
            self.at(self.start + timedelta(days=20)),
            actor=self.org.hr.pk,
            changes={"stale_after_weeks": [weeks + 1, weeks]},
        )
        for version in FrameworkVersion.objects.order_by("number"):  # growth/demo.py
            self.add(
                "growth.framework_published",
                version.published_at,
                actor=version.published_by_id,
                target=version,
                changes={
                    "version": [version.number - 1 or None, version.number],
                    "note": version.note,
                    "competencies": version.competencies.count(),
                    "tracks": version.tracks.count(),
                },
            )
        threshold = FeedbackSettings.load().anonymity_threshold
        if threshold > MIN_ANONYMITY_THRESHOLD:
            self.add(
                "feedback.settings_changed",
                self.at(self.start + timedelta(days=40)),
                actor=self.org.hr.pk,
                changes={"anonymity_threshold": [MIN_ANONYMITY_THRESHOLD, threshold]},
            )


# The access log's history, a builder of its own beside this one.
from trust import demo_access_log  # noqa: E402, F401
