"""Who sees a person's goal is the owner's choice: their manager may adjust the goal (title,
dates, targets) but not show it to more people, on the page or through the API. A private
learning goal of a development plan stays private whoever edits it."""

import pytest

from goals.models import Adjustment, Objective
from goals.tests.factories import make_goal
from goals.tests.test_goal_adjust import adjust_data, adjust_url
from plans.models import Plan, PlanGoal

API = "/api/v1"


@pytest.fixture
def private_goal(cast):
    return make_goal(cast.alice, title="Find my voice in reviews", visibility="private")


@pytest.fixture
def learning_goal(cast):
    goal = make_goal(cast.alice, title="Learn to facilitate", visibility="private", kind="learning")
    plan = Plan.objects.create(person=cast.alice, ambition="Lead a team")
    PlanGoal.objects.create(plan=plan, objective=goal)
    return goal


def visibility(goal) -> str:
    return Objective.objects.get(pk=goal.pk).visibility


def patch(client, goal, body):
    return client.patch(f"{API}/goals/{goal.pk}", body, content_type="application/json")


def test_the_managers_edit_page_offers_no_audience_and_says_whose_choice_it_is(
    login, cast, private_goal
):
    page = login(cast.bob).get(adjust_url(private_goal))
    assert page.status_code == 200
    assert 'name="visibility"' not in page.text
    assert f"Only {cast.alice.name} decides who sees their goal." in page.text


def test_the_owners_edit_page_offers_the_audience(login, cast, private_goal):
    page = login(cast.alice).get(adjust_url(private_goal))
    assert 'name="visibility"' in page.text


@pytest.mark.parametrize("wider", ["team", "public"])
def test_a_manager_posting_a_wider_audience_is_refused_and_nothing_changes(
    login, cast, learning_goal, wider
):
    data = adjust_data(learning_goal, "Everyone should see it", visibility=wider, title="Other")
    response = login(cast.bob).post(adjust_url(learning_goal), data)
    assert response.status_code == 200
    assert f"Only {cast.alice.name} decides who sees their goal." in response.text
    assert visibility(learning_goal) == "private"
    assert Objective.objects.get(pk=learning_goal.pk).title == "Learn to facilitate"
    assert not Adjustment.objects.exists()


def test_a_manager_still_adjusts_the_rest_of_the_goal(login, cast, private_goal):
    data = adjust_data(private_goal, "Narrower scope", title="Find my voice in 1:1s")
    response = login(cast.bob).post(adjust_url(private_goal), data)
    assert response.status_code == 302
    goal = Objective.objects.get(pk=private_goal.pk)
    assert (goal.title, goal.visibility) == ("Find my voice in 1:1s", "private")


def test_the_owner_shares_their_own_goal(login, cast, learning_goal):
    data = adjust_data(learning_goal, "Happy to show it", visibility="team")
    assert login(cast.alice).post(adjust_url(learning_goal), data).status_code == 302
    assert visibility(learning_goal) == "team"


@pytest.mark.parametrize("wider", ["team", "public"])
def test_the_api_refuses_a_managers_wider_audience(login, cast, learning_goal, wider):
    response = patch(login(cast.bob), learning_goal, {"visibility": wider, "reason": "Show it"})
    assert response.status_code == 422
    assert "decides who sees their goal" in response.text
    assert visibility(learning_goal) == "private"
    assert not Adjustment.objects.exists()


def test_the_api_lets_the_manager_adjust_and_the_owner_share(login, cast, learning_goal):
    body = {"title": "Learn to run a retro", "visibility": "private", "reason": "Sharper"}
    assert patch(login(cast.bob), learning_goal, body).status_code == 200
    body = {"visibility": "public", "reason": "Proud of it"}
    assert patch(login(cast.alice), learning_goal, body).status_code == 200
    goal = Objective.objects.get(pk=learning_goal.pk)
    assert (goal.title, goal.visibility) == ("Learn to run a retro", "public")


def test_a_team_goal_is_shared_by_whoever_may_change_it(login, cast):
    team = cast.alice.team
    goal = make_goal(team=team, title="Cut the build time", visibility="team")
    lead = team.lead
    data = adjust_data(goal, "Others may learn from it", visibility="public")
    assert login(lead).post(adjust_url(goal), data).status_code == 302
    assert visibility(goal) == "public"
