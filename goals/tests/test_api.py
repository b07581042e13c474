"""The goals API: who sees and changes what, writing and adjusting goals, key results and
progress updates, validation that answers 422 (never 500), and a list of fixed query count."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadence.tests.paging import every_item, every_page
from goals.models import Adjustment, KeyResult, Objective, ProgressUpdate, quarter_of
from goals.tests.factories import make_goal

API = "/api/v1"
EVERYONE = ("alice", "bob", "carol", "dave", "erin", "frank")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def error_fields(response) -> set[str]:
    """The fields a 422 answer names."""
    assert response.status_code == 422, (response.status_code, response.content)
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


@pytest.fixture
def private_goal(cast):
    return make_goal(cast.alice, title="Find a new job", visibility="private")


@pytest.fixture
def metric(cast):
    """Alice's goal with one measurable key result from 0 to 100, at 10."""
    goal = make_goal(cast.alice, key_results=[(0, 100, 10)], visibility="team")
    return goal, goal.key_results.get()


# --- Seeing goals -----------------------------------------------------------------------------


def test_anonymous_callers_must_sign_in(client, metric):
    goal, _result = metric
    assert client.get(f"{API}/goals").status_code == 401
    assert client.get(f"{API}/goals/{goal.pk}").status_code == 401
    assert post(client, f"{API}/goals", {"title": "Mine"}).status_code == 401


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank"])
def test_a_private_goal_is_never_listed_nor_shown_to_others(login, cast, private_goal, who):
    make_goal(cast.alice, title="Ship the billing page", visibility="public")
    client = login(getattr(cast, who))
    body = client.get(f"{API}/goals").json()
    assert [g["title"] for g in body["items"]] == ["Ship the billing page"]
    assert body["next_cursor"] is None  # no page more gives the private goal away either
    assert len(every_item(client, f"{API}/goals", {"owner": cast.alice.pk, "limit": 1})) == 1
    assert client.get(f"{API}/goals/{private_goal.pk}").status_code == 404
    assert client.get(f"{API}/goals/{private_goal.pk}/key-results").status_code == 404
    assert client.get(f"{API}/goals/{private_goal.pk}/updates").status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_a_private_goal_is_seen_by_its_owner_and_their_manager(login, cast, private_goal, who):
    client = login(getattr(cast, who))
    assert len(every_item(client, f"{API}/goals", {"limit": 1})) == 1
    assert client.get(f"{API}/goals/{private_goal.pk}").json()["title"] == "Find a new job"


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("erin", 200), ("dave", 404), ("frank", 404)],
)
def test_a_goal_shared_with_the_team_is_seen_by_the_team_chain_and_hr(
    login, cast, metric, who, status
):
    goal, _result = metric
    assert login(getattr(cast, who)).get(f"{API}/goals/{goal.pk}").status_code == status


def test_a_goal_shows_its_owner_period_progress_and_key_results(login, cast, metric):
    goal, result = metric
    body = login(cast.alice).get(f"{API}/goals/{goal.pk}").json()
    assert body["owner"] == {"kind": "person", "id": cast.alice.pk, "name": "Alice Employee"}
    start, end = quarter_of(timezone.localdate())
    assert (body["start_date"], body["end_date"]) == (start.isoformat(), end.isoformat())
    assert body["period"].startswith("Q")
    assert body["progress"] == 0.1
    assert body["can_edit"] is True
    assert body["key_results"] == [
        {
            "id": result.pk,
            "title": "Key result 1",
            "type": "metric",
            "unit": "",
            "direction": "increase",
            "start_value": 0.0,
            "target_value": 100.0,
            "current_value": 10.0,
            "done": False,
            "weight": 1.0,
            "position": 0,
            "progress": 0.1,
            "updated_at": body["key_results"][0]["updated_at"],
        }
    ]


def test_undefined_progress_is_null(login, cast):
    goal = make_goal(cast.alice, key_results=[(5, 5, 5)])
    body = login(cast.alice).get(f"{API}/goals/{goal.pk}").json()
    assert body["progress"] is None
    assert body["key_results"][0]["progress"] is None
    assert (
        login(cast.alice).get(f"{API}/goals/{make_goal(cast.alice).pk}").json()["progress"] is None
    )


