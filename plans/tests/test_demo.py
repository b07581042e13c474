"""The demo's development plans: the same for the same seed, believable, and consistent with
the plan's rule (the active periods are the rule replayed over the writes; the daily job has
nothing to change)."""

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone, translation

from conftest import demo_for_the_module
from goals.models import Kind as GoalKind
from growth import queries as growth_queries
from people.demo import build_demo
from people.models import Person
from plans import activity, jobs
from plans.demo import COSTS, Planner, periods_of
from plans.models import (
    ActionKind,
    ActionStatus,
    Plan,
    PlanAction,
    PlanActivePeriod,
    PlanGoal,
    PlanShare,
)

pytestmark = pytest.mark.django_db


# Built once for the module's tests (each still runs in its own savepoint).
module_org, org = demo_for_the_module(people=200, years=3, seed=3)


def periods_by_plan() -> dict[int, list[tuple[date, date | None]]]:
    found = defaultdict(list)
    for period in PlanActivePeriod.objects.order_by("plan", "start", "pk"):
        found[period.plan_id].append((period.start, period.end))
    return found


def fingerprint() -> list[tuple]:
    """Every plan by its owner, what it says, its actions and its periods (not by ids)."""
    actions = defaultdict(list)
    for a in PlanAction.objects.order_by("pk"):
        actions[a.plan_id].append(
            (a.kind, a.title, a.status, a.due_date, a.cost, a.support, a.manager_comment)
        )
    periods = periods_by_plan()
    return sorted(
        (
            email,
            ambition,
            track,
            level,
            tuple(focus),
            tuple(actions[pk]),
            tuple(periods[pk]),
        )
        for pk, email, ambition, track, level, focus in Plan.objects.order_by("pk").values_list(
            "pk", "person__email", "ambition", "target_track", "target_level", "focus"
        )
    )


def active_between(periods, first: date, end: date) -> bool:
    return any(start < end and (stop is None or stop > first) for start, stop in periods)


def test_it_builds_the_same_plans_for_the_same_seed():
    build_demo(people=80, years=2, seed=7, flush=True)
    first = fingerprint()
    build_demo(people=80, years=2, seed=7, flush=True)
    assert fingerprint() == first
    assert len(first) > 20
    build_demo(people=80, years=2, seed=8, flush=True)
    assert fingerprint() != first


def test_the_summary_counts_them_and_a_flush_takes_them(org):
    assert org.counts["development plans"] == Plan.objects.count()
    assert org.counts["development actions"] == PlanAction.objects.count()
    assert org.counts["active periods"] == PlanActivePeriod.objects.count()
    plans = Plan.objects.count()
    build_demo(people=200, years=3, seed=3, flush=True)
    assert Plan.objects.count() == plans


def test_coverage_differs_from_team_to_team(org):
    with_plan = set(Plan.objects.values_list("person_id", flat=True))
    teams = defaultdict(list)
    for person in org.current:
        teams[person.team_id].append(person.pk in with_plan)
    shares = [sum(members) / len(members) for members in teams.values() if len(members) >= 5]
    assert any(share >= 0.7 for share in shares)  # most people have a plan
    assert any(share <= 0.3 for share in shares)
    assert 0.35 <= sum(map(sum, teams.values())) / len(org.current) <= 0.8


def test_the_daily_job_has_nothing_to_change(org):
    before = periods_by_plan()
    assert activity.lapse_all(org.today) == 0
    assert jobs.close_lapsed_periods(timezone.now()) is None
    assert periods_by_plan() == before


def test_a_plan_is_active_now_exactly_when_the_rule_says(org):
    periods = periods_by_plan()
    plans = list(Plan.objects.select_related("person").order_by("pk"))
    assert plans
    for plan in plans:
        mine = periods[plan.pk]
        assert mine, plan
        updated, last_due = activity.updated_on(plan), activity.last_open_due(plan)
        leaves = plan.person.leave_date
        active = activity.is_active(updated, last_due, org.today, leaves)
        assert (mine[-1][1] is None) == active, plan
        if not active:
            assert mine[-1][1] == activity.active_until(updated, last_due, leaves)
        for (_start, end), (start, _end) in pairwise(mine):
            assert end is not None and end <= start  # in order, never overlapping
        assert mine[0][0] == timezone.localdate(plan.created_at)


def test_every_write_falls_in_an_active_period(org):
    """After any write the plan is active that day: every date a row records is covered."""
    periods = periods_by_plan()
    days = defaultdict(set)
    for plan in Plan.objects.all():
        days[plan.pk] |= {timezone.localdate(plan.created_at), timezone.localdate(plan.updated_at)}
    for a in PlanAction.objects.all():
        days[a.plan_id] |= {timezone.localdate(a.created_at), timezone.localdate(a.updated_at)}
        if a.support_confirmed_at:
            days[a.plan_id].add(timezone.localdate(a.support_confirmed_at))
    for share in PlanShare.objects.all():
        days[share.plan_id].add(timezone.localdate(share.created_at))
    for pk, written in days.items():
        for day in written:
            assert active_between(periods[pk], day, day + timedelta(days=1)), (pk, day)


