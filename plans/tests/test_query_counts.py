"""Every plan page costs a fixed number of queries, however full the plan and the organisation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from goals.tests.factories import make_goal
from plans.models import Plan, PlanAction, PlanGoal, PlanShare


@pytest.fixture
def filled(cast, framework):
    """Alice's plan with many actions, goals and shares; plans for many of Bob's reports."""
    today = timezone.localdate()
    plan = Plan.objects.create(
        person=cast.alice,
        ambition="Lead",
        target_track="management",
        target_level=4,
        focus=["communication", "developing-people"],
    )
    for n in range(15):
        PlanAction.objects.create(
            plan=plan,
            kind="course",
            title=f"Action {n}",
            support="Time",
            due_date=today + timedelta(days=n - 5),
            manager_comment="Yes",
            support_confirmed_by=cast.bob,
        )
    competencies = list(framework.competencies.all())
    for n in range(4):
        goal = make_goal(cast.alice, title=f"Learn {n}", kind="learning", visibility="private")
        goal.competency_id = competencies[n].pk
        goal.save(update_fields=["competency_id"])
        PlanGoal.objects.create(plan=plan, objective=goal)
    for person in (cast.dave, cast.carol, cast.erin):
        PlanShare.objects.create(plan=plan, person=person)
    for n in range(12):
        report = make_person(
            f"r{n}@example.com", f"Report {n}", manager=cast.bob, team=cast.platform
        )
        other = Plan.objects.create(person=report, ambition="Grow")
        PlanAction.objects.create(plan=other, kind="reading", title="Book")
    return plan


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        # The session, the person, the shell (HR role, what waits); the framework (its version
        # and the tracks' roles, `growth.queries.load`: a published version's own rows are
        # read once per process); the plan with its shares (and their people), its actions,
        # goals and who sees it; the forms' choices; the assessed levels
        # (`growth.queries.assessed_levels`).
        ("plans:mine", "alice", 11),
        ("plans:plan", "bob", 12),
        # The shell, and the plans with their counts in one query (with their latest periods).
        ("plans:others", "bob", 6),
        ("plans:coverage", "erin", 6),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    client, login, cast, filled, django_assert_max_num_queries, name, who, most
):
    url = reverse(name, args=[filled.pk]) if name == "plans:plan" else reverse(name)
    login(getattr(cast, who))
    client.get(url)  # the first reads the framework's published version
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        # The session, the person; the plan with its shares, its actions, its latest period
        # (the rules read the viewer's HR role); for Bob the access log's one insert.
        ("api:get_my_plan", "alice", 7),
        ("api:get_plan", "bob", 8),
        # The plan, the goals (the goals rules read the HR role), their competencies' keys.
        ("api:list_plan_goals", "alice", 6),
        # The framework (8), the plan, the HR role, the assessed levels.
        ("api:get_my_standing", "alice", 13),
        ("api:plan_shares", "alice", 4),
    ],
)
def test_each_api_read_costs_a_fixed_number_of_queries(
    client, login, cast, filled, django_assert_max_num_queries, name, who, most
):
    url = reverse(name, args=[filled.pk]) if name == "api:get_plan" else reverse(name)
    login(getattr(cast, who))
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
