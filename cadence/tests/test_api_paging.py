"""Keyset paging (`cadence.api_kit.Page`) through the real lists: every visible item exactly
once and in order, also when items are added between pages; cursors that are not one of the
list's answer 422 in the API's error shape."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadence.tests.paging import every_item, every_page
from conversations.tests.factories import held, make_conversation
from feedback.tests.factories import give
from goals.tests.factories import make_goal
from people.tests.factories import add_people

API = "/api/v1"


def ids(items):
    return [item["id"] for item in items]


def fill(cast, number):
    """Items of every list for Bob, some sharing their first sort key (the id breaks ties)."""
    now, today = timezone.now(), timezone.localdate()
    for i in range(number):
        make_goal(cast.bob, title=f"Goal {i}")
        give(cast.alice, cast.bob, text=f"Thanks {i}", created_at=now - timedelta(hours=i // 3))
        held(make_conversation(cast.alice, cast.bob, due=today - timedelta(days=i // 3)))
    add_people(number, team=cast.platform, prefix="same")  # "Same 0001"…: names sort apart


LISTS = ["goals", "people", "teams", "feedback", "conversations"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("limit", [1, 2, 3, 500])
def test_paging_gives_every_item_once_in_order(login, cast, name, limit):
    fill(cast, 7)
    client = login(cast.bob)
    whole = client.get(f"{API}/{name}", {"limit": 500}).json()
    assert whole["next_cursor"] is None and whole["items"]
    assert ids(every_item(client, f"{API}/{name}", {"limit": limit})) == ids(whole["items"])


def add_one_of(name, cast, number):
    if name == "goals":
        make_goal(cast.bob, title=f"New goal {number}")
    elif name == "feedback":
        give(cast.alice, cast.bob, text=f"New thanks {number}")
    elif name == "conversations":
        due = timezone.localdate() + timedelta(days=number)
        held(make_conversation(cast.alice, cast.bob, due=due))
    else:  # people, teams: sorted by name/path, new ones land before or after the cursor
        add_people(1, team=cast.platform, prefix=f"{'ab' if number % 2 else 'zz'}{number}")


@pytest.mark.parametrize("name", LISTS)
def test_items_added_between_pages_neither_repeat_nor_push_others_out(login, cast, name):
    fill(cast, 7)
    client = login(cast.bob)
    before = ids(client.get(f"{API}/{name}", {"limit": 500}).json()["items"])
    seen, params = [], {"limit": 2}
    for number in range(50):
        body = client.get(f"{API}/{name}", params).json()
        seen += ids(body["items"])
        if body["next_cursor"] is None:
            break
        add_one_of(name, cast, number)
        params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen))
    assert [pk for pk in seen if pk in before] == before


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limits=st.lists(st.integers(1, 6), min_size=1, max_size=12))
def test_any_page_sizes_make_up_the_whole_list(login, cast, limits):
    client = login(cast.erin)
    if not client.get(f"{API}/goals").json()["items"]:
        for i in range(9):
            make_goal(cast.alice, title=f"Goal {i}", visibility="team")
            make_goal(None, title=f"Company goal {i}")
    whole = ids(client.get(f"{API}/goals", {"limit": 500}).json()["items"])
    seen, params = [], {}
    for limit in limits * 10:
        body = client.get(f"{API}/goals", {**params, "limit": limit}).json()
        assert len(body["items"]) <= limit
        seen += ids(body["items"])
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert seen == whole[: len(seen)]
    assert body["next_cursor"] is None or len(seen) < len(whole)


def test_next_keeps_the_filters(login, cast):
    fill(cast, 5)
    client = login(cast.bob)
    body = client.get(f"{API}/goals", {"limit": 2, "owner": "me"}).json()
    assert "owner=me" in body["next"] and "limit=2" in body["next"]
    assert len(every_page(client, f"{API}/goals", {"limit": 2, "owner": "me"})) == 3


def cursor_error(response):
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "cursor"]
    return error["msg"]


def test_a_cursor_that_is_not_one_of_the_lists_is_refused(login, cast):
    fill(cast, 3)
    client = login(cast.bob)
    goals = client.get(f"{API}/goals", {"limit": 1}).json()["next_cursor"]
    people = client.get(f"{API}/people", {"limit": 1}).json()["next_cursor"]
    assert cursor_error(client.get(f"{API}/people", {"cursor": goals}))
    assert cursor_error(client.get(f"{API}/goals", {"cursor": people}))
    assert cursor_error(client.get(f"{API}/goals", {"cursor": goals[:-2]}))
    assert cursor_error(client.get(f"{API}/goals", {"cursor": "W1siMjAyNiJdXQ"}))
    assert client.get(f"{API}/goals", {"cursor": goals}).status_code == 200
