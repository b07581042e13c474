"""During a pilot, the conversations of a pair with someone outside it are in nobody's list:
the conversations page (coming up, past, open actions), the API's list, the calendar feed and
Home (its card of next conversations and what waits, as only pairs inside are reminded);
nor are people outside among the rhythms a page lists, nor their goals on a manager's Home.
Each conversation keeps its own page. Without a pilot, everything is listed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import CalendarFeed, Conversation, Kind, RhythmRule
from conversations.tests.factories import add_action, held, make_conversation
from goals.tests.factories import make_goal
from organisation.tests.factories import end_pilot, start_pilot
from people.tests.factories import add_people

INDEX = reverse("conversations:index")
HOME = reverse("home")
API = "/api/v1/conversations"


@pytest.fixture
def pairs(cast):
    """Before the pilot: Dave (Sales) reports to Bob; each of Alice and Dave has a check-in
    coming up with Bob, a one-on-one held, an action from it and a rhythm of their own; Dave's
    goal is at risk."""
    today = timezone.localdate()
    cast.dave.manager = cast.bob
    cast.dave.save()
    for person in (cast.alice, cast.dave):
        name = person.get_short_name()
        make_conversation(person, title=f"{name}'s check-in", due=today + timedelta(days=3))
        one_on_one = make_conversation(
            person, kind=Kind.ONE_ON_ONE, title=f"{name}'s talk", due=today - timedelta(days=9)
        )
        add_action(held(one_on_one), cast.bob, text=f"Send {name} the deck")
        RhythmRule.objects.create(kind=Kind.CHECK_IN, employee=person, interval_months=2)
        make_goal(person, title=f"{name}'s goal", status="at_risk")


@pytest.fixture
def pilot(cast, pairs):
    start_pilot(cast.engineering)  # Carol, Bob and Alice; not Dave (Sales) nor Erin (People)


def test_the_conversations_page_lists_pairs_inside(login, cast, pilot):
    page = login(cast.bob).get(INDEX)
    assert [row.conversation.title for row in page.context["rows"]] == ["Alice's check-in"]
    assert [c.title for c in page.context["page"].object_list] == ["Alice's talk"]
    assert [action.text for action in page.context["actions"]] == ["Send Alice the deck"]
    assert "Dave" not in page.content.decode()


def test_the_api_lists_what_the_page_does(login, cast, pilot):
    items = login(cast.bob).get(API).json()["items"]
    assert {item["title"] for item in items} == {"Alice's check-in", "Alice's talk"}


def test_the_calendar_feed_has_the_pairs_inside(client, cast, pilot):
    _feed, token = CalendarFeed.issue(cast.bob)
    body = client.get(reverse("conversations:calendar_feed", args=[token])).content.decode()
    assert "Alice Employee" in body and "Dave" not in body


def test_home_shows_and_waits_for_pairs_and_goals_inside(login, cast, pilot):
    page = login(cast.bob).get(HOME)
    assert [c.title for c in page.context["conversations"]] == ["Alice's check-in"]
    held = [item for item in page.context["waiting"] if item.source == "conversations_to_hold"]
    assert [str(item.whom) for item in held] == ["Alice Employee"]
    goals = page.context["reports_attention"]["rows"]
    assert [row.goal.title for row in goals] == ["Alice's goal"]


def test_the_rhythms_page_lists_people_inside(login, cast, pilot):
    page = login(cast.bob).get(reverse("conversations:rhythms"))
    assert [row["person"].name for row in page.context["page"].object_list] == ["Alice Employee"]
    assert [person.name for person in page.context["reports"]] == ["Alice Employee"]


def test_a_conversation_outside_keeps_its_own_page(login, cast, pilot):
    daves = Conversation.objects.get(title="Dave's check-in")
    page = login(cast.bob).get(daves.get_absolute_url())
    assert page.status_code == 200
    assert "Dave&#x27;s check-in" in page.content.decode()


def test_without_a_pilot_everything_is_listed(login, cast, pilot):
    end_pilot()
    client = login(cast.bob)
    assert len(client.get(INDEX).context["rows"]) == 2
    assert len(client.get(API).json()["items"]) == 4
    assert len(client.get(HOME).context["conversations"]) == 2


def fill(cast, count):
    today = timezone.localdate()
    people = add_people(count, team=cast.platform, manager=cast.bob, prefix=f"in{count}")
    people += add_people(count, team=cast.sales, manager=cast.bob, prefix=f"out{count}")
    for person in people:
        add_action(held(make_conversation(person, due=today - timedelta(days=5))), cast.bob)
        make_conversation(person, due=today + timedelta(days=2))


@pytest.mark.parametrize("path", [INDEX, API, HOME])
def test_during_a_pilot_the_lists_do_a_fixed_number_of_queries(
    login, cast, path, django_assert_num_queries
):
    start_pilot(cast.engineering)
    client = login(cast.bob)
    fill(cast, 2)
    client.get(path)  # the pilot's settings and the navigation's counts, read once
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    fill(cast, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200
