"""The demo's surveys: after a round, a few teams make action plans, and their later rounds
show the focus area moving up; a couple of recent plans have actions still to do."""

import pytest
from django.urls import reverse

from people.demo import build_demo
from surveys.models import SurveyAction, SurveyActionPlan
from surveys.results import focus_moves

pytestmark = pytest.mark.django_db


def test_some_teams_improve_after_their_action_plans(client):
    org = build_demo(people=300, years=2, seed=3)
    plans = list(SurveyActionPlan.objects.select_related("round", "team", "survey"))
    assert len(plans) >= 3
    assert org.counts["survey action plans"] == len(plans)
    latest_closed = max(plan.round.opens_on for plan in plans)
    earlier = [plan for plan in plans if plan.round.opens_on < latest_closed]
    assert earlier
    moved = []
    for plan in plans:
        assert plan.shared_with_team and plan.created_by_id == plan.team.lead_id
        assert plan.group in plan.round.released
        actions = list(plan.actions.select_related("owner"))
        assert 2 <= len(actions) <= 3
        assert all(a.owner.team_id == plan.team_id for a in actions)
        assert all(a.due_date > plan.round.closes_on for a in actions)
        if plan in earlier:
            moved += [move.moved for move in focus_moves(plan) if move.moved is not None]
    assert moved and sum(moved) / len(moved) > 0.2, moved
    open_actions = SurveyAction.objects.filter(done_at__isnull=True, due_date__gte=org.today)
    assert open_actions.exists()
    owner = open_actions.select_related("owner").first().owner
    client.force_login(owner)
    assert (
        reverse("surveys:plan", args=[open_actions.first().plan_id])
        in client.get(reverse("home")).content.decode()
    )


def test_the_demo_builds_again_over_its_plans():
    build_demo(people=60, years=1, seed=9)
    build_demo(people=60, years=1, seed=9, flush=True)
