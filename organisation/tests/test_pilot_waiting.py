"""During a pilot, feedback asks waiting to be answered count only inside it: an ask from
someone outside the pilot (made before it started, or before they left it) waits for nobody on
Home or in the navigation, nor does an ask of someone outside it (HR outside the pilot still
opens the modules, but nothing of theirs waits there), as neither is reminded."""

import pytest
from django.urls import reverse

from conftest import make_person
from feedback.tests.factories import make_request
from organisation.tests.factories import end_pilot, start_pilot

HOME = reverse("home")


@pytest.fixture
def asks(cast):
    """Dave (Sales) asked Bob, Alice asked Erin (People) and Bob, before the pilot."""
    make_request(cast.dave, [cast.bob], topic="Dave's pitch")
    make_request(cast.alice, [cast.erin, cast.bob], topic="Alice's demo")


def waiting(client):
    page = client.get(HOME)
    assert page.status_code == 200
    asks = [item for item in page.context["waiting"] if item.source == "asks_to_answer"]
    return {str(item.note) for item in asks}, page.context["waiting_total"], page


def test_before_the_pilot_every_ask_waits(login, cast, asks):
    assert waiting(login(cast.bob))[:2] == ({"Dave's pitch", "Alice's demo"}, 2)
    assert waiting(login(cast.erin))[:2] == ({"Alice's demo"}, 1)


def test_an_ask_from_someone_outside_the_pilot_waits_for_nobody(login, cast, asks):
    client = login(cast.bob)
    waiting(client)  # counted once before the pilot: the counts are not kept from then
    start_pilot(cast.engineering)
    notes, total, page = waiting(client)
    assert notes == {"Alice's demo"}
    assert total == 1
    assert "Dave's pitch" not in page.content.decode()
    directory = client.get(reverse("people:directory")).content.decode()
    assert 'Feedback <span class="nav-count">1<' in directory


def test_an_ask_of_hr_outside_the_pilot_waits_for_nobody(login, cast, asks):
    start_pilot(cast.engineering)
    notes, total, page = waiting(login(cast.erin))
    assert notes == set()
    assert total == 0
    assert "Alice's demo" not in page.content.decode()


def test_an_ask_of_someone_who_joins_the_pilot_waits_again(login, cast, asks):
    start_pilot(cast.engineering)
    assert waiting(login(cast.erin))[:2] == (set(), 0)
    start_pilot(cast.engineering, cast.people_team)
    assert waiting(login(cast.erin))[:2] == ({"Alice's demo"}, 1)
    end_pilot()
    assert waiting(login(cast.bob))[:2] == ({"Dave's pitch", "Alice's demo"}, 2)


def test_an_ask_from_someone_who_left_the_pilot_waits_for_nobody(login, cast):
    gil = make_person("gil@example.com", "Gil Platform", team=cast.platform)
    make_request(gil, [cast.alice], topic="Gil's review")
    start_pilot(cast.engineering)
    assert waiting(login(cast.alice))[:2] == ({"Gil's review"}, 1)
    gil.team = cast.sales
    gil.save()
    assert waiting(login(cast.alice))[:2] == (set(), 0)
