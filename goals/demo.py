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
paths are known), then bulk-created; the same seed gives the same goals.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

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
from people.demo import DemoOrg, flush_step, history_builder
from people.models import ids_in

FULL_QUARTERS = 4
MODELS = (Objective, KeyResult, ProgressUpdate, Adjustment)

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


# --- The builder --------------------------------------------------------------------------


class _Goals:
    """Plans the goals in memory, then writes them."""

    def __init__(self, org: DemoOrg):
        self.org, self.rng = org, org.random("goals")
        self.now = timezone.now()
        self.ids = {model: _next_id(model) for model in MODELS}
        self.rows: dict[type[Any], list[Any]] = {model: [] for model in MODELS}
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
            by_team: dict[int | None, list[Objective]] = {root.pk: company}
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
            goals=len(self.rows[Objective]),
            **{
                "key results": len(self.rows[KeyResult]),
                "progress updates": len(self.rows[ProgressUpdate]),
                "adjustments": len(self.rows[Adjustment]),
            },
        )

    @staticmethod
    def works_in(person, start: date, end: date) -> bool:
        return (person.start_date is None or person.start_date <= end) and (
            person.leave_date is None or person.leave_date > start
        )

    def personal_goal(self, person, index, start, end, full, by_team, company):
        rng = self.rng
        kind = Kind.RESULT if index == 0 else rng.choices(list(Kind), (65, 20, 15))[0]
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
        visibility = rng.choices(list(Visibility), (45, 47, 8))[0]
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
        parent: Objective | None = None,
        kind: str = Kind.RESULT,
    ) -> Objective:
        rng, today = self.rng, self.org.today
        title, specs = theme
        pk = self.new_id(Objective)
        path = f"{parent.path if parent else '/'}{pk}/"
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
        goal = Objective(
            pk=pk,
            title=title,
            description=rng.choice(DESCRIPTIONS) if rng.random() < 0.4 else "",
            kind=kind,
            owner_person_id=owner_person.pk if owner_person else None,
            owner_team_id=owner_team,
            start_date=start,
            end_date=end,
            status=Status.ON_TRACK,
            visibility=visibility,
            parent_id=parent.pk if parent else None,
            path=path,
            created_by_id=author,
            created_at=created,
            last_activity_at=created,
        )
        self.rows[Objective].append(goal)

        # Check-ins along the way.
        base = max(first_day, created.date())
        offsets = self.check_in_days((last_day - base).days, length, full, current)
        adjust_at = len(offsets) // 2 if full and len(offsets) >= 2 and rng.random() < 0.06 else -1
        manual, goal_day = 0.0, base
        for number, offset in enumerate(offsets):
            day = goal_day = base + timedelta(days=offset)
            moment = _moment(day, rng)
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
                update = self.move(result, max(0.0, done_share), moment)
                if update is not None:
                    update.objective_id, update.author_id = pk, who
                    update.confidence, update.comment = confidence, comment
                    changed = True
            if not results:
                share = max(manual, min(1.0, done_share))
                if round(share * 100) != round(manual * 100):
                    manual = share
                    changed = True
                    goal.manual_progress = Decimal(round(manual * 100))
            if not changed or not results:
                self.rows[ProgressUpdate].append(
                    ProgressUpdate(
                        pk=self.new_id(ProgressUpdate),
                        objective_id=pk,
                        value=goal.manual_progress if not results else None,
                        confidence=confidence,
                        comment=comment,
                        author_id=who,
                        created_at=moment,
                    )
                )
            goal.last_activity_at = moment
            if number == adjust_at:
                self.adjust(goal, results, moment + timedelta(hours=1), who)

        # Where it stands now.
        progress = maths.weighted_mean(
            (self.progress_of(result), float(result.weight)) for result in results
        )
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
                goal.last_activity_at = max(goal.last_activity_at, closed)
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

    def key_result(self, goal_id: int, spec, position: int, created: datetime) -> KeyResult:
        rng = self.rng
        pk = self.new_id(KeyResult)
        if len(spec) == 1:
            result = KeyResult(
                pk=pk,
                objective_id=goal_id,
                title=spec[0],
                type=KeyResult.Type.MILESTONE,
                position=position,
                updated_at=created,
            )
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
                target_value += Decimal(1).scaleb(-places) * (1 if target >= start else -1)
            result = KeyResult(
                pk=pk,
                objective_id=goal_id,
                title=title,
                type=KeyResult.Type.METRIC,
                start_value=start_value,
                target_value=target_value,
                current_value=start_value,
                unit=unit,
                direction=(
                    KeyResult.Direction.INCREASE
                    if target_value > start_value
                    else KeyResult.Direction.DECREASE
                ),
                position=position,
                updated_at=created,
            )
        # How its values are written: kept on the planned row, not a field of the model.
        result.places = 0 if len(spec) == 1 else places  # type: ignore[attr-defined]
        self.rows[KeyResult].append(result)
        return result

    def move(self, result: KeyResult, share: float, moment: datetime) -> ProgressUpdate | None:
        """Bring a key result to `share` of the way: an update, or None when nothing moved."""
        if result.type == KeyResult.Type.MILESTONE:
            if result.done or share < 0.85:
                return None
            result.done = True
            update = ProgressUpdate(key_result_id=result.pk, done=True)
        else:
            start, target = result.start_value, result.target_value
            assert start is not None and target is not None  # a metric's, set when planned
            share_value = float(start) + float(target - start) * share
            if result.unit == "%":
                share_value = min(share_value, 100.0)
            value = _number(share_value, result.places)  # type: ignore[attr-defined]
            if value == result.current_value:
                return None
            result.current_value = value
            update = ProgressUpdate(key_result_id=result.pk, value=value)
        update.pk, update.created_at = self.new_id(ProgressUpdate), moment
        result.updated_at = moment
        self.rows[ProgressUpdate].append(update)
        return update

    @staticmethod
    def progress_of(result: KeyResult) -> float | None:
        if result.type == KeyResult.Type.MILESTONE:
            return maths.milestone_progress(result.done)
        return maths.key_result_progress(
            result.start_value, result.target_value, result.current_value
        )

    def adjust(self, goal: Objective, results: list[KeyResult], moment: datetime, author: int):
        """The target of a measurable key result was changed, for a reason."""
        metrics = [r for r in results if r.type == KeyResult.Type.METRIC]
        if not metrics:
            return
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
        self.rows[Adjustment].append(
            Adjustment(
                pk=self.new_id(Adjustment),
                objective_id=goal.pk,
                reason=self.rng.choice(REASONS[direction]),
                changes=[change],
                author_id=author,
                created_at=moment,
            )
        )
        goal.last_activity_at = max(goal.last_activity_at, moment)

    def write(self) -> None:
        for model in MODELS:
            model.objects.bulk_create(self.rows[model], batch_size=2000)
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
