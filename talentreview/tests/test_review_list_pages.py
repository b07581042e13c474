"""A review of many placements: its grid counts them all and names the first few of each box,
its list shows them a page at a time (`cadence.keyset`), and the page costs the same queries
whatever their number."""

import re

import pytest
from django.urls import reverse

from conftest import make_person
from talentreview.models import Placement
from talentreview.tests.factories import make_review
from talentreview.views import NAMED_IN_A_BOX, PLACEMENTS_SHOWN

MANY = PLACEMENTS_SHOWN + 30


@pytest.fixture
def crowded(cast):
    """Bob's MANY reports in Platform, all placed in one box of a review of Engineering."""
    review = make_review(cast)
    people = [
        make_person(f"p{n:03}@example.com", f"Person {n:03}", team=cast.platform, manager=cast.bob)
        for n in range(MANY)
    ]
    Placement.objects.bulk_create(
        Placement(
            review=review,
            person=person,
            performance=2,
            potential=2,
            rationale="Steady",
            placed_by=cast.bob,
        )
        for person in people
    )
    return review


def rows_of(page):
    return re.findall(r"<tr>\s*<td><a href=\"[^\"]+\">(Person \d+)</a>", page)


def test_the_list_comes_a_page_at_a_time_and_the_grid_counts_them_all(login, cast, crowded):
    client = login(cast.erin)
    url = reverse("talentreview:review", args=[crowded.pk])
    first = client.get(url).content.decode()
    assert rows_of(first) == [f"Person {n:03}" for n in range(PLACEMENTS_SHOWN)]
    assert f"{MANY} placements, by name." in first
    grid = first.split('id="grid-h"')[1].split('id="list-h"')[0]
    assert f"({MANY})" in grid and f"All {MANY} are in the list below." in grid
    assert grid.count("Person ") == NAMED_IN_A_BOX
    after = re.search(r'rel="next" href="\?after=([^"]+)"', first).group(1)
    second = client.get(f"{url}?after={after}").content.decode()
    assert rows_of(second) == [f"Person {n:03}" for n in range(PLACEMENTS_SHOWN, MANY)]
    assert 'rel="prev"' in second and 'rel="next"' not in second


# As `test_query_counts`'s finalised review, and, in this draft, whom the viewer may place
# (with the form's choices of them, for a manager).
@pytest.mark.parametrize(("who", "most"), [("erin", 10), ("bob", 12), ("carol", 12)])
def test_a_crowded_review_costs_the_queries_of_a_small_one(
    login, cast, crowded, django_assert_max_num_queries, who, most
):
    client = login(getattr(cast, who))
    with django_assert_max_num_queries(most):
        assert client.get(reverse("talentreview:review", args=[crowded.pk])).status_code == 200
