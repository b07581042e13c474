"""Development plans for the demo organisation: years of plans, some kept up, many lapsed.

Teams differ: in some most people keep a plan, in others few do, as their managers differ
(and managers differ in how often they comment on an action and confirm the support it asks).
A plan is made a month or more after someone starts, from the start of the demo's history on
(Growth publishes its framework then): an ambition in a sentence, a target step (usually the
next step on their track, sometimes one on the other track), one to three focus competencies
(those the target expects more of first) and actions of every kind. People come back to their
plan now and then: they add actions, move them on (done, some late, some dropped) and tidy
up what they forgot; some stop, and their open actions go past due. A few plans link learning
goals that the goals demo wrote, and a few are shared with a colleague.

Every write is planned with its day, and the plan's active periods are derived from them
exactly as the services and the daily job keep them (`plans.activity`): a write closes the
period that lapsed before it and opens one from its day; time alone closes the last one at the
day it lapsed. So the job has nothing to change right after the demo. People who left had an
active plan in their last year somewhat less often than those who stayed (they drift off
before they go); nothing of a plan is dated after its owner left.

The personas of the "sign in as" picker and of the benchmark (and their teams) keep a plan up
to date: lately a course done, and a book past due.

Like `goals.demo`, everything is planned in Python with ids assigned up front and written
with `insert_rows`; the same seed gives the same plans.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone, translation

from goals.models import Kind as GoalKind
from goals.models import Objective
from growth import queries as growth_queries
from growth.queries import Step
from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from people.models import Person
from plans.activity import active_until
from plans.models import (
    ActionKind,
    ActionStatus,
    Plan,
    PlanAction,
    PlanActivePeriod,
    PlanGoal,
    PlanShare,
)

MODELS = (Plan, PlanAction, PlanActivePeriod, PlanGoal, PlanShare)
PLANNED, IN_PROGRESS = ActionStatus.PLANNED.value, ActionStatus.IN_PROGRESS.value
DONE, DROPPED = ActionStatus.DONE.value, ActionStatus.DROPPED.value
OPEN = (PLANNED, IN_PROGRESS)

# How many people of a team keep a plan: (share of teams, lowest, highest).
CULTURES = ((40, 0.85, 0.98), (35, 0.5, 0.75), (25, 0.08, 0.3))
# Leavers had a plan a little less often, and often drifted off in their last months.
LEAVER_PLAN = 0.85
LEAVER_DRIFT = 0.55
# How often a manager comments on an action: a share of managers each.
COACHING = ((30, 0.1), (45, 0.35), (25, 0.7))
ONBOARDING_DAYS = (30, 90)  # a first plan comes this long after someone starts, at the soonest

# --- What plans say -----------------------------------------------------------------------------

# By where the target step lies: up the same track, across to the other, or none.
AMBITIONS = {
    "up": (
        "Grow into the {title} role on my track.",
        "Be ready for {title} within the next year or so.",
        "Take on bigger, vaguer problems and get to {title}.",
        "Become the person the team turns to for the hard parts of our work.",
        "Lead more of what we build, not only my own part of it.",
        "Step up to {title} and help the newer people on the team.",
        "Get better at the parts of the job beyond my own tasks, towards {title}.",
        "Broaden from my own work to the whole area.",
    ),
    "across": (
        "Find out whether managing people suits me, starting small.",
        "Move into a {title} role in the next couple of years.",
        "Go back to hands-on work as a {title}, with more depth.",
        "Try out leading a team before deciding on the management track.",
        "Keep growing as a specialist and leave people management to others.",
        "Build the skills to lead people, not only work.",
    ),
    "none": (
        "Deepen my expertise and share it more widely.",
        "Stay in my role and do it better: fewer surprises, more impact.",
        "Learn the business side of what we do.",
        "Mentor others and leave the team stronger than I found it.",
        "Keep learning: a new area each year.",
    ),
}

# What people do, by kind: (title, the competencies it develops).
ACTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    ActionKind.TRAINING: (
        ("Presentation skills workshop", ("communication",)),
        ("Negotiation training", ("communication", "customer-focus")),
        ("Workshop on feedback and difficult conversations", ("developing-people",)),
        ("New manager training", ("leading-teams", "developing-people")),
        ("Facilitation training for workshops", ("collaboration", "communication")),
        ("Project management fundamentals", ("planning",)),
        ("Root cause analysis workshop", ("problem-solving",)),
        ("Time management training", ("planning", "ownership")),
        ("Interview training for hiring", ("developing-people",)),
    ),
    ActionKind.COURSE: (
        ("Online course on statistics", ("problem-solving", "craft")),
        ("Course on writing clearly", ("communication",)),
        ("Leadership course", ("leading-teams", "direction")),
        ("Course on product discovery", ("customer-focus",)),
        ("Certification course in my field", ("craft",)),
        ("Coaching skills course", ("developing-people",)),
        ("Course on agile planning", ("planning",)),
        ("Course on strategy for managers", ("direction",)),
        ("Evening course on finance for non-finance people", ("learning", "direction")),
    ),
    ActionKind.COACHING: (
        ("Monthly sessions with an external coach", ("leading-teams", "direction")),
        ("Coaching on giving feedback", ("developing-people", "communication")),
        ("Coaching on prioritising and saying no", ("planning", "ownership")),
        ("Coaching on presenting to the leadership team", ("communication",)),
        ("Coaching on handling conflict in the team", ("collaboration", "leading-teams")),
    ),
    ActionKind.MENTORING: (
        ("Mentoring by a lead from another team", ("craft", "direction")),
        ("Mentoring with an experienced manager", ("leading-teams", "developing-people")),
        ("Mentor a new colleague through their first months", ("developing-people",)),
        ("Reverse mentoring with a junior colleague", ("learning",)),
        ("Monthly lunch with a mentor in another department", ("collaboration", "learning")),
    ),
    ActionKind.STRETCH: (
        ("Lead the team's next quarterly planning", ("planning", "direction")),
        ("Run the review of the next major incident", ("ownership", "problem-solving")),
        ("Own a project across two teams from start to finish", ("collaboration", "planning")),
        ("Stand in for the team lead during their leave", ("leading-teams",)),
        ("Present the team's results at the all-hands", ("communication",)),
        ("Take a customer escalation from start to end", ("customer-focus", "ownership")),
        ("Run the hiring interviews for the team's next opening", ("developing-people",)),
        ("Write and defend the proposal for our next big change", ("direction", "communication")),
        ("Set up a quality standard the whole team uses", ("craft",)),
    ),
    ActionKind.SHADOWING: (
        ("Shadow a manager in their one-on-ones and planning", ("leading-teams",)),
        ("Shadow customer calls with Customer success", ("customer-focus",)),
        ("Shadow a senior colleague's reviews", ("craft",)),
        ("Shadow the head of department at a leadership meeting", ("direction",)),
        ("Spend a week with the team we depend on most", ("collaboration",)),
    ),
    ActionKind.READING: (
        ("Read a book on negotiation and share three takeaways", ("communication",)),
        ("Read up on product discovery", ("customer-focus",)),
        ("Read our architecture decision records", ("craft", "problem-solving")),
        ("Read two books on management and discuss them with my manager", ("leading-teams",)),
        ("Read a book on coaching and try one idea a week", ("developing-people",)),
        ("Read the last two years of strategy documents", ("direction",)),
        ("Read a book on planning and estimating", ("planning",)),
    ),
}
KINDS = list(ACTIONS)
KIND_WEIGHTS = (18, 20, 8, 12, 18, 9, 15)
KIND_CUMULATIVE = list(accumulate(KIND_WEIGHTS))
# Days from adding an action to its due date, by kind.
DUE_DAYS: dict[str, tuple[int, int]] = {
    ActionKind.TRAINING: (30, 150),
    ActionKind.COURSE: (45, 180),
    ActionKind.COACHING: (60, 180),
    ActionKind.MENTORING: (60, 180),
    ActionKind.STRETCH: (45, 180),
    ActionKind.SHADOWING: (21, 90),
    ActionKind.READING: (21, 75),
}
# Costs, on some: (share with a cost, lowest, highest, rounded to).
COSTS: dict[str, tuple[float, int, int, int]] = {
    ActionKind.TRAINING: (0.65, 300, 2500, 50),
    ActionKind.COURSE: (0.65, 50, 1500, 5),
    ActionKind.COACHING: (0.3, 1200, 4000, 100),
}
SUPPORT = (
    "Time for it: half a day a week.",
    "Budget for the course.",
    "An introduction to someone who has done this before.",
    "Help choosing the right course.",
    "Your feedback after I present.",
    "Someone to cover my on-call week while I am away.",
    "Let me lead the next planning session.",
    "A word with the other team's lead so that they expect me.",
    "Room in the next quarter's plan for this.",
)
COMMENTS = (
    "Good choice; let's pick a date in our next check-in.",
    "Happy to support this. Budget approved.",
    "Let's make sure it doesn't clash with the release.",
    "Great progress on this, keep going.",
    "Could we find a smaller first step?",
    "Agreed. I'll keep Friday afternoons free for you.",
    "Ask Learning & development for options; they know the good ones.",
    "This fits your target well.",
    "Tell me what you learned afterwards; I'd like the team to hear it too.",
)
# The learning goals of the goals demo, by the competency they develop.
LEARNING_COMPETENCIES = {
    "Learn Kubernetes well enough to run our services": "craft",
    "Get the AWS Solutions Architect certificate": "craft",
    "Improve my Dutch to B2": "communication",
    "Learn SQL for my own analyses": "problem-solving",
    "Complete the leadership programme": "leading-teams",
    "Learn to negotiate": "communication",
    "Give a talk at a meetup": "communication",
    "Learn the basics of our finances": "learning",
    "Learn Python to automate my reports": "craft",
}


def periods_of(
    writes: list[tuple[date, date | None]], today: date, leave_date: date | None = None
) -> list[tuple[date, date | None]]:
    """The active periods that writes leave behind, in day order: each write is (its day, the
    latest due date of an open action after it), as `plans.activity` keeps them: a write closes
    the period that lapsed before it and opens one from its day (unless the owner has left by
    then: `leave_date`), and the daily job closes the last one at the day it lapsed, by
    `today`."""
    periods: list[tuple[date, date | None]] = []
    start: date | None = None
    until = date.min
    for day, last_due in writes:
        if start is not None and until <= day:
            periods.append((start, max(until, start + timedelta(days=1))))
            start = None
        if leave_date is not None and leave_date < day:
            continue
        if start is None:
            start = day
        until = active_until(day, last_due, leave_date)
    if start is not None:
        periods.append((start, max(until, start + timedelta(days=1)) if until <= today else None))
    return periods


@flush_step
def delete_plans() -> None:
    """Everything of this app, children first (plans would otherwise be loaded one by one to
    cascade from people)."""
    with connection.cursor() as cursor:
        for model in (PlanGoal, PlanShare, PlanActivePeriod, PlanAction, Plan):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


# --- The plan -----------------------------------------------------------------------------------


class _Action:
    __slots__ = (
        "comment",
        "commented_by",
        "confirmed_at",
        "confirmed_by",
        "cost",
        "created",
        "due",
        "kind",
        "pk",
        "status",
        "support",
        "title",
        "transitions",
        "updated",
    )

    def __init__(self, pk: int, kind: str, title: str, created: datetime, due: date | None):
        self.pk, self.kind, self.title, self.created, self.due = pk, kind, title, created, due
        self.status = PLANNED
        self.support = self.comment = ""
        self.cost: Decimal | None = None
        self.commented_by: int | None = None
        self.confirmed_at: datetime | None = None
        self.confirmed_by: int | None = None
        self.updated = created
        # (when, status): the writes that moved it on.
        self.transitions: list[tuple[datetime, str]] = []

    def move(self, when: datetime, status: str) -> None:
        self.transitions.append((when, status))
        self.status = status
        self.updated = max(self.updated, when)

    def stalled_by(self, day: date) -> bool:
        """Added before `day`, and nothing planned for it from then on: forgotten."""
        return self.created.date() < day and all(m.date() < day for m, _ in self.transitions)


class _Plan:
    __slots__ = (
        "actions",
        "ambition",
        "focus",
        "focused",
        "goals",
        "person",
        "pk",
        "shares",
        "target",
        "writes",
    )

    def __init__(self, pk: int, person: Person):
        self.pk, self.person = pk, person
        self.ambition = ""
        self.target: Step | None = None
        self.focus: list[str] = []
        self.focused: frozenset[str] = frozenset()  # the same, to look up
        self.actions: list[_Action] = []
        self.goals: list[int] = []
        self.shares: list[tuple[int, datetime]] = []
        self.writes: list[datetime] = []  # every write's moment (a plan's, an action's, …)


class _Person:
    """What the planner decided about one person's plan."""

    __slots__ = ("drift", "keen", "story")

    def __init__(self, keen: bool, story: bool, drift: date):
        self.keen, self.story = keen, story
        self.drift = drift  # the last day they write to their plan