def test_company_and_team_goals_name_their_owner(login, cast):
    make_goal(None, title="Grow")
    make_goal(None, team=cast.platform, title="Faster payments")
    owners = {g["title"]: g["owner"] for g in login(cast.alice).get(f"{API}/goals").json()["items"]}
    assert owners["Grow"] == {"kind": "company", "id": None, "name": "Company"}
    assert owners["Faster payments"] == {"kind": "team", "id": cast.platform.pk, "name": "Platform"}


def test_can_edit_tells_who_may_change_a_goal(login, cast, metric):
    goal, _result = metric
    assert login(cast.bob).get(f"{API}/goals/{goal.pk}").json()["can_edit"] is True
    assert login(cast.carol).get(f"{API}/goals/{goal.pk}").json()["can_edit"] is False


# --- Filters and pages ------------------------------------------------------------------------


@pytest.fixture
def spread(cast):
    """Goals of several owners, periods, statuses and kinds, all public."""
    start, end = quarter_of(timezone.localdate())
    last_start, last_end = quarter_of(start - timedelta(days=1))
    make_goal(cast.alice, title="Alice now")
    make_goal(cast.alice, title="Alice before", start_date=last_start, end_date=last_end)
    make_goal(cast.bob, title="Bob at risk", status="at_risk")
    make_goal(cast.dave, title="Dave learns", kind="learning")
    make_goal(None, team=cast.platform, title="Platform")
    make_goal(None, team=cast.sales, title="Sales")
    make_goal(None, title="Company")
    return {"this": (start, end), "last": (last_start, last_end)}


def titles(client, **params):
    return sorted(g["title"] for g in client.get(f"{API}/goals", params).json()["items"])


def test_the_list_filters_by_owner(login, cast, spread):
    client = login(cast.alice)
    assert titles(client, owner="me") == ["Alice before", "Alice now"]
    assert titles(client, owner=cast.bob.pk) == ["Bob at risk"]
    assert titles(client, owner="company") == ["Company"]


def test_the_list_filters_by_team_and_the_teams_within_it(login, cast, spread):
    client = login(cast.alice)
    assert titles(client, team=cast.platform.pk) == [
        "Alice before",
        "Alice now",
        "Bob at risk",
        "Platform",
    ]
    assert titles(client, team=cast.sales.pk) == ["Dave learns", "Sales"]
    assert "Platform" in titles(client, team=cast.engineering.pk)
    assert titles(client, team=999_999) == []


def test_a_large_team_is_filtered_by_path_with_the_same_result(login, cast, spread, monkeypatch):
    client = login(cast.alice)
    by_id = titles(client, team=cast.engineering.pk)
    monkeypatch.setattr("goals.api.TEAM_IDS_LIMIT", 1)  # Engineering is "large" now
    assert titles(client, team=cast.engineering.pk) == by_id
    assert titles(client, team=cast.platform.pk) == [
        "Alice before",
        "Alice now",
        "Bob at risk",
        "Platform",
    ]


def test_the_list_filters_by_overlapping_period(login, cast, spread):
    client = login(cast.alice)
    start, end = spread["last"]
    assert titles(client, start=start, end=end) == ["Alice before"]
    assert "Alice before" not in titles(client, start=spread["this"][0])
    assert titles(client, end=start) == ["Alice before"]


def test_the_list_filters_by_status_and_kind(login, cast, spread):
    client = login(cast.alice)
    assert titles(client, status="at_risk") == ["Bob at risk"]
    assert titles(client, kind="learning") == ["Dave learns"]


@pytest.mark.parametrize(
    "params",
    [
        {"owner": "someone"},
        {"owner": "-3"},
        {"owner": "²"},
        {"owner": str(10**30)},
        {"status": "finished"},
        {"kind": "dream"},
        {"start": "yesterday"},
        {"team": 10**30},
        {"limit": 0},
        {"limit": 100_000},
        {"cursor": "nonsense"},
        {"cursor": "x" * 1001},
    ],
)
def test_bad_filters_are_refused_not_a_server_error(login, cast, params):
    assert login(cast.alice).get(f"{API}/goals", params).status_code == 422


