"""A goal's page: who may see it, what it says, where it leads, its chart and its history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Adjustment, KeyResult, ProgressUpdate, record_progress
from goals.tests.factories import make_goal


def page(goal):
    return reverse("goals:goal", args=[goal.pk])


@pytest.fixture
def team_goal(cast):
    """Alice's goal shared with her team and management chain, with one key result."""
    return make_goal(cast.alice, title="Ship the API", visibility="team", key_results=[(0, 100, 0)])


# --- Who may see it ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin"])
def test_the_team_and_chain_and_hr_see_a_team_goal(login, cast, team_goal, who):
    response = login(getattr(cast, who)).get(page(team_goal))
    assert response.status_code == 200
    assert "Ship the API" in response.text


@pytest.mark.parametrize("who", ["dave", "frank"])
def test_others_do_not_learn_that_a_team_goal_exists(login, cast, team_goal, who):
    assert login(getattr(cast, who)).get(page(team_goal)).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("bob", 200), ("carol", 404), ("erin", 404)])
def test_a_private_goal_is_for_the_owner_and_their_manager(login, cast, who, status):
    goal = make_goal(cast.alice, visibility="private")
    assert login(getattr(cast, who)).get(page(goal)).status_code == status


def test_signing_in_comes_first(client, cast, team_goal):
    response = client.get(page(team_goal))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_an_unknown_goal_is_not_found(login, cast):
    assert login(cast.alice).get(reverse("goals:goal", args=[999])).status_code == 404


# --- What it says --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "audience"),
    [
        ("public", {"everyone in the organisation": []}),
        (
            "team",
            {
                "you": ["Alice Employee"],
                "your management chain": ["Bob Manager", "Carol Leader"],
                "your team, Platform": ["Alice Employee", "Bob Manager"],
                "HR for the whole organisation": ["Erin HR"],
            },
        ),
        ("private", {"you": ["Alice Employee"], "your manager": ["Bob Manager"]}),
    ],
)
def test_who_can_see_it_is_derived_from_the_rules_by_name_and_role(
    login, cast, visibility, audience
):
    goal = make_goal(cast.alice, visibility=visibility)
    response = login(cast.alice).get(page(goal))
    lines = response.context["who"].lines
    assert {line.label: [p.name for p in line.people] for line in lines} == audience
    for label in audience:
        assert label.lower() in response.text.lower()


def test_her_manager_reads_the_roles_as_hers(login, cast):
    goal = make_goal(cast.alice, visibility="private")
    response = login(cast.bob).get(page(goal))
    assert "<strong>Alice Employee</strong> — whom it is about" in response.text
    assert "<strong>You</strong> — Alice Employee’s manager" in response.text


def test_a_team_goal_says_the_team_and_its_lead_see_it(login, cast):
    goal = make_goal(team=cast.platform, visibility="team")
    response = login(cast.bob).get(page(goal))
    lines = {line.label: line for line in response.context["who"].lines}
    assert [p.name for p in lines["the lead of Platform"].people] == ["Bob Manager"]
    assert [p.name for p in lines["the management chain of the lead of Platform"].people] == [
        "Carol Leader"
    ]
    within = lines["everyone in Platform and the teams within it"]
    assert [p.name for p in within.people] == ["Alice Employee", "Bob Manager"]
    assert [p.name for p in lines["HR for the whole organisation"].people] == ["Erin HR"]


def test_it_shows_each_key_result_and_a_dash_when_progress_is_undefined(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 10, 5), (4, 4, 4)])
    response = login(cast.alice).get(page(goal))
    assert "5 (from 0 to 10)" in response.text
    assert "50 %" in response.text
    assert "—" in response.text
    assert [kr.progress for kr in response.context["results"]] == [0.5, None]


def test_it_suggests_a_status_from_progress_and_time(login, cast):
    start = timezone.localdate() - timedelta(days=80)
    goal = make_goal(
        cast.alice, start_date=start, end_date=start + timedelta(days=90), key_results=[(0, 10, 1)]
    )
    response = login(cast.alice).get(page(goal))
    assert response.context["suggested"] == "Off track"
    assert "suggested: Off track" in response.text


