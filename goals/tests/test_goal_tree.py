"""The goal tree: company → team → person, with progress rolled up from visible goals only."""

import pytest
from django.urls import reverse

from goals.models import Objective
from goals.tests.factories import make_goal

TREE = reverse("goals:tree")


def node_for(response, goal):
    return next(n for n in response.context["nodes"] if n["goal"].pk == goal.pk)


@pytest.fixture
def aligned(cast):
    """Company goal ← Platform team goal (public, 50 %) ← alice's goals."""
    company = make_goal(None, title="Win the market", key_results=[(0, 100, 20)])
    team = make_goal(
        None,
        team=cast.platform,
        title="Ship the platform",
        parent=company,
        key_results=[(0, 10, 5)],
    )
    public = make_goal(cast.alice, title="Finish the API", parent=team, key_results=[(0, 4, 4)])
    private = make_goal(
        cast.alice,
        title="Secret plan",
        parent=team,
        visibility="private",
        key_results=[(0, 10, 0)],
    )
    return company, team, public, private


def test_it_starts_at_the_company_goals_with_what_supports_them(login, cast, aligned):
    company, _team, _public, _private = aligned
    response = login(cast.dave).get(TREE)
    assert response.status_code == 200
    titles = [n["goal"].title for n in response.context["nodes"]]
    assert titles == ["Win the market", "Ship the platform"]
    assert node_for(response, company)["rolled"] == pytest.approx((0.2 + 0.5) / 2)


def test_a_private_goal_never_counts_for_someone_who_may_not_see_it(login, cast, aligned):
    _company, team, _public, _private = aligned
    dave = login(cast.dave).get(TREE, {"root": team.pk})
    assert "Secret plan" not in dave.text
    assert node_for(dave, team)["supporting"] == 1
    assert node_for(dave, team)["rolled"] == pytest.approx((0.5 + 1.0) / 2)


def test_the_owners_manager_sees_the_private_goal_counted_once(login, client, cast, aligned):
    _company, team, _public, _private = aligned
    bob = login(cast.bob).get(TREE, {"root": team.pk})
    assert "Secret plan" in bob.text
    assert node_for(bob, team)["supporting"] == 2
    assert node_for(bob, team)["rolled"] == pytest.approx((0.5 + 1.0 + 0.0) / 3)


def test_undefined_progress_is_left_out_not_counted_as_zero(login, cast):
    company = make_goal(None, key_results=[(0, 10, 10)])
    make_goal(cast.alice, parent=company, key_results=[(5, 5, 5)])  # target equals start
    response = login(cast.alice).get(TREE)
    assert node_for(response, company)["rolled"] == pytest.approx(1.0)
    assert "—" in response.text


def test_a_root_shows_where_it_leads_and_two_levels_below(login, cast, aligned):
    company, team, public, _private = aligned
    deeper = make_goal(cast.alice, title="Write the docs", parent=public)
    response = login(cast.alice).get(TREE, {"root": team.pk})
    assert [g.pk for g in response.context["ancestors"]] == [company.pk]
    titles = [n["goal"].title for n in response.context["nodes"]]
    assert titles[:1] == ["Ship the platform"]
    assert "Write the docs" in titles
    assert deeper.pk in {n["goal"].pk for n in response.context["nodes"]}


def test_a_hidden_parent_is_not_named(login, cast):
    secret = make_goal(cast.bob, title="Reorganise quietly", visibility="private")
    child = make_goal(cast.dave, title="Sell more", parent=secret)
    response = login(cast.dave).get(TREE, {"root": child.pk})
    assert "Reorganise quietly" not in response.text
    assert "a goal you cannot see" in response.text


def test_a_root_the_viewer_may_not_see_is_not_found(login, cast):
    secret = make_goal(cast.alice, visibility="private")
    assert login(cast.dave).get(TREE, {"root": secret.pk}).status_code == 404


@pytest.mark.parametrize("root", ["²", "٣", "abc", "0", str(2**63), "9" * 30])
def test_a_root_that_is_no_id_is_not_found(login, cast, root):
    assert login(cast.dave).get(TREE, {"root": root}).status_code == 404


def test_the_period_chooses_the_company_goals(login, cast):
    from datetime import timedelta

    from django.utils import timezone

    from goals.models import quarter_of

    start, _end = quarter_of(timezone.localdate())
    last_start, last_end = quarter_of(start - timedelta(days=1))
    make_goal(None, title="Last quarter goal", start_date=last_start, end_date=last_end)
    client = login(cast.alice)
    assert "Last quarter goal" not in client.get(TREE).text
    assert "Last quarter goal" in client.get(TREE, {"period": "last"}).text


def test_the_tree_does_a_fixed_number_of_queries(
    login, cast, aligned, django_assert_max_num_queries
):
    _company, team, _public, _private = aligned
    client = login(cast.bob)
    with django_assert_max_num_queries(12) as few:
        client.get(TREE, {"root": team.pk})
    for i in range(30):
        child = make_goal(cast.alice, title=f"More {i}", parent=team, key_results=[(0, 1, 0)])
        make_goal(cast.alice, title=f"Deeper {i}", parent=child)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(TREE, {"root": team.pk})
    assert Objective.objects.count() > 60
