"""Conversations for the demo organisation: years of check-ins, quarterly reviews and
development conversations between every manager and employee.

Every pair (a person and their manager, for as long as both worked here) follows the rhythm:
a check-in every month, a quarterly review every quarter and a development conversation every
six months, as the demo's few team rhythms (`RhythmRule`) say. Each next conversation is due
from the last one held (or skipped), exactly as `conversations.scheduling.next_due` computes it,
so running `schedule()` after the demo creates nothing: every current pair ends with one open
conversation per rhythm kind, due in the future or overdue. Leavers' last open ones were
cancelled when they left.

Managers differ: some keep the rhythm (about nine in ten on time), some are mixed, some drift
(about half on time, late ones, skipped ones with a reason, recent ones missed and still
open). The last `CONTENT_DAYS` have the full story: talking points, the employee's
preparation, shared notes, a few private notes, action items (most done, some carried over),
one-on-ones, and talking points added in advance to the upcoming ones. Older conversations
keep just the record, to stay fast at 10,000 people.

The personas of the "sign in as" picker and of the benchmark get a good story: the manager
sees a report who is overdue and an upcoming check-in not yet prepared; the employee's next
check-in is days away, with a talking point and action items carried over.

Like `goals.demo`, everything is planned in Python with ids assigned up front, then written in
batches with plain INSERTs (`executemany`: the rows are many, and building model instances
would take most of the time); the same seed gives the same data.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone, translation

from conversations import tally
from conversations.models import (
    GRACE_DAYS,
    RHYTHM_KINDS,
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Conversation,
    ConversationTemplate,
    Kind,
    Note,
    PrivateNote,
    Reminder,
    RhythmRule,
    RhythmTally,
    Status,
    add_months,
)
from conversations.prompts import default_text, parse
from conversations.scheduling import Rules, next_due
from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from people.models import Person, ids_in

CONTENT_DAYS = 183  # the last half year has talking points, notes and actions
TAIL_DAYS = 150  # how far back the personas' check-ins are steered towards their story
BATCH = 20_000  # conversations planned before they are written
TIMES = [f" {minute // 60:02d}:{minute % 60:02d}:00" for minute in range(24 * 60)]
MODELS = (Conversation, AgendaItem, Note, PrivateNote, ActionItem)
# The longest a late conversation is held after its window closes, in days.
LATE_DAYS = {Kind.CHECK_IN: 25, Kind.QUARTERLY: 40, Kind.DEVELOPMENT: 60}


@dataclass(frozen=True)
class Discipline:
    """How a manager keeps the rhythm: shares of conversations skipped, held late, and (of
    the last two months) missed and still open; how often the employee prepares."""

    name: str
    share: int  # of every ten managers
    skipped: float
    late: float
    missed: float
    prepared: float


DISCIPLINES = (
    Discipline("steady", 4, skipped=0.03, late=0.05, missed=0.01, prepared=0.85),
    Discipline("mixed", 4, skipped=0.07, late=0.2, missed=0.06, prepared=0.6),
    Discipline("drifting", 2, skipped=0.12, late=0.38, missed=0.2, prepared=0.35),
)
MIXED = DISCIPLINES[1]

# --- What people talk about ---------------------------------------------------------------------

TALKING_POINTS = {
    Kind.CHECK_IN: (
        "Priorities for the next few weeks",
        "Workload: a lot on my plate right now",
        "Feedback on the last release",
        "How the handover with the other team is going",
        "Planning my holidays",
        "Still waiting for access to the new system",
        "Ideas to make our weekly meeting shorter",
        "Progress on my goals",
        "The customer escalation last week",
        "Onboarding our new colleague",
        "Time for training this month",
        "What I learned from the last project",
        "Recognition for the team's effort",
        "Follow-up on last month's actions",
        "Support for the upcoming deadline",
        "Too many meetings on Tuesdays",
        "Working with the new process",
        "How the on-call rota is going",
    ),
    Kind.QUARTERLY: (
        "Which goals to keep, drop or change next quarter",
        "Feedback from the people I work with",
        "What went well this quarter",
        "Focus for next quarter",
        "Lessons from the goal we missed",
        "Capacity for next quarter",
        "Where the team depends on me too much",
        "The results of the customer survey",
    ),
    Kind.DEVELOPMENT: (
        "The next step in my career here",
        "A course or conference I would like to attend",
        "Finding a mentor outside the team",
        "Taking on more responsibility",
        "Skills I want to build this year",
        "Leading a project from start to finish",
        "Moving towards a lead role",
        "Presenting more often",
    ),
    Kind.ONE_ON_ONE: (
        "What is on my mind",
        "Agree who does what",
        "Open questions",
        "Timeline",
    ),
}
ONE_ON_ONE_TITLES = (
    "Handover before my leave",
    "Feedback on the presentation",
    "Questions about the reorganisation",
    "Project kick-off",
    "Career questions",
    "Catch-up after the holidays",
    "Planning the team offsite",
    "Workload",
    "Preparing the customer workshop",
)
ONBOARDING_TITLE = "Onboarding: the first weeks"
NOTES = {
    Kind.CHECK_IN: (
        "Good month overall. Workload is high but manageable; we moved the reporting work to "
        "next month.",
        "Went through the blockers around access; escalation agreed. Goals are on track.",
        "Energy is a bit low after the busy period. Agreed to keep Friday afternoons free for "
        "focus time.",
        "Short check-in: everything on track, nothing new to raise.",
        "Talked through the feedback from the last review. Next step: pair up on the next one.",
        "Priorities agreed: finish the current project first, then the process improvements.",
        "Discussed the new colleague's onboarding; a buddy is assigned.",
        "Holiday dates agreed; the handover plan is in the shared drive.",
    ),
    Kind.QUARTERLY: (
        "Most goals reached. The one we missed was blocked by dependencies; it carries over in "
        "a smaller form.",
        "Good quarter. Focus for the next one: fewer things, finished properly.",
        "Feedback from colleagues is positive; clearer written updates would help the others.",
        "Adjusted one goal: the target was too ambitious after the team changes.",
        "A tough quarter with a lot of unplanned work. Agreed to say no more often.",
    ),
    Kind.DEVELOPMENT: (
        "Wants to grow towards leading projects. Agreed to run the next one, with support.",
        "Interested in a course on presenting; the budget is approved.",
        "Reflected on a hard quarter: handled the pressure well and learned to ask for help "
        "earlier.",
        "Next step: find a mentor in another department and meet monthly.",
        "Happy in the current role; wants to go deeper rather than broader for now.",
    ),
    Kind.ONE_ON_ONE: (
        "Agreed on the plan and who does what.",
        "Cleared up the open questions; nothing to follow up.",
        "Talked it through; we meet again when there is news.",
    ),
}
PRIVATE_NOTES = {
    "manager": (
        "Seems tired; ask about workload again next time.",
        "Raise the late deliveries gently next time.",
        "Ready for more responsibility: think of them for the lead role.",
        "Mentioned things are busy at home; be flexible with hours.",
        "Remember to thank them in the team meeting.",
        "Check whether the salary review has come through.",
    ),
    "employee": (
        "Ask about the training budget next time.",
        "I felt rushed; write my points down beforehand next time.",
        "Want to raise the on-call schedule, not sure how yet.",
        "Remember to ask for feedback on the presentation.",
        "Think about whether I want the lead role.",
    ),
}
ACTIONS = {
    "employee": (
        "Share the draft plan with the team",
        "Book time with the other team to align on dependencies",
        "Sign up for the course",
        "Write down the handover process",
        "Ask two colleagues for feedback",
        "Update the key results of my goal",
        "Prepare the presentation for the team meeting",
        "Find a mentor in another department",
        "Clean up the backlog before the next planning",
        "Send a summary of the decisions to the stakeholders",
        "Block focus time in my calendar",
        "Write a short proposal for the process change",
    ),
    "manager": (
        "Check the budget for the training",
        "Introduce them to the head of the other department",
        "Raise the workload issue with the leadership team",
        "Confirm the holiday dates in the planning",
        "Follow up on the access request",
        "Find a stretch project for next quarter",
    ),
}
SKIP_REASONS = (
    "Both on holiday around the due date; we pick it up next time.",
    "Met at the offsite and covered everything there.",
    "On sick leave.",
    "On parental leave.",
    "Release week; we covered the essentials in the team meeting.",
    "Covered in the quarterly review the week before.",
    "Busy period at the end of the quarter; agreed to skip this one.",
)
# Answers to the default prompts, in their order (see conversations.prompts.default_text).
ANSWERS = {
    Kind.CHECK_IN: (
        (
            "Mostly on track; one key result is behind because of the migration.",
            "Two of my three goals are on track, the third needs a decision from us.",
            "Ahead on the main goal, nothing started on the learning goal yet.",
            "On track.",
        ),
        (
            "The release went out without incidents.",
            "Helped the new colleague get up to speed.",
            "Closed the long-standing customer issue.",
            "The workshop with the other team went really well.",
        ),
        (
            "Waiting on another team for a decision.",
            "Too many interruptions to focus.",
            "Nothing at the moment.",
            "The tooling is slow; it costs me an hour a day.",
        ),
        (
            "Help with prioritising the requests that come in.",
            "An introduction to the people in the other department.",
            "Nothing special, thanks.",
            "A decision on the budget for the course.",
        ),
        (
            "Fine, a busy but good month.",
            "A bit tired; the last weeks were intense.",
            "Good. Enjoying the new project.",
            "Workload is high, but it is temporary.",
        ),
    ),
    Kind.QUARTERLY: (
        (
            "Reached most of what we planned; one goal slipped because of dependencies.",
            "A strong quarter: both goals done.",
            "Mixed: good progress on the main goal, little on the rest.",
        ),
        (
            "People value my help; I should write things down more.",
            "I got useful feedback on my presentations and used it.",
            "Colleagues asked for earlier updates when plans change.",
        ),
        (
            "Drop the second goal, it no longer matters.",
            "Keep the goals; raise the target of the first.",
            "Add a goal about documentation.",
        ),
        (
            "Finishing the big project.",
            "Fewer things, done properly.",
            "Getting the new process adopted by the team.",
        ),
    ),
    Kind.DEVELOPMENT: (
        (
            "A lot about working with customers directly.",
            "How our systems fit together.",
            "Planning my own work better.",
        ),
        (
            "In taking ownership of bigger pieces of work.",
            "In giving feedback to others.",
            "In staying calm when things go wrong.",
        ),
        (
            "The deadline in spring; I asked for help too late but learned from it.",
            "A difficult stakeholder; we found a way of working together.",
            "Saying no to requests.",
        ),
        (
            "Towards a lead role in a year or two.",
            "Deeper expertise in my field.",
            "Not sure yet; I would like to explore other teams.",
        ),
        (
            "Leading the next project, with a mentor.",
            "A course on presenting and a talk at a meetup.",
            "Shadowing someone in the team I might move to.",
        ),
        (
            "We check in on it in every monthly check-in.",
            "When I run the next project mostly on my own.",
            "Feedback from the people I work with.",
        ),
    ),
    Kind.ONE_ON_ONE: (("A few things about the project; see the talking points.",),),
}


# --- Helpers ------------------------------------------------------------------------------------


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


@contextmanager
def _big_cache():
    """On SQLite, a larger page cache while the rows go in: the indexes of a few hundred
    thousand rows no longer fit the default 2 MB, and inserting would mostly wait for I/O."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -131072")  # 128 MB
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


