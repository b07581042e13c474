"""The people open to a move on an opening's page: ranked by the database on what they match
(their interests, a plan target the viewer may read), so that the page reads only the people
it lists however many are open to a move; each ranking says what it used of its own people."""

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from access.models import HRRole
from conftest import make_person
from mobility.models import Audience, Interest, MobilityPreference
from mobility.queries import SHOWN_CANDIDATES
from plans.models import Plan, PlanShare


def mover(cast, name, **wish):
    person = make_person(f"{name.lower().replace(' ', '.')}@example.com", name, team=cast.platform)
    MobilityPreference.objects.create(person=person, open_to_move=True, **wish)
    return person


@pytest.fixture
def loaded():
    """How many wishes to move a request reads into Python."""
    count = [0]

    def counted(sender, **kwargs):
        count[0] += 1

    post_init.connect(counted, sender=MobilityPreference)
    yield count
    post_init.disconnect(counted, sender=MobilityPreference)


def page_of(client, opening):
    return client.get(reverse("mobility:opening", args=[opening.pk])).content.decode()


def test_the_page_reads_only_the_people_it_lists_however_many_are_open_to_a_move(
    login, cast, make_opening, loaded
):
    for number in range(SHOWN_CANDIDATES + 20):
        mover(cast, f"Mover {number:02}")
    opening = make_opening()
    client = login(cast.erin)
    loaded[0] = 0
    page = page_of(client, opening)
    assert "Mover 00" in page and "And 20 more." in page
    assert loaded[0] <= SHOWN_CANDIDATES


def test_those_matching_the_opening_come_first_even_beyond_the_first_page(
    login, cast, framework, make_opening
):
    opening = make_opening(title="Manager", role="Engineering manager", level=4)
    for number in range(SHOWN_CANDIDATES + 5):
        mover(cast, f"Aaron {number:02}")
    mover(cast, "Yan Team", teams=[opening.team_id])
    mover(cast, "Xena Track", tracks=["management"])
    mover(cast, "Zoe Both", tracks=["management"], roles=[opening.role_id])
    wendy = mover(cast, "Wendy Target")
    plan = Plan.objects.create(person=wendy, target_track="management", target_level=4)
    PlanShare.objects.create(plan=plan, person=cast.erin)  # Erin may read its target
    page = page_of(login(cast.erin), opening).split('id="open-h"')[1]
    order = [page.index(name) for name in ("Wendy", "Zoe", "Xena", "Yan", "Aaron 00")]
    assert order == sorted(order)
    assert "Aaron 45" in page and "Aaron 46" not in page and "And 9 more." in page


def test_each_ranking_says_what_it_used_of_its_own_people(login, cast, make_opening):
    """Bob, HR for Platform, manages Alice (open to a move, for HR and him): he may read her
    plan and levels. Someone else of Platform is interested: nothing of theirs but interests."""
    HRRole.objects.create(person=cast.bob, scope=cast.platform)
    MobilityPreference.objects.create(
        person=cast.alice, open_to_move=True, audience=Audience.HR_AND_MANAGER
    )
    Plan.objects.create(person=cast.alice, target_track="management", target_level=4)
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    keen = make_person("keen@example.com", "Keen Colleague", team=cast.platform, manager=cast.carol)
    Interest.objects.create(person=keen, opening=opening, note="Me")
    page = page_of(login(cast.bob), opening)
    interested, open_to_move = page.split('id="interested-h"')[1].split('id="open-h"')
    assert "Keen Colleague" in interested and "Not their levels" in interested
    assert "target step" not in interested and "assessed levels" not in interested
    assert "Alice Employee" in open_to_move
    assert "target step" in open_to_move and "assessed levels" in open_to_move


def test_only_those_who_may_change_the_opening_and_hr_see_who_is_interested(
    login, cast, make_opening
):
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    Interest.objects.create(person=cast.alice, opening=opening, note="Me")
    url = reverse("api:list_opening_interests", args=[opening.pk])
    for person, sees in ((cast.carol, True), (cast.erin, True), (cast.dave, False)):
        client = login(person)
        assert ("Interested people" in page_of(client, opening)) is sees, person.name
        assert bool(client.get(url).json()) is sees, person.name
    # Alice sees her own interest, not the list of those interested.
    client = login(cast.alice)
    assert "Interested people" not in page_of(client, opening)
    assert [row["person"]["id"] for row in client.get(url).json()] == [cast.alice.pk]
