"""During a pilot, feedback asks involving someone outside it are in nobody's list: the
requests page, the API's list and the feedback inbox's count leave out asks from or of people
outside, as Home's count and the reminders do; a request made of people inside and outside
counts those inside. Each request keeps its own page. Without a pilot, every ask is listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import AskStatus, FeedbackAsk
from feedback.tests.factories import make_request
from organisation.tests.factories import end_pilot, start_pilot
from people.tests.factories import add_people

LIST = reverse("feedback:requests")
API = "/api/v1/feedback-requests"


@pytest.fixture
def asks(cast):
    """Before the pilot: Dave (Sales) asked Bob; Alice asked Dave alone, and Bob and Erin
    (People) together, who answered; Bob asked Alice."""
    make_request(cast.dave, [cast.bob], topic="Dave's pitch")
    make_request(cast.alice, [cast.dave], topic="Alice asks Dave")
    mixed = make_request(cast.alice, [cast.bob, cast.erin], topic="Alice's demo")
    mixed.asks.filter(requestee=cast.erin).update(status=AskStatus.ANSWERED)
    make_request(cast.bob, [cast.alice], topic="Bob's roadmap")


@pytest.fixture
def pilot(cast, asks):
    start_pilot(cast.engineering)  # Carol, Bob and Alice; not Dave (Sales) nor Erin (People)


def topics(client, **params):
    items = client.get(API, params).json()["items"]
    return {item["topic"]: [ask["requestee"]["name"] for ask in item["asks"]] for item in items}


def test_an_ask_from_someone_outside_is_in_nobodys_list(login, cast, pilot):
    client = login(cast.bob)
    page = client.get(LIST)
    assert [ask.request.topic for ask in page.context["pending"]] == ["Alice's demo"]
    assert "Dave&#x27;s pitch" not in page.content.decode()
    assert set(topics(client, role="requestee")) == {"Alice's demo"}


def test_a_request_asking_only_people_outside_is_not_in_the_requesters_list(login, cast, pilot):
    client = login(cast.alice)
    page = client.get(LIST)
    assert [item.topic for item in page.context["page"].object_list] == ["Alice's demo"]
    assert "Alice asks Dave" not in page.content.decode()
    assert set(topics(client, role="requester")) == {"Alice's demo"}


def test_a_request_counts_and_shows_the_asks_inside(login, cast, pilot):
    client = login(cast.alice)
    (mixed,) = client.get(LIST).context["page"].object_list
    assert (mixed.total, mixed.answered, mixed.declined, mixed.waiting) == (1, 0, 0, 1)
    assert topics(client, role="requester") == {"Alice's demo": ["Bob Manager"]}
    # The request's own page shows it whole, to whoever may see it.
    page = client.get(mixed.get_absolute_url()).content.decode()
    assert "Erin HR" in page


def test_hr_outside_has_no_ask_in_a_list(login, cast, pilot):
    client = login(cast.erin)  # HR outside the pilot still opens the modules
    page = client.get(LIST)
    assert page.context["pending"] == [] and page.context["done"] == []
    assert topics(client) == {}


def test_the_inbox_counts_the_asks_the_list_shows(login, cast, pilot):
    page = login(cast.bob).get(reverse("feedback:inbox"))
    assert page.context["pending_asks"] == 1


def test_the_list_the_api_and_home_agree(login, cast, pilot):
    for person in (cast.alice, cast.bob, cast.erin):
        client = login(person)
        pending = client.get(LIST).context["pending"]
        waiting = client.get(reverse("home")).context["waiting"]
        asked = [item for item in waiting if item.source == "asks_to_answer"]
        assert [ask.request.topic for ask in pending] == [str(item.note) for item in asked]
        api = topics(client, role="requestee")
        assert {ask.request.topic for ask in pending} == set(api)


def test_without_a_pilot_every_ask_is_listed(login, cast, pilot):
    end_pilot()
    client = login(cast.alice)
    page = client.get(LIST)
    assert {item.topic for item in page.context["page"].object_list} == {
        "Alice's demo",
        "Alice asks Dave",
    }
    assert topics(client, role="requester")["Alice's demo"] == ["Bob Manager", "Erin HR"]
    assert len(login(cast.bob).get(LIST).context["pending"]) == 2


def fill(cast, count):
    """Requests between Alice and people inside and outside the pilot."""
    inside = add_people(2, team=cast.platform, prefix=f"in{count}")
    outside = add_people(2, team=cast.sales, prefix=f"out{count}")
    for number in range(count):
        make_request(cast.alice, [*inside, *outside], topic=f"Mine {count} {number}")
        make_request(cast.alice, outside, topic=f"Outside {count} {number}")
        make_request(inside[number % 2], [cast.alice], topic=f"Theirs {count} {number}")
        make_request(outside[number % 2], [cast.alice], topic=f"Theirs {count} {number}")
    for ask in FeedbackAsk.objects.filter(requestee=cast.alice)[: count // 2]:
        ask.status = AskStatus.DECLINED
        ask.save()


@pytest.mark.parametrize("path", [LIST, API])
def test_during_a_pilot_the_lists_do_a_fixed_number_of_queries(
    login, cast, path, django_assert_num_queries
):
    start_pilot(cast.engineering)
    client = login(cast.alice)
    client.get(path)  # the pilot's settings read once, as by every process
    fill(cast, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    fill(cast, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200
