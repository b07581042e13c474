"""Goals for the demo organisation: a company that has worked with goals for years.

Every quarter of the demo's history has 3 or 4 company goals; every team has goals aligned to
its parent team's (a division's to the company's); and everyone who worked here then has
goals aligned to their team's. Most are result goals with measurable or milestone key
results; some are behavioural or learning goals with a progress figure of their own.

The last `FULL_QUARTERS` quarters (this one included) have the full story: 1 to 3 goals a
person, progress updates along plausible curves with confidence and the odd comment, a few
adjusted goals, at-risk and stale ones now. Older quarters are thinner, to keep the demo fast
at 10,000 people: goals caught on over time (from 40 % of teams and people in the first
quarter to 90 % before the last year), one goal a person with one key result and a final
update. Past goals are closed: done with a final score, or dropped.

Like `people.demo`, everything is planned in Python with ids assigned up front (so alignment
paths are known); the same seed gives the same goals. The plan holds plain values (slotted
objects, tuples), written with `insert_rows`: at 10,000 people that is over half a million rows,
and building and compiling a model instance for each took most of the demo's time.
"""

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from goals import progress as maths
from goals.models import (
    Adjustment,
    KeyResult,
    Kind,
    Objective,
    ProgressUpdate,
    Status,
    Visibility,
    quarter_of,
)
from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from people.models import ids_in

FULL_QUARTERS = 4
MODELS = (Objective, KeyResult, ProgressUpdate, Adjustment)
KINDS, VISIBILITIES = list(Kind), list(Visibility)

# --- What goals are about ----------------------------------------------------------------------
# A theme is an objective and its key results: (title, unit, start, target) for a measurable
# one, (title,) for a milestone. The numbers are varied a little for each goal.

COMPANY_THEMES = (
    ("Grow annual recurring revenue", [("ARR", "M€", 42, 48), ("New customers", "", 0, 180)]),
    (
        "Keep and grow our customers",
        [("Net revenue retention", "%", 104, 110), ("Logo churn", "%", 3.2, 2.4)],
    ),
    (
        "Make the product a joy to use",
        [("Net promoter score", "", 31, 40), ("Tickets per 100 customers", "", 14, 10)],
    ),
    (
        "Be a great place to work",
        [("Engagement score", "/10", 7.3, 7.8), ("Regretted attrition", "%", 8.5, 6.0)],
    ),
    (
        "Scale reliably and securely",
        [("Uptime", "%", 99.8, 99.95), ("ISO 27001 certificate renewed",)],
    ),
    ("Run an efficient company", [("Gross margin", "%", 72, 76), ("Burn multiple", "x", 1.6, 1.2)]),
)