def test_the_list_pages(login, cast):
    for number in range(7):
        make_goal(cast.alice, title=f"Goal {number}")
    client = login(cast.alice)
    first, second = every_page(client, f"{API}/goals", {"limit": 5})
    assert len(first) == 5
    assert [g["title"] for g in first][:2] == ["Goal 6", "Goal 5"]  # newest first
    assert [g["title"] for g in second] == ["Goal 1", "Goal 0"]


def add_goals(cast, count):
    for number in range(count):
        owner = (cast.alice, cast.bob, cast.dave)[number % 3]
        make_goal(
            owner,
            title=f"Goal {number}",
            visibility=("public", "team", "private")[number % 3],
            key_results=[(0, 10, number % 10), (10, 0, 5)],
        )
        make_goal(None, team=cast.platform, title=f"Team goal {number}", visibility="team")
        make_goal(None, title=f"Company goal {number}")


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_the_list_query_count_does_not_grow_with_the_goals(
    login, cast, who, django_assert_num_queries
):
    add_goals(cast, 2)
    client = login(getattr(cast, who))
    client.get(f"{API}/goals")  # warm up: the session, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/goals").status_code == 200
    add_goals(cast, 15)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/goals", {"limit": 20}).json()
    assert len(body["items"]) == 20
    with django_assert_num_queries(len(few.captured_queries)):  # a page further: the same
        assert client.get(f"{API}/goals", {"cursor": body["next_cursor"]}).status_code == 200


# --- Writing a goal ---------------------------------------------------------------------------


def test_someone_writes_their_own_goal_for_this_quarter(login, cast):
    response = post(login(cast.alice), f"{API}/goals", {"title": "Learn Rust", "kind": "learning"})
    assert response.status_code == 201, response.content
    body = response.json()
    goal = Objective.objects.get(pk=body["id"])
    assert (goal.owner_person, goal.created_by, goal.kind) == (cast.alice, cast.alice, "learning")
    assert (goal.start_date, goal.end_date) == quarter_of(timezone.localdate())
    assert body["owner"]["id"] == cast.alice.pk
    assert body["progress"] is None


def test_a_goal_is_written_with_its_key_results(login, cast):
    response = post(
        login(cast.alice),
        f"{API}/goals",
        {
            "title": "Fewer customers leave",
            "visibility": "team",
            "key_results": [
                {"title": "Churn", "start_value": 8, "target_value": 5, "unit": "%"},
                {"title": "Exit interviews", "type": "milestone", "weight": 2},
            ],
        },
    )
    assert response.status_code == 201, response.content
    results = response.json()["key_results"]
    assert [(r["title"], r["direction"], r["weight"]) for r in results] == [
        ("Churn", "decrease", 1.0),
        ("Exit interviews", "increase", 2.0),
    ]
    assert results[0]["current_value"] == 8.0
    assert response.json()["progress"] == 0.0


def test_a_goal_with_its_own_dates(login, cast):
    today = timezone.localdate()
    body = {"title": "Conference talk", "start_date": today.isoformat()}
    body["end_date"] = (today + timedelta(days=40)).isoformat()
    response = post(login(cast.alice), f"{API}/goals", body)
    assert response.status_code == 201, response.content
    assert response.json()["end_date"] == body["end_date"]


def test_a_goal_supports_a_goal_of_the_team(login, cast):
    team_goal = make_goal(None, team=cast.platform, visibility="team")
    response = post(login(cast.alice), f"{API}/goals", {"title": "Mine", "parent_id": team_goal.pk})
    assert response.status_code == 201, response.content
    goal = Objective.objects.get(pk=response.json()["id"])
    assert goal.path == f"/{team_goal.pk}/{goal.pk}/"