def test_editors_get_the_buttons_and_others_do_not(login, cast, team_goal):
    for who in (cast.alice, cast.bob):
        response = login(who).get(page(team_goal))
        assert response.context["can_edit"]
        assert reverse("goals:adjust", args=[team_goal.pk]) in response.text
        assert reverse("goals:update", args=[team_goal.pk]) in response.text
        assert reverse("goals:copy_forward", args=[team_goal.pk]) in response.text
    response = login(cast.carol).get(page(team_goal))
    assert not response.context["can_edit"]
    assert reverse("goals:adjust", args=[team_goal.pk]) not in response.text


# --- Alignment ----------------------------------------------------------------------------------


def test_contributes_to_lists_the_goals_above_from_the_top(login, cast):
    company = make_goal(title="Double revenue")
    team = make_goal(team=cast.platform, title="Platform revenue", parent=company)
    goal = make_goal(cast.alice, title="Alice revenue", parent=team)
    response = login(cast.dave).get(page(goal))
    assert response.context["trail"] == [company, team]
    assert response.text.index("Double revenue") < response.text.index("Platform revenue")


def test_a_hidden_parent_is_never_named(login, cast):
    secret = make_goal(cast.bob, title="Secret reorganisation", visibility="private")
    goal = make_goal(cast.alice, title="Alice revenue", parent=secret)
    response = login(cast.dave).get(page(goal))
    assert response.status_code == 200
    assert "Secret reorganisation" not in response.text
    assert "A goal you cannot see" in response.text
    assert response.context["trail"] == [None]


def test_supported_by_lists_only_the_goals_the_viewer_may_see_with_their_progress(login, cast):
    company = make_goal(title="Double revenue")
    make_goal(cast.alice, title="Alice public", parent=company, key_results=[(0, 4, 1)])
    make_goal(cast.alice, title="Alice private", parent=company, visibility="private")
    response = login(cast.dave).get(page(company))
    assert [child.title for child in response.context["children"]] == ["Alice public"]
    assert "25 %" in response.text
    assert "Alice private" not in response.text


# --- Chart ----------------------------------------------------------------------------------------


def test_the_chart_has_a_point_per_update_of_each_key_result(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 200, 0), (10, 0, 10)])
    rising, falling = goal.key_results.all()
    start = timezone.now() - timedelta(days=10)
    for day, value in enumerate([20, 50, 100]):
        record_progress(
            goal, author=cast.alice, key_result=rising, value=value, at=start + timedelta(days=day)
        )
    record_progress(goal, author=cast.alice, key_result=falling, value=Decimal("7.5"), at=start)
    chart = login(cast.alice).get(page(goal)).context["chart"]
    first, second = chart["series"]
    assert first["label"] == "Key result 1"
    assert [point["y"] for point in first["points"]] == [10.0, 25.0, 50.0]
    assert [point["y"] for point in second["points"]] == [25.0]
    assert first["points"][0]["x"] == timezone.localtime(start).isoformat()


def test_the_chart_follows_the_progress_of_a_goal_without_key_results(login, cast):
    goal = make_goal(cast.alice, kind="learning")
    for value in (10, 40):
        record_progress(goal, author=cast.alice, value=Decimal(value))
    chart = login(cast.alice).get(page(goal)).context["chart"]
    assert [[point["y"] for point in series["points"]] for series in chart["series"]] == [
        [10.0, 40.0]
    ]


def test_the_ideal_line_runs_from_nothing_at_the_start_to_all_at_the_end(login, cast):
    goal = make_goal(cast.alice)
    chart = login(cast.alice).get(page(goal)).context["chart"]
    assert chart["ideal"] == [
        {"x": goal.start_date.isoformat(), "y": 0},
        {"x": goal.end_date.isoformat(), "y": 100},
    ]


def test_the_chart_data_travels_as_json_for_a_static_script(login, cast):
    response = login(cast.alice).get(page(make_goal(cast.alice)))
    assert '<script id="goal-chart-data" type="application/json">' in response.text
    assert "goals/goal-chart.js" in response.text
    assert "vendor/chart.umd.min.js" in response.text


# --- History ------------------------------------------------------------------------------------