THEMES = {
    "Engineering": (
        (
            "Make checkout faster",
            [("p95 API latency", "ms", 450, 250), ("Error rate", "%", 1.2, 0.5)],
        ),
        (
            "Ship the new billing engine",
            [
                ("Billing engine live for new customers",),
                ("Invoices on the new engine", "%", 0, 100),
            ],
        ),
        (
            "Release with confidence",
            [("Deploys per week", "", 6, 15), ("Change failure rate", "%", 18, 8)],
        ),
        (
            "Pay down technical debt",
            [("Open critical bugs", "", 40, 10), ("Test coverage", "%", 62, 75)],
        ),
        ("Keep the platform up", [("Uptime", "%", 99.8, 99.95), ("Incidents per month", "", 6, 2)]),
        (
            "Secure by default",
            [("Critical vulnerabilities open", "", 12, 0), ("SOC 2 controls automated",)],
        ),
        (
            "Improve the developer experience",
            [("CI pipeline time", "min", 28, 12), ("Developer satisfaction", "/10", 6.2, 7.5)],
        ),
    ),
    "Product": (
        (
            "Help new customers succeed in their first week",
            [("Activation rate", "%", 34, 45), ("New onboarding flow released",)],
        ),
        (
            "Understand our customers better",
            [("Customer interviews", "", 0, 24), ("Research repository launched",)],
        ),
        (
            "Make reporting useful",
            [("Weekly users of reports", "%", 21, 35), ("Report load time", "s", 6.5, 2.0)],
        ),
        ("Grow self-service upgrades", [("Self-service upgrades per month", "", 80, 140)]),
        (
            "A design system everyone uses",
            [("Screens on the design system", "%", 40, 80), ("Accessibility audit passed",)],
        ),
    ),
    "Sales": (
        ("Grow new business", [("New ARR", "k€", 0, 900), ("Qualified pipeline", "k€", 0, 3000)]),
        (
            "Win bigger deals",
            [("Average deal size", "k€", 38, 50), ("Deals above 100 k€", "", 0, 6)],
        ),
        (
            "Build a healthy pipeline",
            [("Qualified meetings", "", 0, 120), ("Pipeline coverage", "x", 2.1, 3.0)],
        ),
        ("Shorten the sales cycle", [("Days to close", "days", 74, 55)]),
        (
            "Grow through partners",
            [("Partner-sourced deals", "", 0, 15), ("Two new reseller agreements signed",)],
        ),
    ),
    "Marketing": (
        (
            "Fill the funnel",
            [("Marketing-qualified leads", "", 0, 1500), ("Cost per lead", "€", 140, 100)],
        ),
        (
            "Launch the spring release",
            [("Launch campaign live",), ("Launch page visits", "", 0, 40000)],
        ),
        (
            "Grow organic traffic",
            [("Organic visits per month", "k", 85, 120), ("Keywords in the top 3", "", 40, 75)],
        ),
        (
            "Make the brand known",
            [("Aided brand awareness", "%", 12, 18), ("Share of voice", "%", 8, 12)],
        ),
        (
            "Run memorable events",
            [("Event registrations", "", 0, 2500), ("Attendee satisfaction", "/10", 7.8, 8.5)],
        ),
    ),
    "Customer success": (
        (
            "Keep the customers we have",
            [("Gross revenue retention", "%", 88, 93), ("Accounts at risk", "", 45, 20)],
        ),
        (
            "Answer customers fast",
            [("First response time", "h", 9, 4), ("Customer satisfaction", "%", 86, 92)],
        ),
        (
            "Get customers live sooner",
            [("Days to go live", "days", 48, 30), ("Implementations completed", "", 0, 40)],
        ),
        ("Grow our accounts", [("Expansion ARR", "k€", 0, 400), ("Renewals on time", "%", 82, 95)]),
        (
            "Help customers help themselves",
            [("Questions answered by the help centre", "%", 22, 35), ("New help centre live",)],
        ),
    ),
    "Operations": (
        (
            "Onboard people smoothly",
            [("Laptops ready on day one", "%", 78, 98), ("Tickets solved in a day", "%", 65, 85)],
        ),
        (
            "Spend less on tools",
            [("SaaS spend", "k€/month", 210, 170), ("Licence audit finished",)],
        ),
        (
            "Be ready for the audit",
            [("ISO 27001 surveillance audit passed",), ("Open audit findings", "", 14, 0)],
        ),
        ("Sign contracts faster", [("Days to sign a standard contract", "days", 12, 6)]),
        (
            "A workplace people enjoy",
            [("Office satisfaction", "/10", 7.1, 8.0), ("Desk occupancy", "%", 45, 60)],
        ),
    ),
    "Finance": (
        ("Close the books faster", [("Days to close the month", "days", 9, 5)]),
        (
            "Forecasts we can trust",
            [("Forecast accuracy", "%", 85, 95), ("Rolling forecast in place",)],
        ),
        (
            "Get paid on time",
            [("Days sales outstanding", "days", 52, 40), ("Overdue invoices", "k€", 850, 400)],
        ),
        ("Spend within budget", [("Operating expenses against budget", "%", 104, 100)]),
        (
            "Automate payroll",
            [("Manual payroll corrections", "", 35, 10), ("New payroll provider live in the UK",)],
        ),
    ),
    "People": (
        ("Hire the people we need", [("Hires", "", 0, 60), ("Days to hire", "days", 52, 40)]),
        (
            "Grow our leaders",
            [("Managers in the leadership programme", "", 0, 40), ("New-manager course run",)],
        ),
        (
            "Make development a habit",
            [("People with a development plan", "%", 35, 70), ("Check-ins held", "%", 60, 85)],
        ),
        (
            "Keep the people we want to keep",
            [("Regretted attrition", "%", 8.5, 6.0), ("Engagement score", "/10", 7.3, 7.8)],
        ),
        (
            "Pay fairly",
            [("Pay equity review published",), ("Roles with salary bands", "%", 60, 100)],
        ),
    ),
}