@pytest.mark.parametrize(
    ("who", "owner"),
    [("bob", "alice"), ("bob", "platform"), ("carol", "company"), ("erin", "company")],
)
def test_managers_leads_and_hr_write_goals_for_those_they_may(login, cast, who, owner):
    key = {"alice": f"person:{cast.alice.pk}", "platform": f"team:{cast.platform.pk}"}
    response = post(
        login(getattr(cast, who)), f"{API}/goals", {"title": "Ours", "owner": key.get(owner, owner)}
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner"]["kind"] == (
        "company" if owner == "company" else "person" if owner == "alice" else "team"
    )


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("alice", "bob"),
        ("dave", "alice"),
        ("carol", "alice"),  # a skip-level leader sets no goals for someone else's report
        ("alice", "platform"),
        ("alice", "company"),
        ("bob", "company"),
        ("frank", "company"),
        ("alice", "nobody"),
    ],
)
def test_nobody_writes_goals_for_whom_they_may_not(login, cast, who, owner):
    keys = {
        "bob": f"person:{cast.bob.pk}",
        "alice": f"person:{cast.alice.pk}",
        "platform": f"team:{cast.platform.pk}",
        "nobody": "person:999999",
    }
    response = post(
        login(getattr(cast, who)),
        f"{API}/goals",
        {"title": "Yours", "owner": keys.get(owner, owner)},
    )
    assert response.status_code == 403
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Nul \x00 byte"}, "title"),
        ({"title": "Mine", "owner": "the boss"}, "owner"),
        ({"title": "Mine", "kind": "dream"}, "kind"),
        ({"title": "Mine", "period": "forever"}, "period"),
        ({"title": "Mine", "start_date": "2026-05-01"}, "end_date"),
        ({"title": "Mine", "start_date": "2026-05-01", "end_date": "2026-04-01"}, "end_date"),
        ({"title": "Mine", "start_date": "2026-02-30", "end_date": "2026-04-01"}, "start_date"),
        ({"title": "Mine", "parent_id": 999_999}, "parent_id"),
        ({"title": "Mine", "parent_id": 10**30}, "parent_id"),
        ({"title": "Mine", "current_value": 3}, "current_value"),
        (
            {"title": "Mine", "key_results": [{"title": "Revenue", "target_value": 5}]},
            "start_value",
        ),
        (
            {
                "title": "Mine",
                "key_results": [{"title": "R", "start_value": 0, "target_value": 1e13}],
            },
            "target_value",
        ),
        (
            {
                "title": "Mine",
                "key_results": [{"title": f"R{n}", "type": "milestone"} for n in range(6)],
            },
            "key_results",
        ),
        ({"title": "Mine", "key_results": [{"title": "R", "weight": -1}]}, "weight"),
    ],
)
def test_an_invalid_goal_is_refused_with_the_field_named(login, cast, body, field):
    response = post(login(cast.alice), f"{API}/goals", body)
    assert field in error_fields(response)
    assert not Objective.objects.exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_that_are_not_finite_are_refused(login, cast, number):
    # As Python's JSON reader takes them: not standard JSON, but sent by some clients.
    result = f'{{"title": "R", "start_value": 0, "target_value": {number}}}'
    raw = f'{{"title": "Mine", "key_results": [{result}]}}'
    response = login(cast.alice).post(f"{API}/goals", raw, content_type="application/json")
    assert "target_value" in error_fields(response)


def test_a_private_goal_of_the_company_is_refused(login, cast):
    response = post(
        login(cast.erin),
        f"{API}/goals",
        {"title": "Ours", "owner": "company", "visibility": "private"},
    )
    assert "visibility" in error_fields(response)


def test_a_goal_cannot_support_a_goal_its_writer_cannot_see(login, cast, private_goal):
    response = post(
        login(cast.dave), f"{API}/goals", {"title": "Mine", "parent_id": private_goal.pk}
    )
    assert "parent_id" in error_fields(response)


@pytest.mark.parametrize("body", ["", "not json", "[1, 2]", '"title"'])
def test_a_body_that_is_not_a_goal_is_refused(login, cast, body):
    response = login(cast.alice).post(f"{API}/goals", body, content_type="application/json")
    assert response.status_code in (400, 422)


# --- Changing and adjusting a goal ------------------------------------------------------------


