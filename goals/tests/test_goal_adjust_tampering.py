"""Adjusting a goal with a post that was tampered with or went stale answers 400 (the key
results changed) or the form's errors, never a 500, and changes nothing."""

import pytest

from goals.models import Adjustment, KeyResult
from goals.tests.factories import make_goal
from goals.tests.test_goal_adjust import adjust_data, adjust_url

STALE = "The key results changed since this page was opened"


@pytest.fixture
def goal(cast):
    return make_goal(cast.alice, title="Ship the API", key_results=[(0, 10, 4), (0, 5, 1)])


def assert_unchanged(goal):
    assert sorted(KeyResult.objects.values_list("objective_id", "target_value")) == sorted(
        [(goal.pk, 10), (goal.pk, 5), *[(kr.objective_id, kr.target_value) for kr in others()]]
    )
    assert not Adjustment.objects.exists()


def others():
    return KeyResult.objects.exclude(objective__title="Ship the API")


def foreign_id(cast):
    return make_goal(cast.dave, title="Close deals", key_results=[(0, 10, 4)]).key_results.get().pk


@pytest.mark.parametrize(
    "posted_id",
    ["", "999999", "abc", "-1", "1e3", "foreign", "missing"],
)
def test_a_key_result_that_is_not_the_goals_answers_400(login, cast, goal, posted_id):
    data = adjust_data(goal, "New scope", **{"kr-0-target_value": "20"})
    if posted_id == "foreign":
        data["kr-0-id"] = foreign_id(cast)
    elif posted_id == "missing":
        del data["kr-0-id"]
    else:
        data["kr-0-id"] = posted_id
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 400
    assert STALE in response.text
    assert_unchanged(goal)


def test_the_same_key_result_twice_answers_400(login, cast, goal):
    data = adjust_data(goal, "New scope", **{"kr-1-target_value": "20"})
    data["kr-1-id"] = data["kr-0-id"]
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 400
    assert_unchanged(goal)


def test_a_key_result_removed_meanwhile_answers_400(login, cast, goal):
    data = adjust_data(goal, "New scope", **{"kr-0-target_value": "20"})
    KeyResult.objects.filter(pk=data["kr-0-id"]).delete()
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 400
    assert STALE in response.text
    assert KeyResult.objects.get(objective=goal).target_value == 5  # the other one, untouched


def test_the_goals_own_ids_in_another_order_still_adjust(login, cast, goal):
    first, second = goal.key_results.order_by("position")
    data = adjust_data(goal, "New scope")
    data.update({"kr-0-id": second.pk, "kr-0-title": second.title, "kr-0-target_value": "8"})
    data.update({"kr-1-id": first.pk, "kr-1-title": first.title, "kr-1-target_value": "10"})
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.target_value == 8


@pytest.mark.parametrize(
    "changes",
    [
        {"start_date": "nonsense"},
        {"end_date": "2024-02-30"},
        {"parent": "abc"},
        {"parent": "999999"},
        {"visibility": "everyone"},
        {"kr-0-target_value": "NaN"},
        {"kr-0-target_value": "1e999"},
        {"kr-0-title": ""},
        {"kr-TOTAL_FORMS": "abc"},
        {"kr-INITIAL_FORMS": "1000"},
        {"title": "x" * 5000},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_malformed_values_are_refused_or_ignored(login, cast, goal, changes):
    response = login(cast.alice).post(adjust_url(goal), adjust_data(goal, "Why", **changes))
    # The form's errors, or "nothing changed" for values the page does not read.
    assert response.status_code in (200, 302, 400)
    assert_unchanged(goal)


def test_a_post_without_the_key_results_changes_nothing(login, cast, goal):
    data = {k: v for k, v in adjust_data(goal, "Why", title="New").items() if k.startswith("kr")}
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code in (200, 302, 400)
    assert_unchanged(goal)