def test_the_periods_are_the_rule_replayed_day_by_day_over_the_planned_writes(org):
    """The demo plans its writes again (the same seed: the same writes); the periods written
    are those the services and the job leave, and on every day they say what the rule says of
    the plan as its latest write left it."""
    planner = Planner(org)
    planner.plan()
    written = periods_by_plan()
    plan_of = dict(Plan.objects.values_list("person_id", "pk"))
    assert len(planner.plans) == len(plan_of)
    for plan in planner.plans:
        writes = planner.writes_of(plan)
        leaves = plan.person.leave_date
        periods = periods_of(writes, org.today, leaves)
        assert written[plan_of[plan.person.pk]] == periods
        day, index, last = writes[0][0], 0, None
        while day <= org.today:
            while index < len(writes) and writes[index][0] <= day:
                last = writes[index]
                index += 1
            assert last is not None
            rule = activity.is_active(last[0], last[1], day, leaves)
            assert active_between(periods, day, day + timedelta(days=1)) == rule, (plan, day)
            day += timedelta(days=1)


def test_nothing_is_dated_outside_its_owners_employment(org):
    now = timezone.now()
    people = {p.pk: p for p in Person.objects.all()}
    plans = {p.pk: p for p in Plan.objects.all()}

    def within(person, day: date) -> bool:
        return person.start_date <= day and (person.leave_date is None or day < person.leave_date)

    for plan in plans.values():
        person = people[plan.person_id]
        assert plan.created_at <= plan.updated_at <= now
        assert within(person, timezone.localdate(plan.created_at))
        assert within(person, timezone.localdate(plan.updated_at))
        assert timezone.localdate(plan.created_at) >= org.history_start
    for a in PlanAction.objects.all():
        plan, person = plans[a.plan_id], people[plans[a.plan_id].person_id]
        assert plan.created_at <= a.created_at <= a.updated_at <= plan.updated_at
        assert within(person, timezone.localdate(a.updated_at))
        if a.due_date is not None and person.leave_date is not None:
            assert a.due_date < person.leave_date
        if a.support_confirmed_at is not None:
            assert a.created_at < a.support_confirmed_at <= a.updated_at
            assert within(people[a.support_confirmed_by_id], a.support_confirmed_at.date())


def test_actions_of_every_kind_and_status_with_support_coaching_and_costs(org):
    actions = list(PlanAction.objects.select_related("plan__person"))
    assert {a.kind for a in actions} == set(ActionKind.values)
    assert {a.status for a in actions} == set(ActionStatus.values)
    assert any(a.is_overdue(org.today) for a in actions if a.plan.person.leave_date is None)
    assert any(a.is_open and a.due_date and a.due_date >= org.today for a in actions)
    costs = [a for a in actions if a.cost is not None]
    assert costs and {a.kind for a in costs} <= set(COSTS)
    assert any(a.support for a in actions)
    for a in actions:
        if a.manager_comment:
            assert a.commented_by_id == a.plan.person.manager_id
        if a.support_confirmed_at:
            assert a.support and a.support_confirmed_by_id == a.plan.person.manager_id
    assert any(a.manager_comment for a in actions)
    assert any(a.support_confirmed_at for a in actions)


def test_targets_are_mostly_the_next_step_and_focus_what_it_expects_more_of(org):
    framework = growth_queries.current()
    assert framework is not None
    keys = {c.key for c in framework.competencies}
    plans = list(Plan.objects.select_related("person"))
    up = across = 0
    for plan in plans:
        assert plan.ambition or plan.target_step_id or plan.focus
        assert 1 <= len(plan.focus) <= 3 and set(plan.focus) <= keys
        own = framework.step_of(plan.person.role_id, plan.person.level)
        target = framework.step(plan.target_step_id) if plan.target_step_id else None
        if own is None or target is None:
            continue
        if target.track.key == own.track.key:
            assert target.profile.level == own.profile.level + 1
            up += 1
        else:
            across += 1
        gaps = {k: v - own.expected.get(k, 0) for k, v in target.expected.items()}
        if any(gap > 0 for gap in gaps.values()):
            assert gaps[plan.focus[0]] == max(gaps.values()) > 0, plan
    assert up > 3 * across > 0


def test_leavers_less_often_had_an_active_plan_in_their_last_year_but_not_much_less():
    org = build_demo(people=400, years=3, seed=1, flush=True)
    periods = periods_by_plan()
    plan_of = dict(Plan.objects.values_list("person_id", "pk"))

    def share(people, last_day) -> float:
        active = [
            active_between(
                periods.get(plan_of.get(p.pk), []), last_day(p) - timedelta(365), last_day(p)
            )
            for p in people
        ]
        return sum(active) / len(active)

    stayed = share(org.current, lambda p: org.today + timedelta(days=1))
    left = share(org.leavers, lambda p: p.leave_date)
    assert 0.4 <= stayed <= 0.6
    assert 0.5 * stayed <= left <= 0.9 * stayed


def test_a_few_plans_link_their_owners_learning_goals(org):
    links = list(PlanGoal.objects.select_related("plan", "objective"))
    assert links
    assert len(links) < Plan.objects.count() / 3
    for link in links:
        assert link.objective.kind == GoalKind.LEARNING
        assert link.objective.owner_person_id == link.plan.person_id
        assert link.plan.created_at < link.objective.created_at <= link.plan.updated_at


def test_the_personas_keep_a_plan_with_something_past_due(org):
    from accounts.demo import demo_personas
    from bench.pages import choose_personas

    with translation.override("en"):
        picked = {str(p.label): p.person.pk for p in demo_personas()}
    bench = {p.key: p.person_id for p in choose_personas()}
    for pk in (picked["Employee"], picked["Manager"], bench["employee"], bench["manager"]):
        plan = Plan.objects.get(person_id=pk)
        assert PlanActivePeriod.objects.filter(plan=plan, end=None).exists()
        actions = list(plan.actions.all())
        assert any(a.is_overdue(org.today) for a in actions)
        assert any(a.status == ActionStatus.DONE for a in actions)
    assert Plan.objects.filter(person_id=bench["hr"]).exists()