def test_the_owner_changes_the_status_without_a_reason(login, cast, metric):
    goal, _result = metric
    response = patch(login(cast.alice), f"{API}/goals/{goal.pk}", {"status": "at_risk"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "at_risk"
    goal.refresh_from_db()
    assert goal.status == "at_risk"
    assert not Adjustment.objects.exists()


@pytest.mark.parametrize(
    "change", [{"title": "Bigger"}, {"end_date": "2099-12-31"}, {"visibility": "public"}]
)
def test_adjusting_a_goal_needs_a_reason(login, cast, metric, change):
    goal, _result = metric
    response = patch(login(cast.alice), f"{API}/goals/{goal.pk}", change)
    assert error_fields(response) == {"reason"}
    assert Objective.objects.get(pk=goal.pk).title == goal.title


def test_an_adjustment_keeps_the_old_values_and_the_reason(login, cast, metric):
    goal, _result = metric
    old_end = goal.end_date
    new_end = old_end + timedelta(days=30)
    response = patch(
        login(cast.bob),
        f"{API}/goals/{goal.pk}",
        {
            "title": "Grow the pipeline twice",
            "end_date": new_end.isoformat(),
            "reason": "Hiring froze",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Grow the pipeline twice"
    adjustment = Adjustment.objects.get(objective=goal)
    assert (adjustment.reason, adjustment.author) == ("Hiring froze", cast.bob)
    assert {c["old"] for c in adjustment.changes} == {"Grow the pipeline", old_end.isoformat()}
    assert {c["new"] for c in adjustment.changes} == {
        "Grow the pipeline twice",
        new_end.isoformat(),
    }
    goal.refresh_from_db()
    assert goal.end_date == new_end
    assert goal.last_activity_at == adjustment.created_at


def test_sending_the_same_values_changes_nothing(login, cast, metric):
    goal, _result = metric
    response = patch(
        login(cast.alice), f"{API}/goals/{goal.pk}", {"title": goal.title, "status": goal.status}
    )
    assert response.status_code == 200
    assert not Adjustment.objects.exists()


def test_a_goal_cannot_be_aligned_to_a_goal_that_supports_it(login, cast):
    top = make_goal(cast.alice, title="Top")
    below = make_goal(cast.alice, title="Below", parent=top)
    response = patch(
        login(cast.alice), f"{API}/goals/{top.pk}", {"parent_id": below.pk, "reason": "Loop"}
    )
    assert "parent_id" in error_fields(response)


def test_an_adjustment_with_dates_the_wrong_way_round_is_refused(login, cast, metric):
    goal, _result = metric
    body = {"end_date": (goal.start_date - timedelta(days=1)).isoformat(), "reason": "Oops"}
    assert "end_date" in error_fields(patch(login(cast.alice), f"{API}/goals/{goal.pk}", body))


@pytest.mark.parametrize(
    ("who", "status"), [("carol", 403), ("erin", 403), ("dave", 404), ("frank", 404)]
)
def test_only_the_owner_and_their_manager_change_a_goal(login, cast, metric, who, status):
    goal, _result = metric
    response = patch(login(getattr(cast, who)), f"{API}/goals/{goal.pk}", {"status": "dropped"})
    assert response.status_code == status
    assert Objective.objects.get(pk=goal.pk).status == "on_track"


def test_an_unknown_status_is_refused(login, cast, metric):
    goal, _result = metric
    assert "status" in error_fields(
        patch(login(cast.alice), f"{API}/goals/{goal.pk}", {"status": "won"})
    )


# --- Key results ------------------------------------------------------------------------------


def test_key_results_are_listed_in_order(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 1, 0), (0, 2, 1)])
    body = login(cast.bob).get(f"{API}/goals/{goal.pk}/key-results").json()
    assert [r["title"] for r in body] == ["Key result 1", "Key result 2"]


def test_the_owner_adds_a_key_result(login, cast, metric):
    goal, _result = metric
    response = post(
        login(cast.alice),
        f"{API}/goals/{goal.pk}/key-results",
        {"title": "Demos", "start_value": 0, "target_value": 4, "reason": "Sales asked for it"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["position"] == 1
    assert response.json()["current_value"] == 0.0
    goal.refresh_from_db()
    assert goal.progress_cache == pytest.approx(0.05)  # (0.1 + 0) / 2
    assert Adjustment.objects.get(objective=goal).reason == "Sales asked for it"


def test_a_key_result_is_added_only_by_who_may_change_the_goal(login, cast, metric):
    goal, _result = metric
    body = {"title": "Demos", "start_value": 0, "target_value": 4}
    assert post(login(cast.carol), f"{API}/goals/{goal.pk}/key-results", body).status_code == 403
    assert post(login(cast.dave), f"{API}/goals/{goal.pk}/key-results", body).status_code == 404
    assert goal.key_results.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Demos", "start_value": 0}, "target_value"),
        (
            {"title": "Demos", "start_value": 0, "target_value": 4, "direction": "decrease"},
            "direction",
        ),
        (
            {"title": "Demos", "start_value": 0, "target_value": 4, "current_value": 9},
            "current_value",
        ),
        ({"title": "", "type": "milestone"}, "title"),
    ],
)
def test_an_invalid_key_result_is_refused(login, cast, metric, body, field):
    goal, _result = metric
    response = post(login(cast.alice), f"{API}/goals/{goal.pk}/key-results", body)
    assert field in error_fields(response)


def test_a_goal_has_at_most_five_key_results(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 1, 0)] * 5)
    response = post(
        login(cast.alice),
        f"{API}/goals/{goal.pk}/key-results",
        {"title": "Six", "type": "milestone"},
    )
    assert response.status_code == 422


