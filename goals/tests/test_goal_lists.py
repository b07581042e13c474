"""The goal lists: mine, my team's and the company's; who sees what, filters, rows, pages."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import KeyResult, Kind, Objective, Status, Visibility, quarter_of
from goals.tests.factories import make_goal
from goals.views_lists import COUNT_UP_TO

MINE, TEAM, COMPANY = reverse("goals:mine"), reverse("goals:team"), reverse("goals:company")
LISTS = [MINE, TEAM, COMPANY]
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def titles(response):
    return [row.goal.title for row in response.context["rows"]]


def quarter_after(day):
    return quarter_of(quarter_of(day)[1] + timedelta(days=1))


def quarter_before(day):
    return quarter_of(quarter_of(day)[0] - timedelta(days=1))


# --- Who sees what ------------------------------------------------------------------------------


def test_my_goals_are_the_goals_i_own(login, cast):
    make_goal(cast.alice, title="Alice goal")
    make_goal(cast.bob, title="Bob goal")
    make_goal(team=cast.platform, title="Platform goal")
    assert titles(login(cast.alice).get(MINE)) == ["Alice goal"]


@pytest.mark.parametrize("who", ["dave", "carol", "erin", "frank"])
def test_a_private_goal_of_alice_appears_for_nobody_but_her_and_her_manager(login, cast, who):
    make_goal(cast.alice, title="Alice secret", visibility="private")
    client = login(getattr(cast, who))
    for url in LISTS:
        response = client.get(url, {"status": "all", "period": "all"})
        assert "Alice secret" not in response.text
        assert response.context["page"].count == 0


def test_a_private_goal_of_alice_appears_for_bob_her_manager(login, cast):
    make_goal(cast.alice, title="Alice secret", visibility="private")
    assert titles(login(cast.bob).get(TEAM)) == ["Alice secret"]
    assert titles(login(cast.alice).get(MINE)) == ["Alice secret"]


def test_my_teams_goals_for_a_manager_are_their_reports_and_the_teams_they_lead(login, cast):
    make_goal(cast.alice, title="Alice goal")
    make_goal(team=cast.platform, title="Platform goal")
    make_goal(cast.bob, title="Bob own goal")
    make_goal(cast.dave, title="Dave goal")
    assert titles(login(cast.bob).get(TEAM)) == ["Alice goal", "Platform goal"]


def test_my_teams_goals_for_an_employee_are_their_team_mates_and_their_team(login, cast):
    make_goal(cast.bob, title="Bob goal", visibility="team")
    make_goal(team=cast.platform, title="Platform goal", visibility="team")
    make_goal(cast.alice, title="Alice own goal")
    make_goal(team=cast.sales, title="Sales goal")
    assert titles(login(cast.alice).get(TEAM)) == ["Bob goal", "Platform goal"]


def test_company_goals_are_the_companys_and_the_teams_goals(login, cast):
    make_goal(title="Company goal")
    make_goal(team=cast.sales, title="Sales goal")
    make_goal(cast.dave, title="Dave goal")
    assert titles(login(cast.alice).get(COMPANY)) == ["Company goal", "Sales goal"]


def test_a_team_goal_shared_with_the_team_is_hidden_from_other_teams(login, cast, client):
    make_goal(team=cast.platform, title="Platform only", visibility="team")
    assert titles(login(cast.alice).get(COMPANY)) == ["Platform only"]
    client.logout()
    assert titles(login(cast.dave).get(COMPANY)) == []


# --- Filters -------------------------------------------------------------------------------------


def test_it_shows_this_quarters_open_goals_by_default(login, cast):
    today = timezone.localdate()
    make_goal(cast.alice, title="Now")
    next_start, next_end = quarter_after(today)
    make_goal(cast.alice, title="Later", start_date=next_start, end_date=next_end)
    make_goal(cast.alice, title="Finished", status=Status.DONE)
    assert titles(login(cast.alice).get(MINE)) == ["Now"]


@pytest.mark.parametrize(
    ("period", "found"),
    [
        ("this_quarter", ["Now", "Two quarters"]),
        ("next_quarter", ["Later", "Two quarters"]),
        ("last_quarter", ["Before"]),
        ("all", ["Before", "Later", "Now", "Two quarters"]),
    ],
)
def test_it_filters_by_period(login, cast, period, found):
    today = timezone.localdate()
    (before_start, before_end), (later_start, later_end) = (
        quarter_before(today),
        quarter_after(today),
    )
    make_goal(cast.alice, title="Now")
    make_goal(cast.alice, title="Before", start_date=before_start, end_date=before_end)
    make_goal(cast.alice, title="Later", start_date=later_start, end_date=later_end)
    make_goal(cast.alice, title="Two quarters", end_date=later_end)
    assert sorted(titles(login(cast.alice).get(MINE, {"period": period}))) == found


def test_it_filters_this_year(login, cast):
    year = timezone.localdate().year
    make_goal(
        cast.alice, title="This year", start_date=date(year, 1, 1), end_date=date(year, 12, 31)
    )
    make_goal(
        cast.alice,
        title="Last year",
        start_date=date(year - 1, 1, 1),
        end_date=date(year - 1, 12, 31),
    )
    assert titles(login(cast.alice).get(MINE, {"period": "this_year"})) == ["This year"]


def test_it_filters_by_kind(login, cast):
    make_goal(cast.alice, title="Ship it", kind=Kind.RESULT)
    make_goal(cast.alice, title="Learn Rust", kind=Kind.LEARNING)
    assert titles(login(cast.alice).get(MINE, {"kind": "learning"})) == ["Learn Rust"]


@pytest.mark.parametrize(
    ("status", "found"),
    [
        ("open", ["At risk", "On track"]),
        ("done", ["Done"]),
        ("dropped", ["Dropped"]),
        ("all", ["At risk", "Done", "Dropped", "On track"]),
    ],
)
def test_it_filters_by_status(login, cast, status, found):
    for title, value in [
        ("On track", Status.ON_TRACK),
        ("At risk", Status.AT_RISK),
        ("Done", Status.DONE),
        ("Dropped", Status.DROPPED),
    ]:
        make_goal(cast.alice, title=title, status=value)
    assert titles(login(cast.alice).get(MINE, {"status": status})) == found


@pytest.mark.parametrize(
    ("owner", "found"), [("alice", ["Alice goal"]), ("PLAT", ["Platform goal"])]
)
def test_it_filters_by_owner_name_or_team_name(login, cast, owner, found):
    make_goal(cast.alice, title="Alice goal")
    make_goal(team=cast.platform, title="Platform goal")
    make_goal(cast.carol, title="Carol goal")
    assert titles(login(cast.bob).get(TEAM, {"owner": owner})) == found


def test_a_team_link_shows_that_teams_goals_and_those_below_it(login, cast):
    make_goal(team=cast.engineering, title="Engineering goal")
    make_goal(team=cast.platform, title="Platform goal")
    make_goal(team=cast.sales, title="Sales goal")
    client = login(cast.alice)
    response = client.get(COMPANY, {"team": cast.engineering.pk})
    assert titles(response) == ["Engineering goal", "Platform goal"]
    assert "In Engineering and below" in response.text
    assert titles(client.get(COMPANY, {"team": cast.sales.pk})) == ["Sales goal"]
    assert f'href="{COMPANY}?team={cast.sales.pk}"' in client.get(COMPANY).text


def test_it_falls_back_to_the_defaults_for_nonsense_filters(login, cast):
    make_goal(cast.alice, title="Now")
    params = {"period": "forever", "status": "x", "kind": "y", "team": "999999", "page": "z"}
    response = login(cast.alice).get(MINE, params)
    assert response.status_code == 200
    assert titles(response) == ["Now"]


def test_it_returns_only_the_results_to_htmx(login, cast):
    make_goal(cast.alice, title="Alice goal")
    response = login(cast.alice).get(MINE, {"owner": "alice"}, headers=HTMX)
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text
    assert "Alice goal" in response.text


# --- Rows ----------------------------------------------------------------------------------------


def test_a_row_shows_owner_kind_period_status_and_progress(login, cast):
    goal = make_goal(cast.alice, title="Grow", key_results=[(0, 10, 5)], status=Status.AT_RISK)
    text = login(cast.alice).get(MINE).text
    assert f'href="{reverse("goals:goal", args=[goal.pk])}">Grow</a>' in text
    assert "Alice Employee" in text and 'class="avatar avatar-sm' in text
    assert "Result" in text and goal.period_label in text
    assert '<span class="status status-at_risk">At risk</span>' in text
    assert '<progress max="100" value="50"' in text and "50%" in text


def test_undefined_progress_shows_a_dash_never_zero(login, cast):
    make_goal(cast.alice, title="Hold steady", key_results=[(5, 5, 5)])
    response = login(cast.alice).get(MINE)
    assert response.context["rows"][0].percent is None
    assert "—</span>" in response.text
    assert "<progress" not in response.text and "0%" not in response.text


def test_the_update_button_shows_to_who_may_edit_only(login, cast, client):
    goal = make_goal(team=cast.platform, title="Platform goal")
    update = reverse("goals:update", args=[goal.pk])
    for person in (cast.bob, cast.carol):  # the lead and the lead's manager
        assert f'hx-get="{update}"' in login(person).get(COMPANY).text
        client.logout()
    for person in (cast.alice, cast.dave, cast.erin):
        text = login(person).get(COMPANY).text
        assert "Platform goal" in text and f'hx-get="{update}"' not in text
        client.logout()


def test_the_tabs_lead_to_the_other_lists_the_tree_a_new_goal_and_templates(login, cast):
    text = login(cast.alice).get(TEAM).text
    assert f'<a href="{TEAM}" class="active" aria-current="page">' in text
    for url in (MINE, COMPANY, reverse("goals:tree"), reverse("goals:create")):
        assert f'href="{url}"' in text
    assert f'href="{reverse("goals:templates")}"' in text


def test_the_lists_need_sign_in(client, cast):
    for url in LISTS:
        assert client.get(url).status_code == 302


# --- Pages and queries ---------------------------------------------------------------------------


def add_goals(count, owner=None, team=None, key_results=3):
    """`count` goals for this quarter, each with `key_results` measurable key results."""
    start, end = quarter_of(timezone.localdate())
    goals = Objective.objects.bulk_create(
        Objective(
            title=f"Goal {i:04}",
            owner_person=owner,
            owner_team=team,
            start_date=start,
            end_date=end,
            path="/",
        )
        for i in range(count)
    )
    KeyResult.objects.bulk_create(
        KeyResult(objective=goal, title=f"KR {n}", start_value=0, target_value=10, current_value=n)
        for goal in goals
        for n in range(key_results)
    )
    return goals


def next_link(response):
    """The "Next" link's query string, as a dict."""
    found = re.search(r'rel="next" href="\?([^"]*)"', response.text)
    return dict(parse_qsl(found.group(1).replace("&amp;", "&"))) if found else None


