"""How mobility's pages read the wishes to move they list, without changing who sees them: a
wish is listed only while its person works here (asked of the person's own row), and only to
whom the person chose (the rules' narrowing to the people who could have chosen the viewer
lets the database start from them)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from conftest import make_person
from mobility.models import Audience, MobilityPreference

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