def test_a_new_target_is_an_adjustment_with_a_reason(login, cast, metric):
    goal, result = metric
    url = f"{API}/goals/{goal.pk}/key-results/{result.pk}"
    assert error_fields(patch(login(cast.alice), url, {"target_value": 50})) == {"reason"}
    response = patch(login(cast.alice), url, {"target_value": 50, "reason": "Half the market left"})
    assert response.status_code == 200, response.content
    assert response.json()["target_value"] == 50.0
    assert response.json()["progress"] == 0.2
    adjustment = Adjustment.objects.get(objective=goal)
    assert adjustment.changes[0]["old"] == "100"
    assert adjustment.changes[0]["new"] == "50"
    assert adjustment.changes[0]["field"].startswith("Key result 1: ")
    goal.refresh_from_db()
    assert goal.progress_cache == pytest.approx(0.2)


@pytest.mark.parametrize("reason", ["   ", "Nul \x00 byte", "x" * 301])
def test_a_reason_must_say_something_and_fit(login, cast, metric, reason):
    goal, result = metric
    url = f"{API}/goals/{goal.pk}/key-results/{result.pk}"
    response = patch(login(cast.alice), url, {"target_value": 50, "reason": reason})
    assert error_fields(response) == {"reason"}
    body = {"title": "Demos", "type": "milestone", "reason": reason}
    if reason.strip():  # optional when adding a key result, but still read with care
        response = post(login(cast.alice), f"{API}/goals/{goal.pk}/key-results", body)
        assert error_fields(response) == {"reason"}
    assert not Adjustment.objects.exists()


def test_a_target_below_the_start_turns_the_direction_round(login, cast, metric):
    goal, result = metric
    url = f"{API}/goals/{goal.pk}/key-results/{result.pk}"
    response = patch(login(cast.alice), url, {"target_value": -10, "reason": "Costs, not sales"})
    assert response.json()["direction"] == "decrease"


def test_a_key_result_is_adjusted_only_by_who_may_change_the_goal(login, cast, metric):
    goal, result = metric
    url = f"{API}/goals/{goal.pk}/key-results/{result.pk}"
    body = {"title": "Other", "reason": "Because"}
    assert patch(login(cast.carol), url, body).status_code == 403
    assert patch(login(cast.frank), url, body).status_code == 404
    other = make_goal(cast.alice, key_results=[(0, 1, 0)])
    wrong_goal = f"{API}/goals/{other.pk}/key-results/{result.pk}"
    assert patch(login(cast.alice), wrong_goal, body).status_code == 404


def test_a_current_value_is_not_changed_by_adjusting(login, cast, metric):
    goal, result = metric
    url = f"{API}/goals/{goal.pk}/key-results/{result.pk}"
    response = patch(login(cast.alice), url, {"current_value": 99, "reason": "Cheat"})
    assert "current_value" in error_fields(response)
    result.refresh_from_db()
    assert result.current_value == 10


