"""The goals API shows what a goal contributes to only to those who may see that goal: for
everyone else the parent is null, as if the goal contributed to nothing."""

import pytest

from goals.models import Objective
from goals.tests.factories import make_goal

API = "/api/v1"


@pytest.fixture
def aligned(cast):
    """Bob's private goal, and Alice's public goal that contributes to it."""
    parent = make_goal(cast.bob, title="Secret reorganisation", visibility="private")
    child = make_goal(cast.alice, title="Ship the API", visibility="public", parent=parent)
    return parent, child


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_a_hidden_parent_does_not_show_in_a_goal(login, cast, aligned, who):
    _parent, child = aligned
    response = login(getattr(cast, who)).get(f"{API}/goals/{child.pk}")
    assert response.status_code == 200
    assert response.json()["parent_id"] is None
    assert "Secret reorganisation" not in response.text


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_a_hidden_parent_does_not_show_in_the_list(login, cast, aligned, who):
    parent, child = aligned
    body = login(getattr(cast, who)).get(f"{API}/goals").json()
    shown = {goal["id"]: goal for goal in body["items"]}
    assert parent.pk not in shown
    assert shown[child.pk]["parent_id"] is None


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_those_who_may_see_the_parent_see_it(login, cast, aligned, who):
    parent, child = aligned
    client = login(getattr(cast, who))
    assert client.get(f"{API}/goals/{child.pk}").json()["parent_id"] == parent.pk
    items = client.get(f"{API}/goals").json()["items"]
    assert {g["id"]: g["parent_id"] for g in items}[child.pk] == parent.pk


def test_a_visible_parent_shows_to_everyone_who_sees_both(login, cast):
    parent = make_goal(cast.carol, title="Grow", visibility="public")
    child = make_goal(cast.alice, visibility="public", parent=parent)
    assert login(cast.dave).get(f"{API}/goals/{child.pk}").json()["parent_id"] == parent.pk


def test_sending_back_what_was_shown_keeps_the_hidden_parent(login, cast, aligned):
    parent, child = aligned
    client = login(cast.alice)
    shown = client.get(f"{API}/goals/{child.pk}").json()
    response = client.patch(
        f"{API}/goals/{child.pk}",
        {"title": "Ship the public API", "parent_id": shown["parent_id"], "reason": "Scope"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] is None
    child = Objective.objects.get(pk=child.pk)
    assert child.title == "Ship the public API"
    assert child.parent_id == parent.pk


def test_the_answer_to_a_write_shows_no_hidden_parent(login, cast, aligned):
    _parent, child = aligned
    response = login(cast.alice).patch(
        f"{API}/goals/{child.pk}", {"status": "at_risk"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] is None


def patch_parent(client, goal, parent_id):
    return client.patch(
        f"{API}/goals/{goal.pk}",
        {"parent_id": parent_id, "reason": "Realign"},
        content_type="application/json",
    )


HIDDEN_PARENT = (
    "It contributes to a goal you cannot see; only someone who can see it may change that."
)


def test_a_hidden_parent_is_changed_only_by_whoever_may_see_it_as_on_the_adjust_page(
    login, cast, aligned
):
    # One rule for the page and the API (goals.services.adjust_form): the adjust page offers no
    # parent to whoever may not see the current one, and says so; the API refuses a new one.
    parent, child = aligned
    managers = make_goal(cast.bob, title="Platform uptime", visibility="public")
    client = login(cast.alice)
    for guess in (parent.pk + 1000, parent.pk, managers.pk):
        response = patch_parent(client, child, guess)
        assert response.status_code == 422, response.content
        assert [e["msg"] for e in response.json()["detail"]] == [HIDDEN_PARENT]
        assert "Secret reorganisation" not in response.text
    assert Objective.objects.get(pk=child.pk).parent_id == parent.pk
    assert not child.adjustments.exists()


def test_whoever_sees_the_parent_may_realign_the_goal(login, cast, aligned):
    _parent, child = aligned
    managers = make_goal(cast.bob, title="Platform uptime", visibility="public")
    response = patch_parent(login(cast.bob), child, managers.pk)
    assert response.status_code == 200, response.content
    assert Objective.objects.get(pk=child.pk).parent_id == managers.pk