CONVERSATION_FIELDS = (
    "id",
    "employee",
    "manager",
    "kind",
    "title",
    "due_date",
    "starts_at",
    "status",
    "held_on",
    "held_in_window",
    "skip_reason",
    "skipped_by",
    "prompts",
    "preparation",
    "prepared_at",
    "employee_signed_at",
    "manager_signed_at",
    "created_by",
    "created_at",
)
AGENDA_FIELDS = ("id", "conversation", "author", "text", "discussed", "created_at")
NOTE_FIELDS = ("id", "conversation", "author", "text", "is_remark", "created_at")
PRIVATE_FIELDS = ("id", "conversation", "author", "text", "created_at")
ACTION_FIELDS = (
    "id",
    "conversation",
    "employee",
    "manager",
    "owner",
    "text",
    "due_date",
    "done_at",
    "done_by",
    "created_by",
    "created_at",
)


@flush_step
def delete_conversations() -> None:
    """Everything of this app: conversations would otherwise be loaded one by one to cascade
    from people, and rules and templates do not belong to anyone."""
    with tally.paused(), connection.cursor() as cursor:
        for model in (
            RhythmTally,
            Reminder,
            ActionItem,
            AgendaItem,
            Note,
            PrivateNote,
            Conversation,
            RhythmRule,
            ConversationTemplate,
            CalendarFeed,
        ):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


