"""What My data costs: a fixed number of queries for someone with items of most kinds (on the
generated organisation, `access/tests/population.py`, where every module adds its objects), and
not one more for the kinds a later module registers that they have none of."""

import pytest
from django.urls import reverse

from access import catalogue
from access.tests.population import build
from people.models import Person

PAGE = reverse("trust:my_data")
API = "/api/v1/me/data"


def kinds_held(person) -> int:
    return sum(kind.about(person).exists() for kind in catalogue.registered())


@pytest.fixture
def filled(cast):
    """The person of the generated organisation with items of the most kinds."""
    org = build(cast)
    working = [person for person in org.people if person.is_active and not person.has_left]
    return max(working, key=kinds_held)


@pytest.fixture
def more_kinds(monkeypatch):
    """Twenty kinds more, as later modules would register them, that nobody has items of."""
    monkeypatch.setattr(catalogue, "_kinds", dict(catalogue._kinds))
    monkeypatch.setattr(catalogue, "_by_model", dict(catalogue._by_model))
    for number in range(20):
        catalogue.register(
            catalogue.DataKind(
                f"later.kind{number}",
                f"Later kind {number}",
                Person,
                subject="manager",
                where={"name": "Nobody has this name"},
            )
        )


# The page: the session and the viewer (2), their HR role (1) and the navigation (1); one query
# counting every kind and aggregate and reading the audience of every item of a kind whose
# rule declares what it reads (`Rules.reads`: all but one here); one per model of the other
# kinds the person has items of (1: their interest in openings); one per list of related
# objects the rules read (1: development plans' shares); the people in every audience (4: the
# leads of teams' parts, the people named, a team's members, HR); and the readers of rhythm
# health (1). The API: the same without the navigation. (Before the audiences: 35 and 34.)
PINS = {PAGE: 12, API: 11}


@pytest.mark.parametrize("url", [PAGE, API])
def test_it_takes_a_fixed_number_of_queries_for_someone_with_items_of_most_kinds(
    login, filled, url, django_assert_max_num_queries
):
    assert kinds_held(filled) >= 30
    client = login(filled)
    client.get(url)
    with django_assert_max_num_queries(PINS[url]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [PAGE, API])
def test_kinds_they_have_none_of_cost_no_query(
    login, filled, url, request, django_assert_max_num_queries, django_assert_num_queries
):
    client = login(filled)
    client.get(url)
    with django_assert_max_num_queries(PINS[url]) as counted:
        client.get(url)
    before = len(counted)  # now: the log of queries keeps the last 9,000 only
    request.getfixturevalue("more_kinds")
    client.get(url)  # the counting query is built again, for the new set of kinds
    with django_assert_num_queries(before):
        response = client.get(url)
    assert "Later kind 19" in response.content.decode()