def test_a_milestone_has_no_target_to_adjust(login, cast):
    goal = make_goal(cast.alice)
    result = KeyResult.objects.create(objective=goal, title="Ship", type="milestone")
    url = f"{API}/goals/{goal.pk}/key-results/{result.pk}"
    assert "target_value" in error_fields(
        patch(login(cast.alice), url, {"target_value": 1, "reason": "?"})
    )


# --- Progress updates -------------------------------------------------------------------------


def test_the_owner_updates_a_key_result(login, cast, metric):
    goal, result = metric
    response = post(
        login(cast.alice),
        f"{API}/goals/{goal.pk}/updates",
        {"key_result_id": result.pk, "value": 40, "confidence": 7, "comment": "Two deals"},
    )
    assert response.status_code == 201, response.content
    [update] = response.json()
    assert (update["value"], update["confidence"], update["comment"]) == (40.0, 7, "Two deals")
    assert update["author"] == {"id": cast.alice.pk, "name": "Alice Employee"}
    result.refresh_from_db()
    assert result.current_value == 40
    goal = login(cast.alice).get(f"{API}/goals/{goal.pk}").json()
    assert goal["progress"] == 0.4


def test_the_manager_updates_a_milestone_and_the_status(login, cast):
    goal = make_goal(cast.alice, key_results=[(0, 10, 5)])
    milestone = KeyResult.objects.create(objective=goal, title="Ship", type="milestone", position=1)
    response = post(
        login(cast.bob),
        f"{API}/goals/{goal.pk}/updates",
        {"key_result_id": milestone.pk, "done": True, "status": "at_risk"},
    )
    assert response.status_code == 201, response.content
    milestone.refresh_from_db()
    goal.refresh_from_db()
    assert milestone.done
    assert goal.status == "at_risk"
    assert goal.progress_cache == 0.75
    assert KeyResult.objects.get(objective=goal, position=0).current_value == 5  # untouched


def test_a_goal_without_key_results_takes_its_own_percentage(login, cast):
    goal = make_goal(cast.alice, kind="behavioural")
    response = post(login(cast.alice), f"{API}/goals/{goal.pk}/updates", {"value": 60})
    assert response.status_code == 201, response.content
    goal.refresh_from_db()
    assert goal.manual_progress == 60
    assert login(cast.alice).get(f"{API}/goals/{goal.pk}").json()["progress"] == 0.6


def test_a_check_in_without_a_new_value_still_counts(login, cast, metric):
    goal, _result = metric
    Objective.objects.filter(pk=goal.pk).update(
        last_activity_at=timezone.now() - timedelta(weeks=6)
    )
    response = post(login(cast.alice), f"{API}/goals/{goal.pk}/updates", {"comment": "Still on it"})
    assert response.status_code == 201, response.content
    goal.refresh_from_db()
    assert goal.last_activity_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 40}, "key_result_id"),  # the goal has key results: which one?
        ({"key_result_id": "RESULT", "done": True}, "value"),
        ({"key_result_id": "RESULT"}, "value"),
        ({"key_result_id": "RESULT", "value": 40, "confidence": 0}, "confidence"),
        ({"key_result_id": "RESULT", "value": 40, "confidence": 11}, "confidence"),
        ({"key_result_id": "RESULT", "value": 40, "confidence": 10**30}, "confidence"),
        ({"key_result_id": "RESULT", "value": 1e13}, "value"),
        ({"key_result_id": "RESULT", "value": "NaN"}, "value"),
        ({"key_result_id": "RESULT", "value": "Infinity"}, "value"),
        ({"key_result_id": "RESULT", "value": "a lot"}, "value"),
        ({"key_result_id": "RESULT", "value": 40, "comment": "x" * 2001}, "comment"),
        ({"key_result_id": "RESULT", "value": 40, "status": "won"}, "status"),
        ({"key_result_id": 999_999, "value": 40}, "key_result_id"),
        ({"key_result_id": 10**30, "value": 40}, "key_result_id"),
    ],
)
def test_an_invalid_progress_update_is_refused(login, cast, metric, body, field):
    goal, result = metric
    if body.get("key_result_id") == "RESULT":
        body = {**body, "key_result_id": result.pk}
    response = post(login(cast.alice), f"{API}/goals/{goal.pk}/updates", body)
    assert field in error_fields(response)
    assert not ProgressUpdate.objects.exists()