def test_the_history_lists_updates_and_adjustments_newest_first(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 10, 0)])
    result = goal.key_results.get()
    earlier = timezone.now() - timedelta(days=3)
    record_progress(
        goal,
        author=cast.alice,
        key_result=result,
        value=4,
        confidence=7,
        comment="Two demos",
        at=earlier,
    )
    Adjustment.objects.create(
        objective=goal,
        reason="the budget was cut",
        author=cast.bob,
        changes=[{"field": "Key result 1: target", "old": "10", "new": "8"}],
    )
    response = login(cast.alice).get(page(goal))
    kinds = [entry["kind"] for entry in response.context["history"]]
    assert kinds == ["adjustment", "update"]
    assert "by Bob Manager because the budget was cut" in response.text
    assert "Key result 1: target 10 → 8" in response.text
    assert "Alice Employee set “Key result 1” to 4" in response.text
    assert "confidence 7" in response.text
    assert "Two demos" in response.text


def test_the_history_is_bounded_and_says_how_much_there_is(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 100, 0)])
    result = goal.key_results.get()
    now = timezone.now()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            objective=goal,
            key_result=result,
            value=i,
            author=cast.alice,
            created_at=now - timedelta(hours=60 - i),
        )
        for i in range(60)
    )
    response = login(cast.alice).get(page(goal))
    assert len(response.context["history"]) == 50
    assert response.context["history"][0]["value"] == "59"
    assert "The latest 50 of 60 entries." in response.text


def test_the_page_needs_the_same_queries_however_much_history_and_support(
    login, cast, django_assert_max_num_queries
):
    company = make_goal(title="Double revenue")
    goal = make_goal(
        team=cast.platform,
        title="Platform revenue",
        parent=company,
        key_results=[(0, 100, 0), (0, 1, 0)],
    )
    results = list(goal.key_results.all())
    now = timezone.now()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            objective=goal,
            key_result=results[i % 2],
            value=i,
            author=cast.bob,
            created_at=now - timedelta(hours=i),
        )
        for i in range(120)
    )
    for i in range(60):
        child = make_goal(cast.alice, title=f"Child {i}", parent=goal)
        KeyResult.objects.create(objective=child, title="Calls", start_value=0, target_value=5)
        Adjustment.objects.create(objective=goal, reason=f"reason {i}", author=cast.bob)
    client = login(cast.carol)
    client.get(page(goal))  # what a process keeps (the goals' settings, the page's SQL)
    # 15, and 3 more counts where a list shows only the first 50 (supported by, updates and
    # adjustments): the session, the viewer and their HR role, the navigation's counts; the
    # goal; the goals around it (where it leads, what supports it, its copy); its key results
    # and theirs; the updates, adjustments and the chart's points; the feedback about it that
    # the viewer may read; who can see it (the people named and HR); the access log.
    with django_assert_max_num_queries(18):
        response = client.get(page(goal))
    assert response.status_code == 200
    assert len(response.context["children"]) == 50
    assert response.context["children_total"] == 60


def test_a_reports_goal_as_their_manager_within_fifteen_queries(
    login, cast, django_assert_max_num_queries
):
    """The benchmark's "Goal page (report's)": a goal with a parent, children, a copy,
    feedback and history, read by the owner's manager (the access log records it)."""
    from feedback.models import Feedback

    company = make_goal(title="Double revenue")
    goal = make_goal(cast.alice, title="Alice's goal", parent=company, key_results=[(0, 9, 3)])
    for i in range(5):
        child = make_goal(cast.alice, title=f"Child {i}", parent=goal)
        KeyResult.objects.create(objective=child, title="Calls", start_value=0, target_value=5)
        record_progress(
            goal, key_result=goal.key_results.first(), value=Decimal(i + 1), author=cast.alice
        )
    make_goal(cast.alice, title="Alice's goal, continued", copied_from=goal)
    Feedback.objects.create(giver=cast.bob, receiver=cast.alice, goal=goal, text="Well done")
    client = login(cast.bob)
    client.get(page(goal))
    with django_assert_max_num_queries(15):
        response = client.get(page(goal))
    text = response.text
    assert "Child 4" in text and "Double revenue" in text and "continued" in text
    assert "Well done" in text