class Planner:
    """Plans everyone's development plan in memory, then writes them."""

    def __init__(self, org: DemoOrg):
        self.org, self.rng = org, org.random("plans")
        self.today = org.today
        self.now = timezone.now()
        self.zone = timezone.get_default_timezone()
        self.noons: dict[date, datetime] = {}
        self.days: dict[date, str] = {}
        self.sqlite = connection.vendor == "sqlite"
        self.framework = growth_queries.current()
        self.by_id = {p.pk: p for p in org.people}
        self.ids: dict[type[Model], int] = {model: _next_id(model) for model in MODELS}
        self.plans: list[_Plan] = []
        self.steps: dict[tuple[str, int], Step] = {}
        self.track_of: dict[int, str] = {}
        self.competency_pk: dict[str, int] = {}
        if self.framework is not None:
            self.steps = {(s.track.key, s.profile.level): s for s in self.framework.steps}
            for track in self.framework.tracks:
                for role in track.roles.all():
                    self.track_of[role.pk] = track.key
            self.competency_pk = {c.key: c.pk for c in self.framework.competencies}
        self.order = list(self.competency_pk)

    def between(self, low: int, high: int) -> int:
        """`randint`, at a fraction of its cost (it is called some hundred thousand times)."""
        return low + int(self.rng.random() * (high - low + 1))

    def new_id(self, model: type[Model]) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    def moment(self, day: date) -> datetime:
        """A working-hours moment on `day` (in the time zone `plans.activity` dates writes in),
        in UTC, never later than now."""
        noon = self.noons.get(day)
        if noon is None:
            local = datetime.combine(day, time(12), tzinfo=self.zone)
            noon = self.noons[day] = local.astimezone(UTC)
        return min(noon + timedelta(minutes=self.between(-240, 359)), self.now)

    # Who keeps a plan.

    def personas(self) -> set[int]:
        """The picker's employee, manager and HR, the benchmark's manager (the one with the
        most reports) and their first report without reports of their own, and hr@."""
        from accounts.demo import demo_personas

        org = self.org
        with translation.override("en"):
            picked = {str(p.label): p.person.pk for p in demo_personas()}
        chosen = {picked[label] for label in ("Employee", "Manager", "HR") if label in picked}
        chosen.add(org.hr.pk)
        if org.reports:
            top = min(org.reports, key=lambda pk: (-len(org.reports[pk]), pk))
            chosen.add(top)
            has_reports = {p.manager_id for p in org.people if p.manager_id}
            plain = sorted(p.pk for p in org.reports[top] if p.pk not in has_reports)
            chosen.update(plain[:1])
        current = {p.pk for p in org.current}
        return chosen & current

    def plan(self) -> None:
        org, rng = self.org, self.rng
        personas = self.personas()
        cultures: dict[int | None, float] = {}
        for team in org.teams:
            _weight, low, high = rng.choices(CULTURES, [c[0] for c in CULTURES])[0]
            cultures[team.pk] = rng.uniform(low, high)
        for pk in personas:  # their teams keep plans: a manager persona has plans to read
            cultures[self.by_id[pk].team_id] = 0.9
        managers = sorted({p.manager_id for p in org.people if p.manager_id})
        self.coaching = {
            pk: rng.choices([c[1] for c in COACHING], [c[0] for c in COACHING])[0]
            for pk in managers
        }
        for person in org.people:
            self.person(person, cultures[person.team_id], person.pk in personas)
        self.learning_goals()
        self.org.counts.update(
            {
                "development plans": len(self.plans),
                "development actions": sum(len(p.actions) for p in self.plans),
            }
        )

    def person(self, person: Person, culture: float, story: bool) -> None:
        rng, org = self.rng, self.org
        assert person.start_date is not None  # the demo dates everyone
        first = max(
            org.history_start, person.start_date + timedelta(self.between(*ONBOARDING_DAYS))
        )
        last = self.today
        if person.leave_date is not None:
            last = min(last, person.leave_date - timedelta(days=1))
            culture *= LEAVER_PLAN
        if story:  # from their first week, and at most a year or so back
            first = max(org.history_start, person.start_date + timedelta(days=7))
            first, culture = min(max(first, self.today - timedelta(days=400)), last), 1.0
        if first > last or rng.random() >= culture:
            return
        who = _Person(story or rng.random() < culture, story, last)
        if person.leave_date is not None and rng.random() < LEAVER_DRIFT:
            # Drifted off before they went: their plan was last touched months before.
            who.drift = person.leave_date - timedelta(days=self.between(120, 480))
        start = first + timedelta(days=int(rng.expovariate(1 / (45 if who.keen else 90))))
        if story:
            start = first
        if start > min(who.drift, last):
            return
        plan = _Plan(self.new_id(Plan), person)
        self.plans.append(plan)
        self.aim(plan)
        # Episodes: now and then they come back to the plan.
        episodes, day = [], start
        while day <= min(who.drift, last):
            episodes.append(day)
            if not story and rng.random() < (0.08 if who.keen else 0.25):
                who.drift = min(who.drift, day + timedelta(days=self.between(20, 120)))
                break
            day += timedelta(days=self.between(90, 200) if who.keen else self.between(150, 360))
        if story and episodes[-1] < self.today - timedelta(days=30):
            episodes.append(self.today - timedelta(days=self.between(7, 25)))
        until = min(who.drift, last)
        for number, day in enumerate(episodes):
            self.episode(plan, who, day, until, first=number == 0)
        if until < last and rng.random() < 0.4:
            # Some leave their plan tidy when they stop: nothing left open.
            for action in plan.actions:
                if action.status in OPEN and action.stalled_by(until):
                    self.step(plan, action, until, until, DONE if rng.random() < 0.5 else DROPPED)
        if story:
            self.story(plan)
        if not story and person.leave_date is None and rng.random() < 0.06:
            self.share(plan, episodes[-1], until)

    def aim(self, plan: _Plan) -> None:
        """The ambition, the target step and the focus competencies."""
        rng, person = self.rng, plan.person
        own = self.steps.get((self.track_of.get(person.role_id or 0, ""), person.level or 0))
        target, where = None, "none"
        if own is not None:
            track, level = own.track.key, own.profile.level
            up = self.steps.get((track, level + 1))
            across = [
                step
                for (key, number), step in self.steps.items()
                if key != track and level <= number <= level + 1
            ]
            roll = rng.random()
            if up is not None and roll < 0.82:
                target, where = up, "up"
            elif across and roll < (0.95 if up is not None else 0.45):
                target, where = rng.choice(across), "across"
            elif up is not None:
                target, where = up, "up"
        plan.target = target
        if rng.random() < 0.92:
            title = target.profile.title if target else ""
            options = [a for a in AMBITIONS[where] if target or "{title}" not in a]
            plan.ambition = rng.choice(options).format(title=title)
        count = rng.choices((1, 2, 3), (25, 45, 30))[0]
        if target is not None:
            # What the target expects more of than their own step, the biggest gaps first.
            mine = own.expected if own else {}
            gaps = [
                (target.expected[k] - mine.get(k, 0), k) for k in self.order if k in target.expected
            ]
            ahead = sorted((g for g in gaps if g[0] > 0), key=lambda g: -g[0] - rng.random())
            rest = [k for gap, k in gaps if gap <= 0]
            rng.shuffle(rest)
            plan.focus = ([k for _gap, k in ahead] + rest)[:count]
        elif self.order:
            keys = [k for k in self.order if own is None or k in own.expected]
            plan.focus = rng.sample(keys, min(count, len(keys)))
        plan.focused = frozenset(plan.focus)

    # The plan over time.

    def episode(self, plan: _Plan, who: _Person, day: date, until: date, *, first: bool) -> None:
        """They (re)work the plan on `day`: the plan itself, a few actions, and then, as long
        as they keep at it (to `until`), those actions move on."""
        rng = self.rng
        if first or rng.random() < 0.3:
            plan.writes.append(self.moment(day))
        # What they forgot is done or dropped now (or forgotten a while longer).
        for action in plan.actions:
            if action.status in OPEN and action.stalled_by(day) and rng.random() < 0.8:
                self.step(plan, action, day, until, DONE if rng.random() < 0.55 else DROPPED)
        taken = {a.title for a in plan.actions}
        count = rng.choices((1, 2, 3), (40, 40, 20))[0] + (1 if first else 0)
        for _ in range(count):
            added = day + timedelta(days=self.between(0, 3))
            if added > until:
                break
            self.action(plan, who, added, until, taken)

    def action(self, plan: _Plan, who: _Person, day: date, until: date, taken: set[str]) -> None:
        rng = self.rng
        kind = rng.choices(KINDS, cum_weights=KIND_CUMULATIVE)[0]
        options = [t for t in ACTIONS[kind] if t[0] not in taken]
        focused = [t for t in options if not plan.focused.isdisjoint(t[1])]
        if focused and rng.random() < 0.75:
            options = focused
        if not options:
            return
        title = rng.choice(options)[0]
        taken.add(title)
        created = self.moment(day)
        due: date | None = None
        if rng.random() > (0.25 if kind in (ActionKind.MENTORING, ActionKind.READING) else 0.04):
            due = day + timedelta(days=self.between(*DUE_DAYS[kind]))
            if plan.person.leave_date is not None:
                due = max(day, min(due, plan.person.leave_date - timedelta(days=1)))
        action = _Action(self.new_id(PlanAction), kind, title, created, due)
        plan.actions.append(action)
        plan.writes.append(created)
        if rng.random() < 0.35:
            action.support = rng.choice(SUPPORT)
        cost = COSTS.get(kind)
        if cost is not None and rng.random() < cost[0]:
            _share, low, high, unit = cost
            action.cost = Decimal(round(rng.uniform(low, high) / unit) * unit) * Decimal("1.00")
        self.coach(plan, action, day)

        # How it goes, as long as they keep at it: most are done (some late), some dropped,
        # some forgotten (until the next episode tidies them up).
        end = due or day + timedelta(days=self.between(30, 150))
        half = max(1, (end - day).days // 2)
        roll = rng.random()
        if roll < 0.7 or who.story:
            if rng.random() < 0.5:
                self.step(plan, action, day + timedelta(self.between(1, half)), until, IN_PROGRESS)
            finished = end + timedelta(days=self.between(-25, 8))
            if roll > 0.58 and not who.story:
                finished = end + timedelta(days=self.between(10, 60))
            self.step(plan, action, max(finished, day + timedelta(days=1)), until, DONE)
        elif roll < 0.82:
            dropped = day + timedelta(self.between(10, max(11, (end - day).days)))
            self.step(plan, action, dropped, until, DROPPED)
        elif rng.random() < 0.4:
            self.step(plan, action, day + timedelta(self.between(1, 30)), until, IN_PROGRESS)

    def step(self, plan: _Plan, action: _Action, day: date, until: date, status: str) -> None:
        """The owner moves the action on, if they still write to their plan then."""
        if day > until or (action.transitions and action.transitions[-1][0].date() >= day):
            return
        when = self.moment(day)
        if when <= action.created:
            return
        action.move(when, status)
        plan.writes.append(when)

    def coach(self, plan: _Plan, action: _Action, day: date) -> None:
        """Their manager comments on the action, and confirms the support it asks."""
        rng = self.rng
        manager_id = plan.person.manager_id
        if manager_id is None or rng.random() >= self.coaching.get(manager_id, 0):
            return
        manager = self.by_id[manager_id]
        on = day + timedelta(days=self.between(1, 20))
        last = plan.person.leave_date or self.today + timedelta(days=1)
        if on >= last or on > self.today or not self.org.employed_on(manager, on):
            return
        when = self.moment(on)
        if when <= action.created:
            return
        comment = rng.random() < 0.8 or not action.support
        if comment:
            action.comment, action.commented_by = rng.choice(COMMENTS), manager_id
        if action.support and (rng.random() < 0.85 or not comment):
            action.confirmed_at, action.confirmed_by = when, manager_id
        action.updated = max(action.updated, when)
        plan.writes.append(when)

    def story(self, plan: _Plan) -> None:
        """A persona's plan: lately, a course done and a book now past due, still open."""
        begun = timezone.localdate(min(plan.writes), self.zone)
        added = max(begun, self.today - timedelta(days=100))
        if added > self.today - timedelta(days=8):
            return  # too new a plan for a story
        taken = {a.title for a in plan.actions}
        course = next(t for t, _keys in ACTIONS[ActionKind.COURSE] if t not in taken)
        book = next(t for t, _keys in ACTIONS[ActionKind.READING] if t not in taken)
        due = min(added + timedelta(days=30), self.today - timedelta(days=3))
        done = _Action(
            self.new_id(PlanAction), ActionKind.COURSE.value, course, self.moment(added), due
        )
        done.cost = Decimal("450.00")
        self.step(plan, done, due, self.today, DONE)
        due = min(added + timedelta(days=40), self.today - timedelta(days=5))
        late = _Action(
            self.new_id(PlanAction), ActionKind.READING.value, book, self.moment(added), due
        )
        plan.actions += [done, late]
        plan.writes += [done.created, late.created]

    def share(self, plan: _Plan, day: date, until: date) -> None:
        """Shared with a colleague on their team (a mentor, say)."""
        rng = self.rng
        person = plan.person
        colleagues = [
            p for p in self.org.reports.get(person.manager_id or 0, []) if p.pk != person.pk
        ]
        if not colleagues:
            return
        colleague = rng.choice(colleagues)
        on = max(day, colleague.start_date or day) + timedelta(days=self.between(0, 10))
        if on > until:
            return
        when = self.moment(on)
        plan.shares.append((colleague.pk, when))
        plan.writes.append(when)

    def learning_goals(self) -> None:
        """A few plans link learning goals their owner made while they kept the plan."""
        owners = {plan.person.pk: plan for plan in self.plans}
        goals = (
            Objective.objects.filter(kind=GoalKind.LEARNING, owner_person__isnull=False)
            .order_by("pk")
            .values_list("pk", "owner_person_id", "created_at", "title")
        )
        linked: dict[int, list[int]] = {}
        for pk, owner, created, title in goals.iterator(chunk_size=5000):
            plan = owners.get(owner)
            if plan is None or not plan.writes or self.rng.random() >= 0.4:
                continue
            person = plan.person
            writes = sorted(plan.writes)
            if not writes[0] < created <= writes[-1]:
                continue  # made while they kept the plan
            if (
                person.leave_date is not None
                and timezone.localdate(created, self.zone) >= person.leave_date
            ):
                continue
            plan.goals.append(pk)
            plan.writes.append(created)
            key = LEARNING_COMPETENCIES.get(title)
            if key in self.competency_pk:
                linked.setdefault(self.competency_pk[key], []).append(pk)
        self.competencies = linked

    # Writing.

    def day(self, value: date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        text = self.days.get(value)
        if text is None:
            text = self.days[value] = value.isoformat()
        return text

    def stamp(self, value: datetime | None) -> Any:
        """A moment (in UTC) as Django writes it: SQLite's text is "2025-03-04 09:30:00"."""
        if value is None or not self.sqlite:
            return value
        return value.replace(tzinfo=None).isoformat(" ")

    def json(self, value: object) -> Any:
        return json.dumps(value) if self.sqlite else connection.ops.adapt_json_value(value, None)

    def writes_of(self, plan: _Plan) -> list[tuple[date, date | None]]:
        """The plan's writes in order: each one's day, and the latest due date of an action
        it left open."""
        events = []  # (when, action, its due date while open, else None)
        for action in plan.actions:
            events.append((action.created, action.pk, action.due))
            events += [
                (when, action.pk, action.due if status in OPEN else None)
                for when, status in action.transitions
            ]
        events.sort(key=lambda e: e[0])
        dues: dict[int, date | None] = {}
        writes, number = [], 0
        for when in sorted(plan.writes):
            while number < len(events) and events[number][0] <= when:
                _when, pk, due = events[number]
                dues[pk] = due
                number += 1
            last = max((due for due in dues.values() if due is not None), default=None)
            writes.append((timezone.localdate(when, self.zone), last))
        return writes

    def write(self) -> None:
        plans, actions, periods, goals, shares = [], [], [], [], []
        new_id = self.new_id
        for plan in self.plans:
            moments = sorted(plan.writes)
            target = plan.target
            plans.append(
                (
                    plan.pk,
                    plan.person.pk,
                    plan.ambition,
                    target.track.key if target else "",
                    target.profile.level if target else None,
                    self.json(plan.focus),
                    self.stamp(moments[0]),
                    self.stamp(moments[-1]),
                )
            )
            for a in plan.actions:
                actions.append(
                    (
                        a.pk,
                        plan.pk,
                        a.kind,
                        a.title,
                        a.status,
                        self.day(a.due),
                        a.support,
                        a.cost,
                        a.comment,
                        a.commented_by,
                        self.stamp(a.confirmed_at),
                        a.confirmed_by,
                        self.stamp(a.created),
                        self.stamp(a.updated),
                    )
                )
            writes = self.writes_of(plan)
            for start, end in periods_of(writes, self.today, plan.person.leave_date):
                periods.append((new_id(PlanActivePeriod), plan.pk, self.day(start), self.day(end)))
            goals += [(new_id(PlanGoal), plan.pk, objective) for objective in plan.goals]
            shares += [
                (new_id(PlanShare), plan.pk, person, self.stamp(when))
                for person, when in plan.shares
            ]
        insert_rows(Plan, PLAN_FIELDS, plans)
        insert_rows(PlanAction, ACTION_FIELDS, actions)
        insert_rows(PlanActivePeriod, PERIOD_FIELDS, periods)
        insert_rows(PlanGoal, GOAL_FIELDS, goals)
        insert_rows(PlanShare, SHARE_FIELDS, shares)
        for competency, objectives in sorted(self.competencies.items()):
            for first in range(0, len(objectives), 500):
                Objective.objects.filter(pk__in=objectives[first : first + 500]).update(
                    competency_id=competency
                )
        self.org.counts["active periods"] = len(periods)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS)
                cursor.execute(f"ANALYZE {tables}")


PLAN_FIELDS = (
    "id",
    "person",
    "ambition",
    "target_track",
    "target_level",
    "focus",
    "created_at",
    "updated_at",
)
ACTION_FIELDS = (
    "id",
    "plan",
    "kind",
    "title",
    "status",
    "due_date",
    "support",
    "cost",
    "manager_comment",
    "commented_by",
    "support_confirmed_at",
    "support_confirmed_by",
    "created_at",
    "updated_at",
)
PERIOD_FIELDS = ("id", "plan", "start", "end")
GOAL_FIELDS = ("id", "plan", "objective")
SHARE_FIELDS = ("id", "plan", "person", "created_at")


def _next_id(model: type[Model]) -> int:
    top: int | None = model._default_manager.aggregate(top=Max("pk"))["top"]
    return (top or 0) + 1


@history_builder
def plan_history(org: DemoOrg) -> None:
    planner = Planner(org)
    planner.plan()
    planner.write()