BEHAVIOURAL = (
    "Give feedback more often",
    "Run shorter, better meetings",
    "Speak up early when I am stuck",
    "Delegate more of the routine work",
    "Listen first in customer calls",
    "Coach the newer people on the team",
    "Write things down before meetings",
    "Say no to work that does not serve our goals",
)
LEARNING = (
    "Learn Kubernetes well enough to run our services",
    "Get the AWS Solutions Architect certificate",
    "Improve my Dutch to B2",
    "Learn SQL for my own analyses",
    "Complete the leadership programme",
    "Learn to negotiate",
    "Give a talk at a meetup",
    "Learn the basics of our finances",
    "Learn Python to automate my reports",
)
DESCRIPTIONS = (
    "Customers keep asking for this, and it holds back renewals.",
    "Agreed in the quarterly review as the most important thing for the team.",
    "Last quarter showed that this is where we lose the most time.",
    "Part of my development plan: agreed with my manager.",
    "It unblocks two other teams.",
)
COMMENTS = {
    "ahead": (
        "Ahead of plan.",
        "Two more signed this week.",
        "Good progress after the release.",
        "The new process is paying off.",
    ),
    "steady": (
        "Steady; nothing surprising.",
        "On plan.",
        "Waiting on the data team for the latest numbers.",
        "Mostly maintenance this sprint.",
    ),
    "behind": (
        "Blocked by the migration; asked for help.",
        "Lost a big one; recovering.",
        "Less time than planned: on call this week.",
        "Need to discuss priorities in our next check-in.",
    ),
}
REASONS = {
    "lowered": (
        "The budget was cut: the original target is out of reach.",
        "The market shifted; the old number no longer made sense.",
        "Two people moved to the platform project.",
        "Agreed with my manager in our monthly check-in.",
    ),
    "raised": (
        "We were ahead of plan and raised the target.",
        "The launch went better than expected.",
        "Agreed with my manager in our monthly check-in.",
    ),
}


# --- Helpers ------------------------------------------------------------------------------


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _quarters(first: date, last: date) -> list[tuple[date, date]]:
    quarters, day = [], first
    while day <= last:
        quarters.append(quarter_of(day))
        day = quarters[-1][1] + timedelta(days=1)
    return quarters


