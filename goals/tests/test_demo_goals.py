"""The demo's goals: the same for the same seed, aligned, consistent and believable."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone

from access.rules import visible
from access.viewer import Viewer
from conftest import demo_for_the_module
from goals.models import (
    OPEN_STATUSES,
    Adjustment,
    KeyResult,
    Objective,
    ProgressUpdate,
    Status,
    Visibility,
    quarter_of,
)
from people.demo import build_demo
from people.models import Person

pytestmark = pytest.mark.django_db


# Built once for the module's tests (each still runs in its own savepoint).
module_org, org = demo_for_the_module(people=60, years=2, seed=3)


def fingerprint() -> list[tuple]:
    """Every goal by its owner, title, period, status and key results (not by its ids)."""
    results = defaultdict(list)
    for kr in KeyResult.objects.order_by("position"):
        results[kr.objective_id].append((kr.title, kr.start_value, kr.target_value, kr.done))
    rows = Objective.objects.values_list(
        "pk",
        "owner_person__email",
        "owner_team__name",
        "title",
        "start_date",
        "status",
        "visibility",
        "parent__title",
    )
    return sorted(
        (owner or team or "", title, start, status, visibility, parent or "", tuple(results[pk]))
        for pk, owner, team, title, start, status, visibility, parent in rows
    )


def test_it_builds_the_same_goals_for_the_same_seed(org):
    first = fingerprint()
    build_demo(people=60, years=2, seed=3, flush=True)
    assert fingerprint() == first
    assert len(first) > 200


def test_another_seed_builds_other_goals(org):
    first = fingerprint()
    build_demo(people=60, years=2, seed=4, flush=True)
    assert fingerprint() != first


def test_flush_takes_the_company_goals_too(org):
    company = Objective.objects.filter(owner_person=None, owner_team=None).count()
    build_demo(people=60, years=2, seed=3, flush=True)
    assert Objective.objects.filter(owner_person=None, owner_team=None).count() == company


def test_the_summary_counts_the_goals(org):
    assert org.counts["goals"] == Objective.objects.count()
    assert org.counts["key results"] == KeyResult.objects.count()
    assert org.counts["progress updates"] == ProgressUpdate.objects.count()
    assert org.counts["adjustments"] == Adjustment.objects.count()


def test_every_current_person_has_goals_this_quarter(org):
    start, end = quarter_of(timezone.localdate())
    with_goals = set(
        Objective.objects.filter(start_date=start, end_date=end).values_list(
            "owner_person_id", flat=True
        )
    )
    assert {p.pk for p in org.current} <= with_goals


def test_every_quarter_has_three_or_four_company_goals(org):
    company = Objective.objects.filter(owner_person=None, owner_team=None)
    per_quarter = defaultdict(int)
    for start in company.values_list("start_date", flat=True):
        per_quarter[start] += 1
    assert len(per_quarter) == 9  # two years and the quarter they started in
    assert set(per_quarter.values()) <= {3, 4}
    assert set(company.values_list("visibility", flat=True)) == {Visibility.PUBLIC}


def test_paths_follow_the_parents(org):
    goals = {g.pk: g for g in Objective.objects.only("pk", "parent_id", "path")}
    for goal in goals.values():
        parent_path = goals[goal.parent_id].path if goal.parent_id else "/"
        assert goal.path == f"{parent_path}{goal.pk}/"


def test_a_persons_goal_supports_a_goal_of_their_team_or_the_company(org):
    goals = Objective.objects.filter(owner_person__isnull=False, parent__isnull=False)
    rows = goals.values_list(
        "owner_person__team_id",
        "parent__owner_team_id",
        "parent__owner_person_id",
        "start_date",
        "parent__start_date",
    )
    assert rows
    for team, parent_team, parent_person, start, parent_start in rows:
        assert parent_person is None
        assert parent_team in (team, None)
        assert start == parent_start


def test_a_teams_goal_supports_its_parent_teams_goal_or_the_company(org):
    rows = Objective.objects.filter(owner_team__isnull=False).values_list(
        "owner_team__parent_id", "parent__owner_team_id", "parent__owner_person_id", "parent_id"
    )
    for parent_team, goal_parent_team, goal_parent_person, parent in rows:
        assert parent is not None
        assert goal_parent_person is None
        assert goal_parent_team in (parent_team, None)


def test_people_can_see_the_goals_their_goals_support(org):
    for person in org.current:
        parents = set(
            Objective.objects.filter(owner_person=person, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        seen = visible(Viewer(person), Objective.objects.filter(pk__in=parents))
        assert parents == set(seen.values_list("pk", flat=True)), person


def test_only_personal_goals_are_private(org):
    private = Objective.objects.filter(visibility=Visibility.PRIVATE)
    assert private.exists()
    assert not private.filter(owner_person__isnull=True).exists()
    assert Objective.objects.filter(visibility=Visibility.TEAM).exists()


def test_key_results_stand_at_their_latest_update(org):
    latest = {}
    for update in ProgressUpdate.objects.filter(key_result__isnull=False).order_by(
        "created_at", "pk"
    ):
        latest[update.key_result_id] = update
    results = list(KeyResult.objects.all())
    assert sum(1 for kr in results if kr.pk in latest) > len(results) / 2
    for kr in results:
        update = latest.get(kr.pk)
        if kr.type == KeyResult.Type.MILESTONE:
            assert kr.done == bool(update and update.done)
        else:
            assert kr.current_value == (update.value if update else kr.start_value)
        if update:
            assert kr.updated_at == update.created_at


def test_goals_without_key_results_stand_at_their_latest_figure(org):
    goals = Objective.objects.filter(key_results__isnull=True, manual_progress__isnull=False)
    assert goals.exists()
    for goal in goals:
        figures = goal.updates.exclude(value=None).order_by("-created_at", "-pk")
        assert figures.first().value == goal.manual_progress


def test_the_stored_progress_is_the_computed_progress(org):
    for goal in Objective.objects.with_key_results():
        assert goal.progress_cache == pytest.approx(goal.progress)


def test_key_results_and_goals_are_valid(org):
    for kr in KeyResult.objects.all()[:300]:
        kr.full_clean(exclude=["objective"])
    for goal in Objective.objects.select_related("parent")[:300]:
        goal.full_clean(exclude=["owner_person", "owner_team", "created_by", "parent"])


def test_past_goals_are_closed(org):
    past = Objective.objects.filter(end_date__lt=timezone.localdate())
    assert past.exists()
    assert not past.filter(status__in=OPEN_STATUSES).exists()
    assert not past.filter(status=Status.DONE, final_score=None).exists()
    assert past.filter(status=Status.DROPPED).exists()


def test_updates_happen_while_the_goal_runs_and_its_owner_works_here(org):
    now = timezone.now()
    rows = ProgressUpdate.objects.values_list(
        "created_at",
        "objective__start_date",
        "objective__end_date",
        "objective__owner_person__leave_date",
    )
    for at, start, end, left in rows:
        assert at <= now
        assert start <= at.date() <= end
        if left:
            assert at.date() < left


def test_activity_is_the_latest_update_or_later(org):
    for goal in Objective.objects.all():
        latest = goal.updates.order_by("-created_at").values_list("created_at", flat=True).first()
        assert latest is None or goal.last_activity_at >= latest
        assert goal.last_activity_at <= timezone.now()


def test_this_quarter_has_stale_at_risk_and_adjusted_goals():
    build_demo(people=200, years=1, seed=1, flush=True)
    now = timezone.localdate()
    current = Objective.objects.current().filter(status__in=OPEN_STATUSES)
    assert current.filter(status__in=[Status.AT_RISK, Status.OFF_TRACK]).exists()
    assert current.filter(status=Status.ON_TRACK).count() > current.count() / 3
    if now - quarter_of(now)[0] > timedelta(weeks=4):  # stale needs a quarter weeks old
        assert current.filter(last_activity_at__lt=timezone.now() - timedelta(weeks=3)).exists()
    adjustment = Adjustment.objects.select_related("objective").first()
    assert adjustment.reason
    assert adjustment.changes[0]["field"].endswith(": target")
    assert adjustment.changes[0]["old"] != adjustment.changes[0]["new"]
    assert Objective.objects.filter(kind="learning").exists()
    assert Objective.objects.filter(kind="behavioural").exists()


def test_leavers_goals_end_when_they_left(org):
    leavers = Person.objects.filter(leave_date__isnull=False)
    goals = Objective.objects.filter(owner_person__in=leavers)
    assert goals.exists()
    assert not goals.filter(status__in=OPEN_STATUSES).exists()
