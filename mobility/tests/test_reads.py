"""How mobility's pages read what they list and rank, without changing what anyone sees: a
wish to move is listed only while its person works here (asked of the person's own row), and
only to whom the person chose (the rules' narrowing to the people who could have chosen the
viewer lets the database start from them); the gap to a role profile is worked out once per
step for all the openings for it; an opening's page reads the viewer's own wish, plan and
levels with the people it ranks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from access.viewer import Viewer
from conftest import make_person
from growth import queries as growth_queries
from growth.tests.helpers import rated
from mobility import queries
from mobility.models import Audience, Interest, MobilityPreference
from plans.models import Plan

INDEX = reverse("mobility:index")


def page(client, url):
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("fields", "listed"),
    [
        ({}, True),
        ({"leave_date": "today"}, True),  # the leave date is the last working day
        ({"leave_date": "yesterday"}, False),
        ({"is_active": False}, False),
    ],
)
def test_a_wish_to_move_is_listed_only_while_its_person_works_here(
    login, cast, make_opening, fields, listed
):
    today = timezone.localdate()
    days = {"today": today, "yesterday": today - timedelta(days=1)}
    fields = {name: days.get(value, value) for name, value in fields.items()}
    mover = make_person(
        "mover@example.com", "Morgan Mover", team=cast.platform, manager=cast.bob, **fields
    )
    MobilityPreference.objects.create(
        person=mover, open_to_move=True, audience=Audience.HR_AND_MANAGER, note="Keen"
    )
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    # Her manager's list of wishes shared with him, and HR's people open to a move.
    assert ("Morgan Mover" in page(login(cast.bob), INDEX)) is listed
    erins = page(login(cast.erin), reverse("mobility:opening", args=[opening.pk]))
    assert ("Morgan Mover" in erins.split('id="open-h"')[1]) is listed
    assert ("Morgan Mover" in page(login(cast.erin), INDEX)) is listed


def test_a_team_scoped_hr_who_manages_sees_the_wishes_their_scope_and_choice_allow(
    login, cast, make_opening
):
    """Bob, HR for Sales only, manages Alice (Platform): he sees her wish because she let her
    manager see it, and Dave's (Sales) because his scope covers him, nobody else's."""
    HRRole.objects.create(person=cast.bob, scope=cast.sales)
    MobilityPreference.objects.create(
        person=cast.alice, open_to_move=True, audience=Audience.HR_AND_MANAGER
    )
    MobilityPreference.objects.create(person=cast.dave, open_to_move=True)
    MobilityPreference.objects.create(person=cast.carol, open_to_move=True)
    MobilityPreference.objects.create(person=cast.frank, open_to_move=True)
    text = page(login(cast.bob), INDEX).split('id="shared-h"')[1]
    assert "Alice Employee" in text and "Dave Peer" in text
    assert "Carol" not in text and "Frank" not in text


def test_openings_for_the_same_step_share_my_gap_and_keep_their_own_matches(
    login, cast, framework, make_opening, django_assert_num_queries
):
    rated(cast, mine=4, theirs=2)
    sales = make_opening(title="Sales manager", role="Engineering manager", level=4)
    sales.team, sales.hiring_manager = cast.sales, cast.dave
    sales.save()
    platform = make_opening(title="Platform manager", role="Engineering manager", level=4)
    MobilityPreference.objects.create(person=cast.alice, teams=[cast.platform.pk])
    viewer = Viewer.of(cast.alice)
    framework_now = growth_queries.current()
    mine = queries.own(viewer)
    listed = list(queries.listed_openings(viewer))
    with django_assert_num_queries(0):
        fits = queries.fit_for_me(viewer, listed, framework_now, timezone.localdate(), mine=mine)
    assert [fit.opening for fit in fits] == [platform, sales]
    first, second = fits
    assert first.step is second.step and first.gaps == second.gaps and first.gaps
    assert first.readiness == second.readiness and first.readiness is not None
    assert first.matches == ["team"] and second.matches == []
    assert first.score == second.score + queries.INTEREST_BOOST


def test_an_opening_page_reads_my_own_wish_plan_and_levels_with_the_people_it_ranks(
    login, cast, framework, make_opening
):
    """Erin (HR) aims for the opening's step and wants its team; Alice is open to a move and
    interested. Erin's own fit says so; the lists rank Alice by what Erin may see of her."""
    opening = make_opening(title="Manager", role="Engineering manager", level=4)
    Plan.objects.create(person=cast.erin, target_track="management", target_level=4)
    MobilityPreference.objects.create(person=cast.erin, teams=[cast.platform.pk])
    MobilityPreference.objects.create(
        person=cast.alice, open_to_move=True, teams=[cast.platform.pk], note="Keen"
    )
    Interest.objects.create(person=cast.alice, opening=opening, note="Pick me")
    text = page(login(cast.erin), reverse("mobility:opening", args=[opening.pk]))
    mine, interested = text.split('id="expects-h"')[1].split('id="interested-h"')
    assert "your plan's target" in mine and "a team of interest" in mine
    interested, open_to_move = interested.split('id="open-h"')
    assert "Alice Employee" in interested and "a team of interest" in interested
    assert "Alice Employee" in open_to_move and "Keen" in open_to_move
    # Without a wish or a plan of her own, Erin's fit has neither.
    Plan.objects.filter(person=cast.erin).delete()
    MobilityPreference.objects.filter(person=cast.erin).delete()
    text = page(login(cast.erin), reverse("mobility:opening", args=[opening.pk]))
    mine = text.split('id="expects-h"')[1].split('id="interested-h"')[0]
    assert "your plan" not in mine and "of interest" not in mine