def _moment(day: date, rng) -> datetime:
    """A working-hours moment on `day`."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=UTC)


def _number(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _places(*numbers) -> int:
    return max(len(str(n).partition(".")[2]) if isinstance(n, float) else 0 for n in numbers)


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")


@flush_step
def delete_goals() -> None:
    """All goals go with the people: company goals have no owner to cascade from, and
    deleting row by row through the ORM would load every goal first."""
    with connection.cursor() as cursor:
        for model in (ProgressUpdate, Adjustment, KeyResult, Objective):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


# --- The plan ---------------------------------------------------------------------------------
# Goals and key results change while their history is planned (status, progress, the latest
# activity), so they are small slotted objects; updates and adjustments are final when planned,
# so they are tuples at once. Either way, values are as the database takes them when written.

OBJECTIVE_FIELDS = (
    "id",
    "title",
    "description",
    "kind",
    "owner_person",
    "owner_team",
    "start_date",
    "end_date",
    "status",
    "visibility",
    "parent",
    "path",
    "manual_progress",
    "progress_cache",
    "final_score",
    "created_by",
    "created_at",
    "last_activity_at",
)
KEY_RESULT_FIELDS = (
    "id",
    "objective",
    "title",
    "type",
    "start_value",
    "target_value",
    "current_value",
    "unit",
    "direction",
    "done",
    "weight",
    "position",
    "updated_at",
)
UPDATE_FIELDS = (
    "id",
    "objective",
    "key_result",
    "value",
    "done",
    "confidence",
    "comment",
    "author",
    "created_at",
)
ADJUSTMENT_FIELDS = ("id", "objective", "reason", "changes", "author", "created_at")
ONE = Decimal(1)
METRIC, MILESTONE = KeyResult.Type.METRIC.value, KeyResult.Type.MILESTONE.value
INCREASE, DECREASE = KeyResult.Direction.INCREASE.value, KeyResult.Direction.DECREASE.value


class _Goal:
    """An objective in the plan."""

    __slots__ = (
        "created_at",
        "created_by",
        "description",
        "end",
        "final_score",
        "kind",
        "last_activity_at",
        "manual_progress",
        "owner_person",
        "owner_team",
        "parent",
        "path",
        "pk",
        "progress_cache",
        "start",
        "status",
        "title",
        "visibility",
    )

    def __init__(self, pk, title, description, kind, owner_person, owner_team, start, end) -> None:
        self.pk, self.title, self.description, self.kind = pk, title, description, kind
        self.owner_person, self.owner_team, self.start, self.end = (
            owner_person,
            owner_team,
            start,
            end,
        )
        self.status: str = Status.ON_TRACK
        self.visibility: str = Visibility.PUBLIC
        self.parent: int | None = None
        self.path = "/"
        self.manual_progress: Decimal | None = None
        self.progress_cache: float | None = None
        self.final_score: Decimal | None = None
        self.created_by: int | None = None
        self.created_at = self.last_activity_at = datetime.min


class _Result:
    """A key result in the plan; `places` is how its values are written."""

    __slots__ = (
        "current_value",
        "direction",
        "done",
        "objective",
        "pk",
        "places",
        "position",
        "start_value",
        "target_value",
        "title",
        "type",
        "unit",
        "updated_at",
    )

    def __init__(self, pk, objective, title, type, position, updated_at) -> None:
        self.pk, self.objective, self.title, self.type = pk, objective, title, type
        self.position, self.updated_at = position, updated_at
        self.start_value: Decimal | None = None
        self.target_value: Decimal | None = None
        self.current_value: Decimal | None = None
        self.unit, self.direction, self.done, self.places = "", INCREASE, False, 0


# --- The builder --------------------------------------------------------------------------


class _Goals:
    """Plans the goals in memory, then writes them."""

    def __init__(self, org: DemoOrg):
        self.org, self.rng = org, org.random("goals")
        self.now = timezone.now()
        self.sqlite = connection.vendor == "sqlite"
        self.days: dict[date, str] = {}
        self.ids = {model: _next_id(model) for model in MODELS}
        self.goals: list[_Goal] = []
        self.results: list[_Result] = []
        self.updates: list[tuple] = []
        self.adjustments: list[tuple] = []
        self.managers = {p.pk: p.manager_id for p in org.people}
        teams = {t.pk: t for t in org.teams}
        self.division: dict[int, str | None] = {}
        for team in org.teams:
            path = ids_in(team.path)
            self.division[team.pk] = teams[path[1]].name if len(path) > 1 else None

    def new_id(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    # Values as the database takes them.

    def day(self, value: date):
        if not self.sqlite:
            return value
        text = self.days.get(value)
        if text is None:
            text = self.days[value] = value.isoformat()
        return text

    def stamp(self, value: datetime):
        """A moment (in UTC) as Django writes it: SQLite's text is "2025-03-04 09:30:00"."""
        return value.replace(tzinfo=None).isoformat(" ") if self.sqlite else value

    def json(self, value):
        return json.dumps(value) if self.sqlite else connection.ops.adapt_json_value(value, None)

    def build(self) -> None:
        org, rng = self.org, self.rng
        quarters = _quarters(org.history_start, org.today)
        full_from = len(quarters) - FULL_QUARTERS
        root = org.teams[0]
        for number, (start, end) in enumerate(quarters):
            full = number >= full_from
            # Goals caught on over the years: a share of teams and people used them at first.
            adoption = 1.0 if full else 0.4 + 0.5 * number / max(1, full_from - 1)
            company = [
                self.goal(
                    theme,
                    start,
                    end,
                    full,
                    owner_team=None,
                    author=org.ceo.pk,
                    visibility=Visibility.PUBLIC,
                )
                for theme in rng.sample(COMPANY_THEMES, rng.choice((3, 4)))
            ]
            by_team: dict[int | None, list[_Goal]] = {root.pk: company}
            for team in org.teams[1:]:  # top down: a parent team's goals come first
                if rng.random() > adoption:
                    continue
                above = by_team.get(team.parent_id) or company
                division = self.division[team.pk]
                assert division is not None  # every team below the top is in a division
                themes = THEMES[division]
                assert team.lead_id is not None  # the demo gives every team a lead
                if team.parent_id == root.pk:
                    count = rng.choice((2, 3)) if full else 2
                else:
                    count = rng.choice((1, 1, 2)) if full else 1
                by_team[team.pk] = [
                    self.goal(
                        theme if full else (theme[0], theme[1][:1]),
                        start,
                        end,
                        full,
                        owner_team=team.pk,
                        author=team.lead_id,
                        parent=rng.choice(above),
                        visibility=rng.choice((Visibility.PUBLIC, Visibility.TEAM)),
                    )
                    for theme in rng.sample(themes, min(count, len(themes)))
                ]
            for person in org.people:
                if not self.works_in(person, start, end) or rng.random() > adoption:
                    continue
                count = rng.choices((1, 2, 3), (50, 38, 12))[0] if full else 1
                for index in range(count):
                    self.personal_goal(person, index, start, end, full, by_team, company)
        self.org.counts.update(
            goals=len(self.goals),
            **{
                "key results": len(self.results),
                "progress updates": len(self.updates),
                "adjustments": len(self.adjustments),
            },
        )

    @staticmethod
    def works_in(person, start: date, end: date) -> bool:
        return (person.start_date is None or person.start_date <= end) and (
            person.leave_date is None or person.leave_date > start
        )

    def personal_goal(self, person, index, start, end, full, by_team, company):
        rng = self.rng
        kind = Kind.RESULT if index == 0 else rng.choices(KINDS, (65, 20, 15))[0]
        team_goals = by_team.get(person.team_id) or company
        if kind == Kind.RESULT:
            theme = rng.choice(THEMES.get(self.division.get(person.team_id), COMPANY_THEMES))
            title, results = theme
            count = rng.choices((1, 2, 3), (40, 45, 15))[0] if full else 1
            results = rng.sample(results, min(len(results), count))
            parent = rng.choice(team_goals) if rng.random() < 0.8 else None
        else:
            title = rng.choice(BEHAVIOURAL if kind == Kind.BEHAVIOURAL else LEARNING)
            results, parent = [], rng.choice(team_goals) if rng.random() < 0.2 else None
        author = person.pk
        if person.manager_id and rng.random() < 0.15:
            author = person.manager_id
        visibility = rng.choices(VISIBILITIES, (45, 47, 8))[0]
        self.goal(
            (title, results),
            start,
            end,
            full,
            owner_person=person,
            author=author,
            parent=parent,
            visibility=visibility,
            kind=kind,
        )

    def goal(
        self,
        theme,
        start: date,
        end: date,
        full: bool,
        *,
        author: int,
        visibility: str,
        owner_person=None,
        owner_team: int | None = None,
        parent: _Goal | None = None,
        kind: str = Kind.RESULT,
    ) -> _Goal:
        rng, today = self.rng, self.org.today
        title, specs = theme
        pk = self.new_id(Objective)
        # Until when there is news: the quarter's end, today, or the owner's last day.
        last_day = min(end, today - timedelta(days=1))
        first_day = start
        if owner_person is not None:
            if owner_person.start_date and owner_person.start_date > start:
                first_day = owner_person.start_date
            if owner_person.leave_date:
                last_day = min(last_day, owner_person.leave_date - timedelta(days=1))
        created = _moment(first_day + timedelta(days=rng.randint(0, 6)), rng)
        if created > self.now:
            created = self.now - timedelta(hours=1)
        current = start <= today <= end
        left = owner_person is not None and owner_person.leave_date is not None

        # How it goes: a share of the target by the end (past) or a pace (now), and its curve.
        left_then = left and end >= owner_person.leave_date
        reach, dropped = self.outcome(current and not left, left_then)
        if dropped:
            last_day = min(last_day, start + (last_day - start) / 2)
        stale = current and rng.random() < 0.15
        if stale:
            last_day = min(last_day, today - timedelta(days=rng.randint(22, 60)))
        curve = rng.uniform(0.6, 1.2)
        length = max((end - start).days, 1)

        results = [
            self.key_result(pk, spec, position, created) for position, spec in enumerate(specs)
        ]
        goal = _Goal(
            pk,
            title,
            rng.choice(DESCRIPTIONS) if rng.random() < 0.4 else "",
            kind,
            owner_person.pk if owner_person else None,
            owner_team,
            start,
            end,
        )
        goal.visibility, goal.parent = visibility, parent.pk if parent else None
        # The materialised path, as `MaterialisedPath.save()` computes it.
        goal.path = f"{parent.path if parent else '/'}{pk}/"
        goal.created_by, goal.created_at = author, created
        self.goals.append(goal)

        # Check-ins along the way.
        updates, new_id = self.updates, self.new_id
        base = max(first_day, created.date())
        offsets = self.check_in_days((last_day - base).days, length, full, current)
        adjust_at = len(offsets) // 2 if full and len(offsets) >= 2 and rng.random() < 0.06 else -1
        manual, goal_day, activity = 0.0, base, created
        for number, offset in enumerate(offsets):
            day = goal_day = base + timedelta(days=offset)
            moment = _moment(day, rng)
            stamp = self.stamp(moment)
            elapsed = (day - start).days / length
            done_share = min(1.2, reach * elapsed**curve + rng.gauss(0, 0.02))
            expected = maths.expected_progress(start, end, day)
            mood = (
                "ahead"
                if done_share > expected + 0.05
                else "behind"
                if done_share < expected - 0.15
                else "steady"
            )
            confidence = None
            if rng.random() < 0.7:
                confidence = min(
                    10, max(1, round(7 + 8 * (done_share - expected) + rng.gauss(0, 1)))
                )
            comment = rng.choice(COMMENTS[mood]) if rng.random() < 0.25 else ""
            who = author if rng.random() < 0.9 else self.managers.get(author) or author
            changed = False
            final = number == len(offsets) - 1 and not current
            for result in results:
                if not final and rng.random() < 0.3:
                    continue  # not every number moves at every check-in
                if self.move(result, max(0.0, done_share), moment):
                    value, done = (
                        (None, True) if result.type == MILESTONE else (result.current_value, None)
                    )
                    updates.append(
                        (
                            new_id(ProgressUpdate),
                            pk,
                            result.pk,
                            value,
                            done,
                            confidence,
                            comment,
                            who,
                            stamp,
                        )
                    )
                    changed = True
            if not results:
                share = max(manual, min(1.0, done_share))
                if round(share * 100) != round(manual * 100):
                    manual = share
                    changed = True
                    goal.manual_progress = Decimal(round(manual * 100))
            if not changed or not results:
                value = goal.manual_progress if not results else None
                updates.append(
                    (new_id(ProgressUpdate), pk, None, value, None, confidence, comment, who, stamp)
                )
            activity = moment
            if number == adjust_at:
                adjusted = self.adjust(goal, results, moment + timedelta(hours=1), who)
                if adjusted is not None:
                    activity = max(activity, adjusted)

        # Where it stands now (`Objective.save()` and `refresh_progress_cache` keep the same).
        progress = maths.weighted_mean((self.progress_of(result), 1.0) for result in results)
        if not results:
            progress = None if goal.manual_progress is None else float(goal.manual_progress) / 100
        goal.progress_cache = progress
        if current and not left:
            if not stale and rng.random() < 0.8:
                # As the owner saw it at their last check-in.
                suggestion = maths.suggested_status(progress, start, end, goal_day, created.date())
                goal.status = suggestion or Status.ON_TRACK
        else:
            goal.status = Status.DROPPED if dropped else Status.DONE
            if not dropped:
                goal.final_score = Decimal(min(100, round((progress or 0) * 100)))
            closed = _moment(min(last_day + timedelta(days=rng.randint(1, 10)), today), rng)
            if closed < self.now:
                activity = max(activity, closed)
        goal.last_activity_at = activity
        return goal

    def outcome(self, running: bool, owner_left: bool) -> tuple[float, bool]:
        """How far a goal gets, and whether it was dropped. For a goal that still runs, its
        pace: 1 reaches the targets on time; for a past one, the share of its targets reached
        (half of them about all, a few far from it, some dropped)."""
        rng = self.rng
        roll = rng.random()
        if not running and (owner_left or roll < 0.07):
            return rng.uniform(0.05, 0.4), True
        if running:
            return (max(0.0, rng.gauss(1.05, 0.3)) if roll > 0.08 else rng.uniform(0, 0.1)), False
        if roll < 0.5:
            return rng.uniform(0.95, 1.15), False
        return (rng.uniform(0.55, 0.95) if roll < 0.85 else rng.uniform(0.15, 0.55)), False

    def check_in_days(self, span: int, length: int, full: bool, current: bool) -> list[int]:
        """Days (from the first day there is news) of the check-ins: a few, the last one
        recent; in the thin history only one, at the end."""
        rng = self.rng
        if span <= 3:
            return []
        if not full:
            return [span - rng.randint(0, min(6, span - 3))]
        # Fewer check-ins in a shorter time, but this quarter's are the ones people see.
        share = min(1.0, span / length * (1.7 if current else 1.0))
        count = max(1, round(rng.randint(2, 4) * share))
        last = span - rng.randint(0, min(14 if current else 8, span - 3))
        return [*sorted(rng.sample(range(3, last), min(count - 1, last - 3))), last]

    def key_result(self, goal_id: int, spec, position: int, created: datetime) -> _Result:
        rng = self.rng
        pk = self.new_id(KeyResult)
        if len(spec) == 1:
            result = _Result(pk, goal_id, spec[0], MILESTONE, position, created)
        else:
            title, unit, start, target = spec
            places = _places(start, target)
            if start and unit not in ("%", "/10"):
                start *= rng.uniform(0.8, 1.25)
            target = start + (target - start) * rng.uniform(0.8, 1.25)
            if unit == "%":
                target = min(target, 100.0)
            elif unit == "/10":
                target = min(target, 10.0)
            start_value, target_value = _number(start, places), _number(target, places)
            if start_value == target_value:
                target_value += ONE.scaleb(-places) * (1 if target >= start else -1)
            result = _Result(pk, goal_id, title, METRIC, position, created)
            result.start_value, result.target_value = start_value, target_value
            result.current_value, result.unit, result.places = start_value, unit, places
            result.direction = INCREASE if target_value > start_value else DECREASE
        self.results.append(result)
        return result

    @staticmethod
    def move(result: _Result, share: float, moment: datetime) -> bool:
        """Bring a key result to `share` of the way; False when nothing moved."""
        if result.type == MILESTONE:
            if result.done or share < 0.85:
                return False
            result.done = True
        else:
            start, target = result.start_value, result.target_value
            assert start is not None and target is not None  # a metric's, set when planned
            share_value = float(start) + float(target - start) * share
            if result.unit == "%":
                share_value = min(share_value, 100.0)
            value = _number(share_value, result.places)
            if value == result.current_value:
                return False
            result.current_value = value
        result.updated_at = moment
        return True

    @staticmethod
    def progress_of(result: _Result) -> float | None:
        if result.type == MILESTONE:
            return maths.milestone_progress(result.done)
        return maths.key_result_progress(
            result.start_value, result.target_value, result.current_value
        )

    def adjust(
        self, goal: _Goal, results: list[_Result], moment: datetime, author: int
    ) -> datetime | None:
        """The target of a measurable key result was changed, for a reason: when, or None."""
        metrics = [r for r in results if r.type == METRIC]
        if not metrics:
            return None
        result = self.rng.choice(metrics)
        # The old target was further away (lowered) or closer (raised) than the one kept.
        direction = self.rng.choice(("lowered", "raised"))
        factor = Decimal("1.25") if direction == "lowered" else Decimal("0.8")
        assert result.start_value is not None and result.target_value is not None  # a metric
        old = result.start_value + (result.target_value - result.start_value) * factor
        old = old.quantize(result.target_value)
        change = {
            "field": f"{result.title}: target",
            "old": _show(old),
            "new": _show(result.target_value),
        }
        self.adjustments.append(
            (
                self.new_id(Adjustment),
                goal.pk,
                self.rng.choice(REASONS[direction]),
                self.json([change]),
                author,
                self.stamp(moment),
            )
        )
        return moment

    def write(self) -> None:
        day, stamp = self.day, self.stamp
        goals = [
            (
                g.pk,
                g.title,
                g.description,
                str(g.kind),
                g.owner_person,
                g.owner_team,
                day(g.start),
                day(g.end),
                str(g.status),
                str(g.visibility),
                g.parent,
                g.path,
                g.manual_progress,
                g.progress_cache,
                g.final_score,
                g.created_by,
                stamp(g.created_at),
                stamp(g.last_activity_at),
            )
            for g in self.goals
        ]
        insert_rows(Objective, OBJECTIVE_FIELDS, goals)
        del goals
        results = [
            (
                r.pk,
                r.objective,
                r.title,
                r.type,
                r.start_value,
                r.target_value,
                r.current_value,
                r.unit,
                r.direction,
                r.done,
                ONE,
                r.position,
                stamp(r.updated_at),
            )
            for r in self.results
        ]
        insert_rows(KeyResult, KEY_RESULT_FIELDS, results)
        del results
        insert_rows(ProgressUpdate, UPDATE_FIELDS, self.updates)
        insert_rows(Adjustment, ADJUSTMENT_FIELDS, self.adjustments)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # Fresh statistics: the planner would otherwise take these tables for small
                # until autovacuum comes by, and lists of goals would scan and sort them.
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS)
                cursor.execute(f"ANALYZE {tables}")


@history_builder
def goal_history(org: DemoOrg) -> None:
    goals = _Goals(org)
    goals.build()
    goals.write()
