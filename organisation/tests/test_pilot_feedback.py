"""During a pilot, feedback from or to someone outside it is in nobody's list: the inbox (what
one received, gave, or was shown by a report) and its count of unread, the praise wall and the
API's list leave it out; each keeps its own page. Without a pilot, everything is listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Visibility
from feedback.tests.factories import give
from organisation.tests.factories import end_pilot, start_pilot
from people.tests.factories import add_people

INBOX = reverse("feedback:inbox")
WALL = reverse("feedback:wall")
API = "/api/v1/feedback"
EVERYONE = Visibility.ORGANISATION


@pytest.fixture
def feedback(cast):
    """Before the pilot: praise between Alice and Dave (Sales) both ways, for everyone to see;
    Alice's praise of Bob; Bob's feedback to Dave, who reports to him and showed him Erin's."""
    cast.dave.manager = cast.bob
    cast.dave.save()
    give(cast.dave, cast.alice, text="Dave thanks Alice", visibility=EVERYONE)
    give(cast.alice, cast.dave, text="Alice thanks Dave", visibility=EVERYONE)
    give(cast.alice, cast.bob, text="Alice thanks Bob", visibility=EVERYONE)
    give(cast.bob, cast.dave, text="Bob coaches Dave", kind="constructive")
    shared = {"shared_with": cast.bob, "shared_with_manager_at": timezone.now()}
    return give(cast.erin, cast.dave, text="Erin to Dave", **shared)


@pytest.fixture
def pilot(cast, feedback):
    start_pilot(cast.engineering)  # Carol, Bob and Alice; not Dave (Sales) nor Erin (People)


def texts(page):
    return [row.text for row in page.context["rows"]]


def test_the_inbox_lists_feedback_between_people_inside(login, cast, pilot):
    client = login(cast.alice)
    received = client.get(INBOX)
    assert texts(received) == []
    assert received.context["unread"] == 0
    assert texts(client.get(INBOX, {"tab": "given"})) == ["Alice thanks Bob"]
    bob = login(cast.bob)
    assert texts(bob.get(INBOX, {"tab": "given"})) == []
    assert texts(bob.get(INBOX, {"tab": "shared"})) == []


def test_the_wall_shows_praise_between_people_inside(login, cast, pilot):
    client = login(cast.alice)
    assert texts(client.get(WALL)) == ["Alice thanks Bob"]
    assert texts(client.get(WALL, {"tab": "team"})) == ["Alice thanks Bob"]


def test_the_api_lists_what_the_inbox_does(login, cast, pilot):
    client = login(cast.alice)
    assert [item["text"] for item in client.get(API).json()["items"]] == ["Alice thanks Bob"]


def test_feedback_outside_keeps_its_own_page(login, cast, pilot, feedback):
    page = login(cast.bob).get(feedback.get_absolute_url())
    assert page.status_code == 200
    assert "Erin to Dave" in page.content.decode()


def test_without_a_pilot_everything_is_listed(login, cast, pilot):
    end_pilot()
    client = login(cast.alice)
    assert texts(client.get(INBOX)) == ["Dave thanks Alice"]
    assert len(texts(client.get(WALL))) == 3
    assert len(client.get(API).json()["items"]) == 3
    assert texts(login(cast.bob).get(INBOX, {"tab": "shared"})) == ["Erin to Dave"]


def fill(cast, count):
    inside = add_people(2, team=cast.platform, prefix=f"in{count}")
    outside = add_people(2, team=cast.sales, prefix=f"out{count}")
    for number in range(count):
        for person in (inside[number % 2], outside[number % 2]):
            give(person, cast.alice, text=f"To Alice {count} {number}", visibility=EVERYONE)
            give(cast.alice, person, text=f"From Alice {count} {number}", visibility=EVERYONE)


@pytest.mark.parametrize("path", [INBOX, f"{INBOX}?tab=given", WALL, API])
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