# --- The plan -----------------------------------------------------------------------------------


class _Talk:
    """A conversation in the plan."""

    __slots__ = (
        "created_at",
        "created_by",
        "due",
        "held_on",
        "kind",
        "pk",
        "preparation",
        "prepared_at",
        "signed_e",
        "signed_m",
        "skip_reason",
        "starts_at",
        "status",
        "title",
    )

    def __init__(self, pk, kind, due, status, created_at, held_on=None, skip_reason=""):
        self.pk, self.kind, self.due, self.status = pk, kind, due, status
        self.created_at, self.held_on, self.skip_reason = created_at, held_on, skip_reason
        self.title, self.created_by, self.starts_at = "", None, None
        self.preparation, self.prepared_at = None, None
        self.signed_e = self.signed_m = None


@dataclass
class _Pair:
    employee_id: int
    manager_id: int
    start: date  # the first day both worked here
    end: date  # the day one of them left; today for current pairs
    current: bool
    discipline: Discipline
    team_path: str
    story: str | None = None  # "soon" or "overdue": a persona's check-ins, see `steer`


class _Conversations:
    """Plans the conversations pair by pair and writes them in batches."""

    def __init__(self, org: DemoOrg):
        self.org, self.rng = org, org.random("conversations")
        self.today = org.today
        self.edge = org.today - timedelta(days=1)  # moments from here on are checked
        self.now = timezone.now()
        self.days: dict[date, str] = {}
        self.sqlite = connection.vendor == "sqlite"
        self.ids = {model: _next_id(model) for model in MODELS}
        self.rows: dict = {model: [] for model in MODELS}
        self.counts = dict.fromkeys(MODELS, 0)
        self.empty = self.json([])
        with translation.override("en"):
            self.prompts = {
                kind: [p for section in parse(default_text(kind)) for p in section.prompts]
                for kind in Kind.values
            }
        self.disciplines: dict[int, Discipline] = {}
        self.stories: dict[int, str] = {}

    # Values as the database takes them.

    def json(self, value):
        return json.dumps(value) if self.sqlite else connection.ops.adapt_json_value(value, None)

    def day(self, value: date | None):
        if value is None or not self.sqlite:
            return value
        text = self.days.get(value)
        if text is None:
            text = self.days[value] = value.isoformat()
        return text

    def moment(self, day: date):
        """A moment in working hours on `day` (a past day; never in the future)."""
        minute = 480 + int(self.rng.random() * 600)
        if day >= self.edge:
            value = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=UTC)
            if value > self.now:
                value = (self.now - timedelta(minutes=5)).replace(second=0, microsecond=0)
            return connection.ops.adapt_datetimefield_value(value)
        if self.sqlite:  # as Django writes them: "2025-03-04 09:30:00", in UTC
            return self.day(day) + TIMES[minute]
        return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=UTC)

    def meeting(self, day: date):
        """When an upcoming conversation is planned: a round time on its day."""
        hour, half = 9 + int(self.rng.random() * 8), self.rng.random() < 0.3
        value = datetime.combine(day, time(hour, 30 if half else 0), tzinfo=UTC)
        return connection.ops.adapt_datetimefield_value(value)

    def new_id(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    # The organisation.

    def rules(self) -> Rules:
        """A few teams with their own rhythm: check-ins every two months, a department with
        a yearly development conversation."""
        org, rng = self.org, self.org.random("conversations:rules")
        # Not above the personas: their story needs the monthly check-in.
        people = {p.pk: p for p in org.current}
        paths: dict[int | None, str] = {t.pk: t.path for t in org.teams}
        keep = {
            team
            for pk in self.stories
            if pk in people
            for team in ids_in(paths.get(people[pk].team_id, "/"))
        }
        teams = [t for t in org.teams if t.path.count("/") > 3 and t.pk not in keep]
        departments = [t for t in teams if t.path.count("/") == 4]
        rules = [
            RhythmRule(kind=Kind.CHECK_IN, interval_months=2, team_id=t.pk, updated_by=org.hr)
            for t in rng.sample(teams, max(1, len(teams) // 25) if teams else 0)
        ]
        if len(departments) > 3:
            rules.append(
                RhythmRule(
                    kind=Kind.DEVELOPMENT,
                    interval_months=12,
                    team_id=rng.choice(departments).pk,
                    updated_by=org.hr,
                )
            )
        RhythmRule.objects.bulk_create(rules)
        self.org.counts["team rhythms"] = len(rules)
        return Rules.load()

    def stories_of(self) -> dict[int, str]:
        """The personas' pairs: for each persona manager (the picker's and the benchmark's),
        an employee whose next check-in is days away ("soon") and another report who is
        overdue ("overdue")."""
        from accounts.demo import demo_personas

        org = self.org
        with translation.override("en"):
            picked = {str(p.label): p.person.pk for p in demo_personas()}
        managers = [picked["Manager"]] if "Manager" in picked else []
        if org.reports:
            managers.append(min(org.reports, key=lambda pk: (-len(org.reports[pk]), pk)))
        has_reports = {p.manager_id for p in org.people if p.manager_id}
        starts = {p.pk: _start(p) for p in org.current}
        stories = {}
        if "Employee" in picked:
            stories[picked["Employee"]] = "soon"
        settled = self.today - timedelta(days=TAIL_DAYS)
        started = self.today - timedelta(days=35)  # a first monthly check-in is due
        for manager in managers:
            self.disciplines[manager] = MIXED
            reports = sorted(org.reports.get(manager, []), key=lambda p: p.pk)
            plain = [r for r in reports if r.pk not in has_reports]
            if plain:
                stories.setdefault(plain[0].pk, "soon")
            # Someone who has worked with them long enough to have missed a check-in.
            since = starts[manager]
            others = [
                r for r in reports if r.pk not in stories and max(_start(r), since) <= started
            ]
            others.sort(key=lambda p: (p.pk in has_reports, _start(p) > settled, p.pk))
            if others:
                stories[others[0].pk] = "overdue"
        return stories

    def deal_disciplines(self) -> None:
        """A share of the managers keeps the rhythm, a share drifts: dealt over all of them,
        so that even a small organisation has both. The personas' managers are mixed."""
        managers = sorted({p.manager_id for p in self.org.people if p.manager_id})
        managers = [pk for pk in managers if pk not in self.disciplines]
        self.rng.shuffle(managers)
        start = 0
        for discipline in sorted(DISCIPLINES, key=lambda d: d.share):
            count = max(1, round(len(managers) * discipline.share / 10))
            for pk in managers[start : start + count]:
                self.disciplines[pk] = discipline
            start += count
        for pk in managers[start:]:
            self.disciplines[pk] = DISCIPLINES[0]

    # Building.

    def build(self) -> None:
        org = self.org
        self.stories = self.stories_of()
        self.deal_disciplines()
        rules = self.rules()
        by_id = {p.pk: p for p in org.people}
        paths: dict[int | None, str] = {t.pk: t.path for t in org.teams}
        # Triggers off for the bulk load, and every tally counted once at the end.
        with _big_cache(), tally.paused():
            self.plan_all(by_id, paths, rules)
        self.reset_sequences()
        org.counts.update(
            conversations=self.counts[Conversation],
            **{
                "talking points": self.counts[AgendaItem],
                "shared notes": self.counts[Note],
                "private notes": self.counts[PrivateNote],
                "action items": self.counts[ActionItem],
            },
        )

    def plan_all(self, by_id, paths, rules) -> None:
        org, planned = self.org, 0
        for person in org.people:
            manager = by_id.get(person.manager_id)
            if manager is None:
                continue
            starts = [d for d in (person.start_date, manager.start_date) if d]
            start = max(starts) if starts else org.history_start - timedelta(days=365)
            ends = [d for d in (person.leave_date, manager.leave_date) if d]
            current = not ends
            end = min(ends) if ends else self.today
            if end <= max(start, org.history_start):
                continue
            pair = _Pair(
                person.pk,
                manager.pk,
                start,
                end,
                current,
                self.disciplines[manager.pk],
                paths.get(person.team_id, "/"),
                self.stories.get(person.pk) if current else None,
            )
            planned += self.plan_pair(pair, person, rules)
            if planned >= BATCH:
                self.write()
                planned = 0
        self.write()

    def plan_pair(self, pair: _Pair, person, rules: Rules) -> int:
        talks = []
        for kind in RHYTHM_KINDS:
            months = rules.interval(person, kind, pair.team_path)
            if months:
                talks += self.rhythm(pair, kind, months)
        if pair.current:
            talks += self.one_on_ones(pair)
        if pair.story == "soon" and not any(t.status == Status.HELD for t in talks):
            talks += self.onboarding(pair)
        self.content(pair, talks)
        return len(talks)

    def rhythm(self, pair: _Pair, kind: str, months: int) -> list[_Talk]:
        """The pair's conversations of one kind, each due from the last held or skipped."""
        rng, today, d = self.rng, self.today, pair.discipline
        grace = GRACE_DAYS[kind]
        history_start = self.org.history_start
        story = pair.story if kind == Kind.CHECK_IN else None
        if pair.start < history_start:  # the rhythm ran before the history begins
            due = history_start + timedelta(days=int(rng.random() * months * 30))
            created = self.moment(max(pair.start, due - timedelta(days=months * 30)))
        else:
            due = add_months(pair.start, months)
            created = self.moment(pair.start)
        talks, held, skipped = [], None, None
        while True:
            if due >= pair.end:
                status = Status.SCHEDULED if pair.current else Status.CANCELLED
                talks.append(_Talk(self.new_id(Conversation), kind, due, status, created))
                return talks
            outcome, on = self.outcome(pair, kind, due, months, grace, d, story)
            if outcome == Status.HELD and on >= pair.end:
                outcome = Status.SCHEDULED if pair.current else Status.CANCELLED
            if outcome in (Status.SCHEDULED, Status.CANCELLED):
                talks.append(_Talk(self.new_id(Conversation), kind, due, outcome, created))
                return talks
            if outcome == Status.SKIPPED:
                talk = _Talk(
                    self.new_id(Conversation),
                    kind,
                    due,
                    Status.SKIPPED,
                    created,
                    skip_reason=rng.choice(SKIP_REASONS),
                )
                skipped = due
                created = self.moment(min(due, today - timedelta(days=1)))
            else:
                talk = _Talk(self.new_id(Conversation), kind, due, Status.HELD, created, on)
                self.sign(talk)
                held = on
                # The manager's signature marks it held and schedules the next one.
                created = talk.signed_m
            talks.append(talk)
            due = next_due(held, skipped, months, today)

    def outcome(self, pair, kind, due, months, grace, d: Discipline, story):
        """What became of a conversation due in the past: (status, held on)."""
        rng, today = self.rng, self.today
        if story and due >= today - timedelta(days=TAIL_DAYS):
            return self.steer(due, months, story)
        roll = rng.random()
        if pair.current and (today - due).days <= 60 and roll < d.missed:
            return Status.SCHEDULED, None
        roll = rng.random()
        if roll < d.skipped:
            return Status.SKIPPED, None
        if roll < d.skipped + d.late:
            late = 1 + int(rng.random() * LATE_DAYS[kind])
            return Status.HELD, due + timedelta(days=grace + late)
        # On time: mostly around the due date, sometimes a few days early.
        offset = round(-3 + (grace + 3) * rng.random() ** 1.6)
        return Status.HELD, due + timedelta(days=offset)

    def steer(self, due, months, story):
        """A persona's check-ins of the last months: held on time, on days that bring the
        open one where the story needs it (overdue by a few weeks, or due in a few days)."""
        today = self.today
        if story == "overdue":  # the last one before today stays open
            if due >= today - timedelta(days=months * 31 + 14):
                return Status.SCHEDULED, None
            return Status.HELD, due + timedelta(days=int(self.rng.random() * 4))
        low, high = today + timedelta(days=2), today + timedelta(days=7)
        step = months * 30.44
        best, best_score = None, None
        # Up to a week early (as soon as its due window opens: they met when it suited them)
        # or a few days late.
        for offset in range(-GRACE_DAYS[Kind.CHECK_IN], 6):
            on = due + timedelta(days=offset)
            if on >= today:
                break
            following = add_months(on, months)
            if low <= following <= high:
                score = 0.0
            elif following >= today:
                score = 1000 + abs((following - low).days)
            else:
                rest = (low - following).days + 2
                score = min(rest % step, step - rest % step)
            score += abs(offset) / 100  # the nearer the due date, the likelier
            if best_score is None or score < best_score:
                best, best_score = on, score
        if best is None:
            best = min(due, today - timedelta(days=1))
        return Status.HELD, best

    def one_on_ones(self, pair: _Pair) -> list[_Talk]:
        """Some pairs met for a one-on-one in the last months; a few have one coming up."""
        rng, today = self.rng, self.today
        talks = []
        first = max(pair.start, today - timedelta(days=CONTENT_DAYS))
        span = (today - first).days - 1
        if span > 7 and rng.random() < 0.2:
            for _ in range(1 if rng.random() < 0.7 else 2):
                day = first + timedelta(days=int(rng.random() * span))
                talk = _Talk(
                    self.new_id(Conversation),
                    Kind.ONE_ON_ONE,
                    day,
                    Status.HELD,
                    self.moment(max(first, day - timedelta(days=5))),
                    day,
                )
                talk.title = rng.choice(ONE_ON_ONE_TITLES)
                talk.created_by = pair.manager_id if rng.random() < 0.6 else pair.employee_id
                talks.append(talk)
        if rng.random() < 0.06:
            day = today + timedelta(days=1 + int(rng.random() * 14))
            talk = _Talk(
                self.new_id(Conversation),
                Kind.ONE_ON_ONE,
                day,
                Status.SCHEDULED,
                self.moment(today - timedelta(days=1 + int(rng.random() * 5))),
            )
            talk.title = rng.choice(ONE_ON_ONE_TITLES)
            talk.created_by = pair.manager_id if rng.random() < 0.5 else pair.employee_id
            talk.starts_at = self.meeting(day)
            talks.append(talk)
        return talks

    def onboarding(self, pair: _Pair) -> list[_Talk]:
        """A new starter has no history yet: their manager met them in the first days."""
        today = self.today
        if pair.start >= today - timedelta(days=2):
            return []
        day = min(pair.start + timedelta(days=7), today - timedelta(days=1))
        talk = _Talk(
            self.new_id(Conversation),
            Kind.ONE_ON_ONE,
            day,
            Status.HELD,
            self.moment(pair.start),
            day,
        )
        talk.title, talk.created_by = ONBOARDING_TITLE, pair.manager_id
        return [talk]

    # What was said.

    def content(self, pair: _Pair, talks: list[_Talk]) -> None:
        today = self.today
        recent = today - timedelta(days=CONTENT_DAYS)
        employee, manager = pair.employee_id, pair.manager_id
        d = pair.discipline
        soon_story = pair.story == "soon"
        last_held = None
        if soon_story:
            held = [t for t in talks if t.status == Status.HELD and t.held_on >= recent]
            last_held = max(held, key=lambda t: (t.held_on, t.pk), default=None)
        if soon_story and last_held is None:
            soon_story = False
        conversations = self.rows[Conversation]
        for talk in talks:
            if talk.status == Status.HELD:
                on = talk.held_on
                if talk.signed_e is None:
                    self.sign(talk)
                if on >= recent:
                    self.held_content(pair, talk, d, forced=talk is last_held)
            elif talk.status == Status.SCHEDULED:
                self.upcoming_content(pair, talk, d, soon_story and talk.kind == Kind.CHECK_IN)
            skipped_by = manager if talk.status == Status.SKIPPED else None
            conversations.append(
                (
                    talk.pk,
                    employee,
                    manager,
                    talk.kind,
                    talk.title,
                    self.day(talk.due),
                    talk.starts_at,
                    talk.status,
                    self.day(talk.held_on),
                    (
                        abs((talk.held_on - talk.due).days) <= GRACE_DAYS[talk.kind]
                        if talk.status == Status.HELD
                        else None
                    ),
                    talk.skip_reason,
                    skipped_by,
                    None,
                    talk.preparation if talk.preparation is not None else self.empty,
                    talk.prepared_at,
                    talk.signed_e,
                    talk.signed_m,
                    talk.created_by,
                    talk.created_at,
                )
            )

    def sign(self, talk: _Talk) -> None:
        """Both sign off: the manager on the day (their sign-off marks it held), the employee
        then or a day or two later."""
        on = talk.held_on
        talk.signed_m = self.moment(on)
        later = (0, 0, 1, 2)[int(self.rng.random() * 4)]
        talk.signed_e = self.moment(max(on, min(on + timedelta(days=later), self.edge)))

    def prepare(self, talk: _Talk, day: date) -> None:
        rng = self.rng
        pools = ANSWERS[talk.kind]
        answers = [
            {
                "prompt": prompt,
                "answer": rng.choice(pools[i % len(pools)])
                if i == 0 or rng.random() < 0.85
                else "",
            }
            for i, prompt in enumerate(self.prompts[talk.kind])
        ]
        talk.preparation = self.json(answers)
        talk.prepared_at = self.moment(day)

    def held_content(self, pair: _Pair, talk: _Talk, d: Discipline, forced: bool) -> None:
        rng, today = self.rng, self.today
        employee, manager, on = pair.employee_id, pair.manager_id, talk.held_on
        kind = talk.kind
        if rng.random() < d.prepared:
            self.prepare(talk, max(pair.start, on - timedelta(days=int(rng.random() * 4))))
        agenda = self.rows[AgendaItem]
        for text in rng.sample(TALKING_POINTS[kind], int(rng.random() * 4)):
            author = employee if rng.random() < 0.6 else manager
            day = max(pair.start, on - timedelta(days=int(rng.random() * 7)))
            agenda.append(
                (
                    self.new_id(AgendaItem),
                    talk.pk,
                    author,
                    text,
                    rng.random() < 0.9,
                    self.moment(day),
                )
            )
        if rng.random() < 0.85:
            notes = self.rows[Note]
            for text in rng.sample(NOTES[kind], 1 if rng.random() < 0.75 else 2):
                author = manager if rng.random() < 0.7 else employee
                notes.append((self.new_id(Note), talk.pk, author, text, False, self.moment(on)))
        if rng.random() < 0.12:
            writer = "manager" if rng.random() < 0.65 else "employee"
            author = manager if writer == "manager" else employee
            self.rows[PrivateNote].append(
                (
                    self.new_id(PrivateNote),
                    talk.pk,
                    author,
                    rng.choice(PRIVATE_NOTES[writer]),
                    self.moment(on),
                )
            )
        actions = self.rows[ActionItem]
        count = (0, 1, 1, 2)[int(rng.random() * 4)]
        if kind == Kind.DEVELOPMENT:
            count += 1
        for _ in range(count):
            mine = rng.random() < 0.7
            owner = employee if mine else manager
            text = rng.choice(ACTIONS["employee" if mine else "manager"])
            due = on + timedelta(days=(7, 14, 14, 21, 30)[int(rng.random() * 5)])
            if rng.random() < 0.15:
                due = None
            done_at = done_by = None
            threshold = 0.88 if (due or on + timedelta(days=21)) < today else 0.35
            if on < self.edge and rng.random() < threshold:  # done by yesterday
                last = min((due or on + timedelta(days=21)) + timedelta(days=5), self.edge)
                span = max(1, (last - on).days)
                done_at = self.moment(on + timedelta(days=1 + int(rng.random() * span)))
                done_by = owner if rng.random() < 0.9 else (manager if mine else employee)
            actions.append(
                (
                    self.new_id(ActionItem),
                    talk.pk,
                    employee,
                    manager,
                    owner,
                    text,
                    self.day(due),
                    done_at,
                    done_by,
                    manager if rng.random() < 0.6 else employee,
                    self.moment(on),
                )
            )
        if forced:
            # Carried over to the persona's next check-in: one overdue, one without a date.
            overdue = on + timedelta(days=7)
            if overdue >= today:
                overdue = today - timedelta(days=1)
            for owner, text, due in (
                (employee, ACTIONS["employee"][0], overdue),
                (manager, ACTIONS["manager"][0], None),
            ):
                actions.append(
                    (
                        self.new_id(ActionItem),
                        talk.pk,
                        employee,
                        manager,
                        owner,
                        text,
                        self.day(due),
                        None,
                        None,
                        manager,
                        self.moment(on),
                    )
                )

    def upcoming_content(self, pair: _Pair, talk: _Talk, d: Discipline, forced: bool) -> None:
        """Talking points added in advance, and for some the employee's preparation."""
        rng, today = self.rng, self.today
        yesterday = today - timedelta(days=1)
        since = talk.created_at  # a moment; the points come after the conversation exists
        first = max(pair.start, today - timedelta(days=6))
        soon = talk.due <= today + timedelta(days=21)
        count = 0
        if forced:
            count = 2
        elif soon and rng.random() < 0.5:
            count = 1 + int(rng.random() * 2)
        if count:
            agenda = self.rows[AgendaItem]
            texts = rng.sample(TALKING_POINTS[talk.kind], count)
            authors = (pair.employee_id, pair.manager_id)
            for number, text in enumerate(texts):
                author = authors[number % 2] if forced else authors[rng.random() < 0.35]
                day = first + timedelta(days=int(rng.random() * max(1, (yesterday - first).days)))
                agenda.append(
                    (
                        self.new_id(AgendaItem),
                        talk.pk,
                        author,
                        text,
                        False,
                        max(self.moment(min(day, yesterday)), since),
                    )
                )
        if not forced and talk.due <= today + timedelta(days=10) and rng.random() < d.prepared / 2:
            self.prepare(talk, first + timedelta(days=int(rng.random() * 5)))
        # A time agreed for some of the coming ones.
        near = today <= talk.due <= today + timedelta(days=14)
        if talk.starts_at is None and near and rng.random() < 0.4:
            talk.starts_at = self.meeting(talk.due)

    # Writing.

    def write(self) -> None:
        fields = {
            Conversation: CONVERSATION_FIELDS,
            AgendaItem: AGENDA_FIELDS,
            Note: NOTE_FIELDS,
            PrivateNote: PRIVATE_FIELDS,
            ActionItem: ACTION_FIELDS,
        }
        for model in MODELS:
            insert_rows(model, fields[model], self.rows[model])
            self.counts[model] += len(self.rows[model])
            self.rows[model] = []

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [*MODELS, RhythmRule]):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS)
                cursor.execute(f"ANALYZE {tables}")


@history_builder
def conversation_history(org: DemoOrg) -> None:
    _Conversations(org).build()


def _start(person: Person) -> date:
    """When the person started: the demo organisation dates everyone."""
    assert person.start_date is not None
    return person.start_date
