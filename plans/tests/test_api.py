"""The plan in the API: what it shows is what the pages and the queries show."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Objective
from plans.jobs import close_lapsed_periods
from plans.models import Plan, PlanActivePeriod, PlanGoal, PlanShare
from trust.models import AccessLogEntry


def _coverage_says_active(client, login, cast) -> bool:
    login(cast.erin)
    page = client.get(reverse("plans:coverage")).content.decode()
    row = page[page.index(cast.alice.name) :].split("</tr>")[0]
    return "yes, since" in row


def _api_says_active(client, login, cast, plan) -> set[bool]:
    login(cast.alice)
    mine = client.get(reverse("api:get_my_plan")).json()["active"]
    login(cast.bob)
    theirs = client.get(reverse("api:get_plan", args=[plan.pk])).json()["active"]
    return {mine, theirs}


def test_active_is_what_the_coverage_says_the_plans_active_periods(client, login, cast):
    """Written 200 days ago, the plan lapsed long since; until the daily job closes its period
    it is active for the coverage page and for the API alike, and inactive for both after."""
    long_ago = timezone.localdate() - timedelta(days=200)
    plan = Plan.objects.create(person=cast.alice, ambition="Lead")
    Plan.objects.filter(pk=plan.pk).update(
        updated_at=datetime.combine(long_ago, datetime.min.time(), tzinfo=UTC)
    )
    PlanActivePeriod.objects.create(plan=plan, start=long_ago)
    assert _coverage_says_active(client, login, cast)
    assert _api_says_active(client, login, cast, plan) == {True}
    close_lapsed_periods(timezone.now())
    assert not _coverage_says_active(client, login, cast)
    assert _api_says_active(client, login, cast, plan) == {False}


def test_a_plan_never_written_through_the_services_is_not_active(client, login, cast):
    plan = Plan.objects.create(person=cast.alice, ambition="Lead")  # no period: never active
    assert not _coverage_says_active(client, login, cast)
    assert _api_says_active(client, login, cast, plan) == {False}


def test_the_manager_reading_whether_it_is_active_is_in_the_owners_access_log(client, login, cast):
    plan = Plan.objects.create(person=cast.alice)
    PlanActivePeriod.objects.create(plan=plan, start=timezone.localdate())
    login(cast.bob)
    assert client.get(reverse("api:get_plan", args=[plan.pk])).json()["active"] is True
    kinds = AccessLogEntry.objects.filter(subject=cast.alice, viewer=cast.bob)
    assert "plans.active_periods" in set(kinds.values_list("kind", flat=True))


def test_shares_are_listed_as_the_page_lists_them(client, login, cast):
    plan = Plan.objects.create(person=cast.alice)
    first = PlanShare.objects.create(plan=plan, person=cast.dave)
    second = PlanShare.objects.create(plan=plan, person=cast.carol)
    login(cast.alice)
    listed = client.get(reverse("api:plan_shares")).json()
    assert [(s["id"], s["person"]["name"]) for s in listed] == [
        (first.pk, cast.dave.name),
        (second.pk, cast.carol.name),
    ]
    left = client.post(reverse("api:revoke_plan_share", args=[first.pk]))
    assert [s["id"] for s in left.json()] == [second.pk]
    login(cast.dave)  # no plan of his own: nobody to list
    assert client.get(reverse("api:plan_shares")).json() == []


# --- My plan's learning goals ---------------------------------------------------------------------


def _post(client, name, body):
    return client.post(reverse(name), json.dumps(body), content_type="application/json")


def test_the_owner_adds_and_lists_her_learning_goals(client, login, cast, framework):
    login(cast.alice)
    assert client.get(reverse("api:list_plan_goals")).json() == []  # no plan yet
    answer = _post(
        client,
        "api:create_plan_goal",
        {"title": "Facilitate a retrospective", "competency": "communication"},
    )
    assert answer.status_code == 201, answer.content
    added = answer.json()
    goal = Objective.objects.get(pk=added["id"])
    assert (goal.kind, goal.visibility, goal.owner_person) == ("learning", "private", cast.alice)
    assert PlanGoal.objects.get().plan.person == cast.alice
    assert added["competency"] == "communication" and added["period"]
    _post(client, "api:create_plan_goal", {"title": "Read a book", "period": "next_quarter"})
    listed = client.get(reverse("api:list_plan_goals")).json()
    assert [(g["title"], g["competency"]) for g in listed] == [
        ("Facilitate a retrospective", "communication"),
        ("Read a book", None),
    ]
    assert listed[0] == added
    # Bob lists his own plan's learning goals, not Alice's.
    login(cast.bob)
    assert client.get(reverse("api:list_plan_goals")).json() == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"title": "Juggle", "competency": "juggling"}, ["body", "competency"]),
        ({"title": "  "}, ["body", "title"]),
        ({"title": "Later", "period": "custom"}, ["body", "payload", "period"]),
        ({"title": "Mine", "owner": "team"}, ["body", "payload", "owner"]),
    ],
)
def test_what_a_learning_goal_may_not_be(client, login, cast, framework, body, where):
    login(cast.alice)
    answer = _post(client, "api:create_plan_goal", body)
    assert answer.status_code == 422, answer.content
    assert [error["loc"] for error in answer.json()["detail"]] == [where]
    assert not Objective.objects.exists() and not PlanGoal.objects.exists()


# --- My gap and readiness ---------------------------------------------------------------------


def test_the_owner_reads_her_gap_and_readiness(client, login, cast, framework):
    from growth.tests.helpers import rated

    rated(cast, mine=4, theirs=2)  # Bob's rating (2) counts, never her self-rating
    Plan.objects.create(person=cast.alice, target_track="management", target_level=4)
    login(cast.alice)
    standing = client.get(reverse("api:get_my_standing")).json()
    assert standing["version"] == framework.number
    assert standing["role_step"]["id"] == "individual-contributor-2"
    assert standing["target"]["id"] == "management-4"
    communication = next(row for row in standing["rows"] if row["competency"] == "communication")
    assert communication["current"] == 2 and communication["assessed_on"]
    expected = communication["expected_at_target"]
    assert communication["short_at_target"] == max(expected - 2, 0)
    readiness = standing["readiness"]
    assert readiness["total"] == sum(r["expected_at_target"] is not None for r in standing["rows"])
    assert readiness["stale"] is False
    assert set(standing["suggested_focus"]) <= {r["competency"] for r in standing["rows"]}
    # Bob reads his own standing: his role's step, none of Alice's levels.
    login(cast.bob)
    his = client.get(reverse("api:get_my_standing")).json()
    assert his["role_step"]["id"] == "management-4" and his["target"] is None
    assert his["readiness"] is None
    assert all(row["current"] is None for row in his["rows"])


def test_without_a_framework_there_is_nothing_to_stand_against(client, login, cast):
    login(cast.alice)
    assert client.get(reverse("api:get_my_standing")).json() == {
        "version": None,
        "role_step": None,
        "target": None,
        "rows": [],
        "readiness": None,
        "suggested_focus": [],
    }
