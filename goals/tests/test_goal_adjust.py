"""Adjusting a goal: new values with a reason, kept in the history; who may; no cycles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Adjustment, Objective
from goals.tests.factories import days_ago, make_goal


def adjust_url(goal):
    return reverse("goals:adjust", args=[goal.pk])


def adjust_data(goal, reason="", **changes):
    """What the adjust form posts for `goal` unchanged, plus `changes`; key results by index
    as kr-0-target_value and so on."""
    results = list(goal.key_results.all())
    data = {
        "title": goal.title,
        "description": goal.description,
        "start_date": goal.start_date.isoformat(),
        "end_date": goal.end_date.isoformat(),
        "visibility": goal.visibility,
        "parent": goal.parent_id or "",
        "reason": reason,
        "kr-TOTAL_FORMS": str(len(results)),
        "kr-INITIAL_FORMS": str(len(results)),
        "kr-MIN_NUM_FORMS": "0",
        "kr-MAX_NUM_FORMS": "1000",
    }
    for index, result in enumerate(results):
        data.update(
            {
                f"kr-{index}-id": result.pk,
                f"kr-{index}-objective": goal.pk,
                f"kr-{index}-title": result.title,
                f"kr-{index}-target_value": result.target_value,
                f"kr-{index}-unit": result.unit,
            }
        )
    return {**data, **changes}


@pytest.fixture
def goal(cast):
    goal = make_goal(cast.alice, title="Ship the API", visibility="team", key_results=[(0, 10, 4)])
    goal.last_activity_at = days_ago(30)
    goal.save()
    return goal


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_owner_and_their_manager_may_adjust(login, cast, goal, who):
    assert login(getattr(cast, who)).get(adjust_url(goal)).status_code == 200


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_those_who_may_only_look_get_403(login, cast, goal, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("goals:goal", args=[goal.pk])).status_code == 200
    assert client.get(adjust_url(goal)).status_code == 403
    response = client.post(adjust_url(goal), adjust_data(goal, "why", title="Hijacked"))
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.title == "Ship the API"


@pytest.mark.parametrize("who", ["dave", "frank"])
def test_those_who_may_not_see_it_get_404(login, cast, goal, who):
    assert login(getattr(cast, who)).get(adjust_url(goal)).status_code == 404


# --- Adjusting --------------------------------------------------------------------------------


def test_it_keeps_the_change_and_the_reason(login, cast, goal):
    data = adjust_data(goal, "a second team joined", **{"kr-0-target_value": "12"})
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 302
    assert response.url == goal.get_absolute_url()
    assert goal.key_results.get().target_value == 12
    adjustment = Adjustment.objects.get()
    assert (adjustment.reason, adjustment.author) == ("a second team joined", cast.alice)
    assert adjustment.changes == [{"field": "Key result 1: target", "old": "10", "new": "12"}]
    goal.refresh_from_db()
    assert goal.last_activity_at > timezone.now() - timedelta(minutes=1)
    page = login(cast.alice).get(response.url)
    assert "by Alice Employee because a second team joined" in page.text
    assert "Key result 1: target 10 → 12" in page.text


def test_it_lists_every_changed_field(login, cast, goal):
    new_end = goal.end_date + timedelta(days=14)
    data = adjust_data(
        goal,
        "scope grew",
        title="Ship the public API",
        end_date=new_end.isoformat(),
        visibility="public",
        **{"kr-0-unit": "endpoints"},
    )
    login(cast.alice).post(adjust_url(goal), data)
    changes = Adjustment.objects.get().changes
    assert changes == [
        {"field": "Objective", "old": "Ship the API", "new": "Ship the public API"},
        {"field": "End", "old": goal.end_date.isoformat(), "new": new_end.isoformat()},
        {
            "field": "Who can see it",
            "old": "The team and management chain",
            "new": "Everyone in the organisation",
        },
        {"field": "Key result 1: unit", "old": "—", "new": "endpoints"},
    ]
    goal.refresh_from_db()
    assert (goal.title, goal.end_date, goal.visibility) == (
        "Ship the public API",
        new_end,
        "public",
    )


def test_without_a_reason_nothing_is_saved(login, cast, goal):
    data = adjust_data(goal, "", title="Ship it all")
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert 'value="Ship it all"' in response.text
    goal.refresh_from_db()
    assert goal.title == "Ship the API"
    assert not Adjustment.objects.exists()


def test_without_a_change_it_says_nothing_changed(login, cast, goal):
    response = login(cast.alice).post(
        adjust_url(goal), adjust_data(goal, "just looking"), follow=True
    )
    assert "Nothing changed." in response.text
    assert not Adjustment.objects.exists()
    goal.refresh_from_db()
    assert goal.last_activity_at < timezone.now() - timedelta(days=29)


def test_the_same_number_written_differently_is_no_change(login, cast, goal):
    data = adjust_data(goal, "tidy", **{"kr-0-target_value": "10.00"})
    response = login(cast.alice).post(adjust_url(goal), data, follow=True)
    assert "Nothing changed." in response.text


def test_an_end_before_the_start_is_refused(login, cast, goal):
    data = adjust_data(goal, "oops", end_date=(goal.start_date - timedelta(days=1)).isoformat())
    response = login(cast.alice).post(adjust_url(goal), data)
    assert "The end date must be after the start date." in response.text
    assert not Adjustment.objects.exists()


@pytest.mark.parametrize("number", ["nan", "Infinity", "1e400", ""])
def test_a_target_must_be_an_ordinary_number(login, cast, goal, number):
    data = adjust_data(goal, "why", **{"kr-0-target_value": number})
    response = login(cast.alice).post(adjust_url(goal), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["target_value"]
    assert goal.key_results.get().target_value == 10


def test_a_target_below_the_start_turns_the_key_result_round(login, cast, goal):
    result = goal.key_results.get()
    result.start_value = 5
    result.save()
    login(cast.alice).post(
        adjust_url(goal), adjust_data(goal, "fewer bugs", **{"kr-0-target_value": "2"})
    )
    assert goal.key_results.get().direction == "decrease"


def test_a_company_goal_cannot_contribute_to_a_goal_that_supports_it(login, cast):
    top = make_goal(title="Double revenue")
    below = make_goal(title="Enterprise revenue", parent=top)
    response = login(cast.erin).post(adjust_url(top), adjust_data(top, "loop", parent=below.pk))
    assert response.status_code == 200
    assert "A goal cannot contribute to itself or to a goal that supports it." in response.text
    top.refresh_from_db()
    assert top.parent_id is None


def test_a_longer_description_counts_as_a_change(login, cast, goal):
    goal.description = "x" * 100
    goal.save()
    login(cast.alice).post(adjust_url(goal), adjust_data(goal, "more", description="x" * 101))
    change = Adjustment.objects.get().changes[0]
    assert (change["field"], len(change["old"]), len(change["new"])) == ("Why it matters", 80, 80)


def test_it_realigns_to_another_goal(login, cast, goal):
    platform = make_goal(team=cast.platform, title="Platform reliability", visibility="team")
    login(cast.alice).post(adjust_url(goal), adjust_data(goal, "belongs there", parent=platform.pk))
    goal.refresh_from_db()
    assert goal.parent == platform
    assert Adjustment.objects.get().changes == [
        {"field": "Contributes to", "old": "—", "new": "Platform reliability"}
    ]


def test_a_parent_the_editor_cannot_see_is_neither_shown_nor_lost(login, cast):
    secret = make_goal(cast.carol, title="Secret reorganisation", visibility="private")
    goal = make_goal(cast.alice, title="Alice goal", parent=secret)
    client = login(cast.alice)
    page = client.get(adjust_url(goal))
    assert "Secret reorganisation" not in page.text
    assert "a goal you cannot see" in page.text
    data = adjust_data(goal, "clearer", title="Alice's clearer goal")
    del data["parent"]
    client.post(adjust_url(goal), data)
    goal.refresh_from_db()
    assert (goal.title, goal.parent) == ("Alice's clearer goal", secret)


def test_the_page_needs_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    goal = make_goal(cast.alice, key_results=[(0, 10, 1)] * 5)
    for index in range(20):
        make_goal(team=cast.platform, title=f"Platform goal {index}")
    client = login(cast.alice)
    with django_assert_max_num_queries(10):
        assert client.get(adjust_url(goal)).status_code == 200
    assert Objective.objects.count() == 21