def previous_link(response):
    found = re.search(r'rel="prev" href="\?([^"]*)"', response.text)
    return dict(parse_qsl(found.group(1).replace("&amp;", "&"))) if found else None


def test_it_pages_the_goals(login, cast):
    add_goals(30, owner=cast.alice)
    client = login(cast.alice)
    first = client.get(MINE, {"kind": "result"})
    assert len(titles(first)) == 25
    assert "30 goals" in first.text
    assert previous_link(first) is None
    second = client.get(MINE, next_link(first))
    assert titles(second) == [f"Goal {i:04}" for i in range(25, 30)]
    assert next_link(second) is None
    assert previous_link(second)["kind"] == "result"  # the filters stay
    back = client.get(MINE, previous_link(second))
    assert titles(back) == titles(first)


def test_it_counts_goals_up_to_a_bound(login, cast):
    add_goals(COUNT_UP_TO + 5, team=cast.platform)
    response = login(cast.carol).get(COMPANY)
    assert f"More than {COUNT_UP_TO} goals" in response.text


@pytest.mark.parametrize(("who", "url"), [("alice", MINE), ("bob", TEAM), ("carol", COMPANY)])
def test_the_query_count_does_not_grow_with_the_number_of_goals(login, cast, who, url):
    def count_queries():
        client = login(getattr(cast, who))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_goals(20, owner=cast.alice)
    add_goals(20, team=cast.platform)
    count_queries()  # the first request creates the goal settings
    small = count_queries()
    add_goals(200, owner=cast.alice)
    add_goals(200, team=cast.platform)
    assert count_queries() == small