def test_the_page_is_read_afresh_for_each_viewer(login, cast):
    """The page's SQL is kept per viewer state and day (`cadence.waiting.kept_rows`), never
    its rows: what changed shows on the next page, and each viewer sees what they may."""
    from goals.models import Objective, Visibility

    goal = make_goal(cast.alice, title="Alice's goal", key_results=[(0, 9, 3)])
    make_goal(cast.alice, title="Open child", parent=goal)
    hidden = make_goal(
        cast.alice, title="Private child", parent=goal, visibility=Visibility.PRIVATE
    )
    for _ in range(2):  # the second time from the kept SQL
        assert "Private child" in login(cast.bob).get(page(goal)).text
        peer = login(cast.carol).get(page(goal)).text
        assert "Open child" in peer and "Private child" not in peer
    make_goal(cast.alice, title="New child", parent=goal)
    Objective.objects.filter(pk=hidden.pk).update(title="Renamed child")
    record_progress(
        goal,
        key_result=goal.key_results.first(),
        value=Decimal(7),
        author=cast.alice,
        comment="Seven",
    )
    text = login(cast.bob).get(page(goal)).text
    assert "New child" in text and "Renamed child" in text and "Seven" in text


# --- A new goal, the edit action, asking for feedback, overlapping lines ----------------------


def test_a_goal_set_today_does_not_open_as_off_track(login, cast):
    start = timezone.localdate() - timedelta(days=60)
    goal = make_goal(
        cast.alice,
        start_date=start,
        end_date=start + timedelta(days=90),
        key_results=[(0, 10, 0)],
        created_at=timezone.now(),  # written today, six weeks into its period
    )
    response = login(cast.alice).get(page(goal))
    assert response.context["suggested"] is None
    assert "suggested:" not in response.text
    assert goal.suggested_status == "on_track"
    assert goal.expected_progress == 0
    assert "(expected by now: 0 %)" in response.text
    # The chart's ideal line waits for the day it was set.
    assert response.context["chart"]["ideal"] == [
        {"x": start.isoformat(), "y": 0},
        {"x": timezone.localdate().isoformat(), "y": 0},
        {"x": goal.end_date.isoformat(), "y": 100},
    ]


def test_the_action_to_change_a_goal_is_called_edit_goal(login, cast, team_goal):
    response = login(cast.alice).get(page(team_goal))
    assert ">Edit goal</a>" in response.text
    assert ">Adjust</a>" not in response.text
    edit = login(cast.alice).get(reverse("goals:adjust", args=[team_goal.pk]))
    assert "<h1>Edit “Ship the API”</h1>" in edit.text
    assert "Save changes" in edit.text


def test_the_owner_may_ask_for_feedback_on_the_goal_with_it_chosen(login, cast, team_goal):
    client = login(cast.alice)
    link = f"{reverse('feedback:request_create')}?goal={team_goal.pk}"
    response = client.get(page(team_goal))
    assert response.context["may_ask_feedback"]
    assert f'href="{link}"' in response.text
    assert "Ask for feedback on this goal" in response.text
    form = client.get(link).context["form"]
    assert form["goal"].value() == team_goal.pk
    assert form["topic"].value() == "Ship the API"


def test_only_the_owner_is_offered_to_ask_for_feedback_on_a_goal(login, cast, team_goal):
    response = login(cast.bob).get(page(team_goal))  # her manager: may give, not ask
    assert not response.context["may_ask_feedback"]
    assert "Ask for feedback on this goal" not in response.text
    # Someone else's goal in the query is not chosen (the form offers only one's own goals).
    form = (
        login(cast.bob)
        .get(f"{reverse('feedback:request_create')}?goal={team_goal.pk}")
        .context["form"]
    )
    assert form["goal"].value() in (None, "")
    assert form["topic"].value() in (None, "")


def test_two_key_results_at_the_same_figures_are_drawn_apart(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 10, 0), (0, 10, 0), (0, 10, 0)])
    first, second, third = goal.key_results.order_by("position")
    for result in (first, second, third):
        record_progress(goal, author=cast.alice, key_result=result, value=Decimal(5))
    chart = login(cast.alice).get(page(goal)).context["chart"]
    series = chart["series"]
    assert [point["y"] for point in series[0]["points"]] == [50.0]
    assert [point["y"] for point in series[1]["points"]] == [50.0]
    styles = [one["style"] for one in series]
    # Each its own shape, and sizes falling with the drawing order, so none hides another.
    assert len({style["point"] for style in styles}) == 3
    assert styles[0]["radius"] > styles[1]["radius"] > styles[2]["radius"]
    assert styles[0]["width"] > styles[1]["width"] > styles[2]["width"]
    assert styles[0]["order"] > styles[1]["order"] > styles[2]["order"]
    assert [style["hollow"] for style in styles] == [True, True, False]
