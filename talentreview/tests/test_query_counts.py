"""Every talent review page costs a fixed number of queries, however many placements, changes
and reviews there are."""

import pytest
from django.urls import reverse

from access.viewer import Viewer
from conftest import make_person
from talentreview import services
from talentreview.models import Placement
from talentreview.tests.factories import make_review, open_placements, place_alice


@pytest.fixture
def filled(cast):
    """A finalised review of Engineering with Alice and 15 more of Bob's reports placed, each
    changed twice; a draft review after it; Alice's response."""
    review = make_review(cast)
    placement = place_alice(cast, review)
    bob = Viewer(person=cast.bob)
    for n in range(15):
        report = make_person(
            f"r{n}@example.com", f"Report {n}", manager=cast.bob, team=cast.platform
        )
        other = services.place(bob, review, report, performance=2, potential=2, rationale="Ok")
        services.change_placement(bob, other, performance=3, potential=2, rationale="Better")
    erin = Viewer(person=cast.erin)
    services.open_meeting(erin, review)
    for other in Placement.objects.filter(review=review):
        services.change_placement(erin, other, performance=1, potential=3, rationale="Agreed")
    services.finalise(erin, review)
    open_placements()
    placement.refresh_from_db()
    services.respond(Viewer(person=cast.alice), placement, text="Fair")
    later = make_review(cast, name="Next")
    place_alice(cast, later)
    return placement


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        # The session, the person, the shell (HR role, what waits); the review (and, for whoever
        # is not HR, whether someone in it reports to them); the grid (the first names and the
        # count of each box); a page of the list, and how many there are; whom to place.
        ("talentreview:review", "erin", 9),
        ("talentreview:review", "bob", 10),
        ("talentreview:review", "carol", 10),
        # The placement, its history, the response, who sees it (the people named, HR).
        ("talentreview:placement", "bob", 13),
        ("talentreview:placement", "alice", 12),
        ("talentreview:index", "carol", 5),
        ("talentreview:mine", "alice", 5),
    ],
)
def test_pages_cost_a_fixed_number_of_queries(
    login, cast, filled, django_assert_max_num_queries, name, who, most
):
    client = login(getattr(cast, who))
    kwargs = {}
    if name == "talentreview:review":
        kwargs = {"review_id": filled.review_id}
    elif name == "talentreview:placement":
        kwargs = {"placement_id": filled.pk}
    url = reverse(name, kwargs=kwargs)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        ("api:list_reviews", "erin", 4),
        ("api:list_placements", "erin", 6),
        ("api:list_placements", "carol", 7),
        ("api:my_placements", "alice", 3),
    ],
)
def test_api_costs_a_fixed_number_of_queries(
    login, cast, filled, django_assert_max_num_queries, name, who, most
):
    client = login(getattr(cast, who))
    kwargs = {"review_id": filled.review_id} if name == "api:list_placements" else {}
    with django_assert_max_num_queries(most):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_the_card_on_talents_page_costs_two_queries_at_most(
    cast, filled, django_assert_max_num_queries, who
):
    """The reviews the viewer may know of, and (where people see their own) whether they have
    one to see; the viewer's HR role is the shell's, read before."""
    from access.viewer import Viewer
    from talentreview.templatetags.talentreview import talent_reviews_card

    viewer = Viewer(person=getattr(cast, who))
    viewer.hr_role  # noqa: B018 - read by the page's shell before the card
    with django_assert_max_num_queries(2):
        card = talent_reviews_card(viewer)
    assert card["reviews"] or who == "alice"