def test_the_query_count_is_pinned(login, cast, django_assert_max_num_queries):
    mine = add_goals(200, owner=cast.alice)
    add_goals(200, team=cast.platform)
    # Some need attention (not updated for long), with their key results.
    stale = [goal.pk for goal in mine[:30]]
    Objective.objects.filter(pk__in=stale).update(
        last_activity_at=timezone.now() - timedelta(days=90)
    )
    client = login(cast.bob)
    client.get(TEAM)  # what a process keeps (the goals' settings, the list's SQL)
    # The session, the viewer with their HR role, the navigation's counts (which say whether
    # they manage anyone), the teams they lead and their reports; the first page with its
    # count, and its key results; the goals needing attention and theirs; the access log.
    with django_assert_max_num_queries(10):
        response = client.get(TEAM)
    assert "Needs attention" in response.text and "More than 200 goals" in response.text
    with django_assert_max_num_queries(9):
        client.get(COMPANY, {"owner": "plat", "team": cast.platform.pk}, headers=HTMX)


@pytest.mark.parametrize("count", [0, 3, 25, 26, COUNT_UP_TO + 5])
def test_the_list_as_it_opens_is_the_first_page_of_the_filtered_list(login, cast, count):
    """Opened without a filter, a list is read in one query with SQL kept per viewer
    (`cadence.keyset.counted_first_page`): the same rows, count and links as the same
    filters asked for (`keyset_page`)."""
    add_goals(count, owner=cast.alice)
    client = login(cast.bob)
    for _ in range(2):  # the second time from the kept SQL
        opened = client.get(TEAM).context
        asked = client.get(TEAM, {"period": "this_quarter", "status": "open"}).context
        assert [row.goal.pk for row in opened["rows"]] == [row.goal.pk for row in asked["rows"]]
        for name in ("count", "more_than", "previous", "next"):
            assert getattr(opened["page"], name) == getattr(asked["page"], name), name