def test_a_key_result_of_another_goal_is_refused(login, cast, metric):
    goal, _result = metric
    other = make_goal(cast.alice, key_results=[(0, 1, 0)]).key_results.get()
    body = {"key_result_id": other.pk, "value": 1}
    assert "key_result_id" in error_fields(
        post(login(cast.alice), f"{API}/goals/{goal.pk}/updates", body)
    )


def test_a_percentage_above_a_hundred_is_refused(login, cast):
    goal = make_goal(cast.alice, kind="learning")
    assert "value" in error_fields(
        post(login(cast.alice), f"{API}/goals/{goal.pk}/updates", {"value": 140})
    )


@pytest.mark.parametrize(
    ("who", "status"), [("carol", 403), ("erin", 403), ("dave", 404), ("frank", 404)]
)
def test_only_the_owner_and_their_manager_update_progress(login, cast, metric, who, status):
    goal, result = metric
    body = {"key_result_id": result.pk, "value": 90}
    assert (
        post(login(getattr(cast, who)), f"{API}/goals/{goal.pk}/updates", body).status_code
        == status
    )
    assert not ProgressUpdate.objects.exists()


def test_progress_updates_are_listed_newest_first(login, cast, metric):
    goal, result = metric
    client = login(cast.alice)
    for value in (20, 30, 45):
        post(client, f"{API}/goals/{goal.pk}/updates", {"key_result_id": result.pk, "value": value})
    updates = every_item(login(cast.carol), f"{API}/goals/{goal.pk}/updates", {"limit": 2})
    assert [u["value"] for u in updates] == [45.0, 30.0, 20.0]
    filtered = client.get(f"{API}/goals/{goal.pk}/updates", {"key_result_id": 999}).json()
    assert filtered["items"] == [] and filtered["next_cursor"] is None


def test_the_api_describes_the_goal_operations(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/goals"])
    assert {"get", "patch"} <= set(paths["/api/v1/goals/{goal_id}"])
    assert "post" in paths["/api/v1/goals/{goal_id}/updates"]


def test_dates_of_the_goal_are_plain_dates(login, cast):
    goal = make_goal(cast.alice, start_date=date(2026, 1, 1), end_date=date(2026, 3, 31))
    body = login(cast.alice).get(f"{API}/goals/{goal.pk}").json()
    assert (body["start_date"], body["end_date"], body["period"]) == (
        "2026-01-01",
        "2026-03-31",
        "Q1 2026",
    )


def test_numbers_come_back_as_numbers(login, cast):
    goal = make_goal(cast.alice, key_results=[("0.5", "2.25", "1.375")])
    result = login(cast.alice).get(f"{API}/goals/{goal.pk}").json()["key_results"][0]
    assert (result["start_value"], result["target_value"], result["current_value"]) == (
        0.5,
        2.25,
        1.375,
    )
    assert Decimal(str(result["current_value"])) == Decimal("1.375")


def test_a_refused_write_names_each_field_where_it_was_sent(login, cast, metric):
    """The full location of what the goals services refuse: the goal's own fields by the
    API's names, a key result's by its row, a check-in's value as `value`."""
    client = login(cast.alice)
    rows = [{"title": "R", "type": "milestone"}, {"title": "S", "type": "milestone", "weight": -1}]
    body = {"title": "Mine", "parent_id": 999_999, "key_results": rows}
    response = post(client, f"{API}/goals", body)
    assert response.status_code == 422
    locations = [error["loc"] for error in response.json()["detail"]]
    assert ["body", "parent_id"] in locations
    assert ["body", "key_results", 1, "weight"] in locations
    assert all(location[:3] != ["body", "key_results", 0] for location in locations)

    goal, result = metric
    body = {"key_result_id": result.pk, "value": 1e13}
    response = post(client, f"{API}/goals/{goal.pk}/updates", body)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "value"]]
