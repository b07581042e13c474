"""Goals needing attention: at the top of my lists, and on Home."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import GoalSettings, Objective, Status
from goals.tests.factories import days_ago, make_goal

MINE, TEAM = reverse("goals:mine"), reverse("goals:team")


def open_goal(owner, title, **fields):
    """A goal that is nowhere near its end, so that only what the test sets draws attention."""
    today = timezone.localdate()
    fields.setdefault("start_date", today - timedelta(days=30))
    fields.setdefault("end_date", today + timedelta(days=60))
    return make_goal(owner, title=title, **fields)


def neglect(goal, weeks=4):
    Objective.objects.filter(pk=goal.pk).update(
        last_activity_at=timezone.now() - timedelta(weeks=weeks)
    )


def attention(response):
    return {row.goal.title: row.reasons for row in response.context["attention"]["rows"]}


def test_it_shows_a_goal_not_updated_for_four_weeks(login, cast):
    neglect(open_goal(cast.alice, "Forgotten"))
    open_goal(cast.alice, "Fresh")
    response = login(cast.alice).get(MINE)
    assert attention(response) == {"Forgotten": ["not updated for 4 weeks"]}
    assert "Needs attention" in response.text


def test_it_measures_staleness_with_the_organisations_setting(login, cast):
    GoalSettings.objects.create(pk=1, stale_after_weeks=6)
    neglect(open_goal(cast.alice, "Four weeks quiet"))
    assert attention(login(cast.alice).get(MINE)) == {}


def test_it_shows_an_at_risk_goal(login, cast):
    open_goal(cast.alice, "Wobbly", status=Status.AT_RISK)
    assert attention(login(cast.alice).get(MINE)) == {"Wobbly": ["at risk"]}


def test_it_does_not_show_a_done_goal(login, cast):
    neglect(open_goal(cast.alice, "Finished", status=Status.DONE))
    assert attention(login(cast.alice).get(MINE)) == {}


def test_it_shows_a_goal_ending_soon_with_little_done_but_not_one_nearly_there(login, cast):
    soon = timezone.localdate() + timedelta(days=7)
    open_goal(cast.alice, "Behind", end_date=soon, key_results=[(0, 10, 2)])
    open_goal(cast.alice, "Nearly there", end_date=soon, key_results=[(0, 10, 9)])
    assert attention(login(cast.alice).get(MINE)) == {"Behind": ["ends soon with 20% done"]}


def test_it_shows_ten_and_counts_the_rest(login, cast):
    for i in range(13):
        open_goal(cast.alice, f"Risky {i:02}", status=Status.OFF_TRACK)
    response = login(cast.alice).get(MINE)
    assert len(attention(response)) == 10
    assert "And 3 more goals need attention." in response.text


def test_it_counts_every_goal_needing_attention_but_loads_only_the_ten_shown(login, cast):
    """The count is exact however many goals need attention (no scan limit), and the rows
    not shown are not read: the query for them returns ten, their key results one query."""
    for i in range(120):
        open_goal(cast.alice, f"Risky {i:03}", status=Status.OFF_TRACK, key_results=[(0, 10, 2)])
    client = login(cast.alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MINE)
    assert len(attention(response)) == 10
    assert "And 110 more goals need attention." in response.text
    attention_sql = [q["sql"] for q in queries if "OVER ()" in q["sql"]]
    assert len(attention_sql) == 1 and "LIMIT 10" in attention_sql[0]


def test_my_teams_goals_show_the_reports_goals_needing_attention(login, cast, client):
    open_goal(cast.alice, "Alice at risk", status=Status.AT_RISK, visibility="private")
    assert attention(login(cast.bob).get(TEAM)) == {"Alice at risk": ["at risk"]}
    client.logout()
    for person in (cast.carol, cast.dave, cast.erin):
        assert "Alice at risk" not in login(person).get(TEAM).text
        client.logout()


def test_the_company_list_has_no_attention_section(login, cast):
    open_goal(None, "Company at risk", status=Status.AT_RISK)
    response = login(cast.alice).get(reverse("goals:company"))
    assert "attention" not in response.context
    assert 'id="attention-h"' not in response.text


# --- Home -------------------------------------------------------------------------------------


def test_home_lists_my_goals_needing_attention_as_waiting_for_me(login, cast):
    forgotten = open_goal(cast.alice, "Forgotten")
    neglect(forgotten)
    open_goal(cast.alice, "Fine")
    text = login(cast.alice).get("/").text
    waiting = text[text.index("Waiting for you") :]
    assert "Forgotten" in waiting and "not updated for 4 weeks" in waiting
    assert reverse("goals:goal", args=[forgotten.pk]) in waiting
    assert "Fine" not in text
    assert "Your reports’ goals" not in text


def test_home_shows_a_manager_the_goals_of_their_reports_needing_attention(login, cast, client):
    open_goal(cast.alice, "Alice at risk", status=Status.AT_RISK, visibility="private")
    text = login(cast.bob).get("/").text
    assert "Your reports’ goals" in text and "Alice at risk" in text
    client.logout()
    assert "Alice at risk" not in login(cast.carol).get("/").text  # skip-level: private


def test_home_says_when_nothing_waits(login, cast):
    assert "Nothing is waiting for you." in login(cast.alice).get("/").text


def test_home_shows_five_of_my_reports_goals_and_links_to_the_rest(login, cast):
    for i in range(7):
        open_goal(cast.bob, f"Bob risky {i}", status=Status.AT_RISK)
        open_goal(cast.alice, f"Alice risky {i}", status=Status.AT_RISK)
    response = login(cast.bob).get("/")
    assert len(response.context["reports_attention"]["rows"]) == 5
    assert response.text.count("And 2 more goals") == 1
    assert sum(1 for item in response.context["waiting"] if item.source == "goals_to_update") == 7


def test_home_no_longer_lists_modules_as_coming(login, cast):
    assert "Coming to Cadence" not in login(cast.alice).get("/").text


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_homes_query_count_is_pinned_and_does_not_grow_with_goals(
    login, cast, who, django_assert_max_num_queries
):
    def count_queries():
        client = login(getattr(cast, who))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    for i in range(3):
        open_goal(cast.alice, f"Alice risky {i}", status=Status.AT_RISK, key_results=[(0, 1, 0)])
    count_queries()  # the first request creates the goal settings
    small = count_queries()
    for i in range(40):
        goal = open_goal(cast.alice, f"More {i}", key_results=[(0, 1, 0)] * 3)
        Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(60))
    assert count_queries() == small
    client = login(getattr(cast, who))
    with django_assert_max_num_queries(12):
        client.get("/")