def test_the_list_as_it_opens_is_read_afresh_for_each_viewer(login, cast):
    """The list's SQL is kept per viewer state and day, never its rows: a goal added or
    done shows on the next page, and another viewer's list is their own."""
    make_goal(cast.alice, title="Alice's first")
    make_goal(cast.dave, title="Dave's own")
    assert "Alice&#x27;s first" in login(cast.bob).get(TEAM).text
    mine = login(cast.dave).get(MINE).text
    assert "Dave&#x27;s own" in mine and "Alice&#x27;s first" not in mine
    done = make_goal(cast.alice, title="Alice's second")
    page = login(cast.bob).get(TEAM).text
    assert "Alice&#x27;s first" in page and "Alice&#x27;s second" in page
    Objective.objects.filter(pk=done.pk).update(status=Status.DONE)
    page = login(cast.bob).get(TEAM).text
    assert "Alice&#x27;s first" in page and "Alice&#x27;s second" not in page
    assert "Dave&#x27;s own" not in page
    # The same list for two viewers: each sees what they may.
    make_goal(team=cast.platform, title="Platform only", visibility=Visibility.TEAM)
    for _ in range(2):
        assert "Platform only" in login(cast.bob).get(COMPANY).text
        assert "Platform only" not in login(cast.dave).get(COMPANY).text
