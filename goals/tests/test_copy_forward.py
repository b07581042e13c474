"""Copying a goal forward: close it with a final score, start it again for the next period."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import KeyResult, Objective
from goals.periods import next_period
from goals.tests.factories import make_goal


def copy_url(goal):
    return reverse("goals:copy_forward", args=[goal.pk])


@pytest.mark.parametrize(
    ("start", "end", "following"),
    [
        ((2026, 4, 1), (2026, 6, 30), ((2026, 7, 1), (2026, 9, 30))),
        ((2026, 10, 1), (2026, 12, 31), ((2027, 1, 1), (2027, 3, 31))),
        ((2026, 1, 1), (2026, 12, 31), ((2027, 1, 1), (2027, 12, 31))),
        ((2026, 2, 10), (2026, 3, 11), ((2026, 3, 12), (2026, 4, 10))),
    ],
)
def test_the_next_period_is_the_next_quarter_year_or_as_many_days(start, end, following):
    assert next_period(date(*start), date(*end)) == (date(*following[0]), date(*following[1]))


@pytest.fixture
def goal(cast):
    """Alice's Q2 goal: one measurable key result at 70 of 100, one milestone done."""
    parent = make_goal(team=cast.platform, title="Platform growth", visibility="team")
    goal = make_goal(
        cast.alice,
        title="Grow sign-ups",
        visibility="team",
        parent=parent,
        start_date=date(2026, 4, 1),
        end_date=date(2026, 6, 30),
        key_results=[(20, 100, 70)],
    )
    KeyResult.objects.create(
        objective=goal, title="Launch referrals", type="milestone", done=True, position=1
    )
    return goal


def test_the_confirm_page_shows_the_next_period_and_the_score(login, cast, goal):
    response = login(cast.alice).get(copy_url(goal))
    assert response.status_code == 200
    assert response.context["period"] == "Q3 2026"
    # (70 − 20) / 80 = 62.5 % and 100 % with equal weights: 81.25 %, offered as 81.
    assert response.context["form"]["final_score"].value() == 81
    assert "Q3 2026" in response.text


def test_it_closes_the_goal_and_copies_it_to_the_next_period(login, cast, goal):
    response = login(cast.alice).post(copy_url(goal), {"final_score": "80"})
    copy = Objective.objects.get(copied_from=goal)
    assert response.status_code == 302
    assert response.url == copy.get_absolute_url()
    goal.refresh_from_db()
    assert (goal.status, goal.final_score) == ("done", Decimal(80))
    assert (copy.start_date, copy.end_date) == (date(2026, 7, 1), date(2026, 9, 30))
    assert (copy.title, copy.owner_person, copy.visibility) == ("Grow sign-ups", cast.alice, "team")
    assert (copy.parent, copy.status, copy.created_by) == (goal.parent, "on_track", cast.alice)
    metric, milestone = copy.key_results.order_by("position")
    assert (metric.start_value, metric.current_value, metric.target_value) == (70, 70, 100)
    assert (milestone.type, milestone.done) == ("milestone", False)


def test_the_final_score_is_between_0_and_100(login, cast, goal):
    for score in ("101", "-1", "nan", ""):
        response = login(cast.alice).post(copy_url(goal), {"final_score": score})
        assert response.status_code == 200
    assert not Objective.objects.filter(copied_from=goal).exists()
    goal.refresh_from_db()
    assert goal.status == "on_track"


def test_a_goal_is_copied_forward_once(login, cast, goal):
    client = login(cast.alice)
    client.post(copy_url(goal), {"final_score": "80"})
    response = client.post(copy_url(goal), {"final_score": "90"})
    copy = Objective.objects.get(copied_from=goal)
    assert response.url == copy.get_absolute_url()
    assert "already copied forward" in client.get(copy_url(goal)).text


def test_a_key_result_past_its_target_keeps_its_direction_sensible(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 10, 12)])
    login(cast.alice).post(copy_url(goal), {"final_score": "100"})
    copied = KeyResult.objects.get(objective__copied_from=goal)
    assert (copied.start_value, copied.target_value, copied.direction) == (12, 10, "decrease")


def test_the_manager_may_copy_forward(login, cast, goal):
    assert login(cast.bob).post(copy_url(goal), {"final_score": "50"}).status_code == 302


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("erin", 403), ("dave", 404)])
def test_others_may_not_copy_forward(login, cast, goal, who, status):
    client = login(getattr(cast, who))
    assert client.get(copy_url(goal)).status_code == status
    assert client.post(copy_url(goal), {"final_score": "50"}).status_code == status
    assert not Objective.objects.filter(copied_from=goal).exists()


def test_the_old_goal_links_to_its_copy_for_those_who_may_see_it(login, cast, goal):
    login(cast.alice).post(copy_url(goal), {"final_score": "80"})
    copy = Objective.objects.get(copied_from=goal)
    page = reverse("goals:goal", args=[goal.pk])
    assert login(cast.bob).get(page).context["copy"] == copy
    Objective.objects.filter(pk=copy.pk).update(visibility="private")
    response = login(cast.carol).get(page)
    assert response.context["copy"] is None
