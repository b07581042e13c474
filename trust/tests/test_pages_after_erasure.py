"""Pages with an anonymised person in them render, through the real views, for everyone who
could open them before: they show "A former employee" and "(removed)", never a 500."""

import pytest
from django.urls import reverse

from trust import erasure
from trust.tests import leaver
from trust.tests.leaver import ABOUT, BY, NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    world = leaver.build(cast)
    erasure.erase(world.zelda)
    return world


def pages(world, cast):
    """(who, url) of every page that shows her or her records to someone."""
    zelda, yuri = world.zelda, world.yuri
    return [
        (cast.erin, zelda.get_absolute_url()),
        (cast.erin, reverse("people:directory") + "?include_left=on&q=former"),
        (cast.erin, reverse("people:team", args=[cast.platform.pk])),
        (cast.bob, world.goal.get_absolute_url()),
        (cast.bob, reverse("goals:team")),
        (cast.bob, world.team_goal.get_absolute_url()),
        (cast.bob, world.conversation.get_absolute_url()),
        (cast.bob, world.skipped.get_absolute_url()),
        (cast.bob, reverse("conversations:index")),
        (cast.bob, reverse("my_team")),
        (cast.carol, reverse("conversations:adherence")),
        (yuri, world.yuris.get_absolute_url()),
        (yuri, reverse("conversations:index")),
        (yuri, reverse("notifications:index")),
        (yuri, yuri.get_absolute_url()),
        (cast.alice, world.given.get_absolute_url()),
        (cast.alice, world.received.get_absolute_url()),
        (cast.alice, reverse("feedback:inbox")),
        (cast.alice, reverse("feedback:requests")),
        (cast.alice, world.asked.get_absolute_url()),
        (cast.alice, reverse("notifications:index")),
        (cast.bob, reverse("feedback:report", args=[world.participant.pk])),
        (cast.erin, reverse("feedback:report", args=[world.yuri_participant.pk])),
        (cast.erin, reverse("feedback:cycle", args=[world.cycle.pk])),
        (cast.erin, reverse("home")),
    ]


def test_every_page_renders_without_her(login, cast, world):
    for who, url in pages(world, cast):
        response = login(who).get(url)
        assert response.status_code == 200, (who.name, url, response.status_code)
        for gone in (NAME, BY, ABOUT):
            assert gone.encode() not in response.content, (who.name, url, gone)


def test_her_records_say_a_former_employee(login, cast, world):
    response = login(cast.bob).get(world.conversation.get_absolute_url())
    assert b"A former employee" in response.content
    assert b"(removed)" in response.content
    response = login(cast.alice).get(world.given.get_absolute_url())
    assert b"A former employee" in response.content


def test_nobody_changes_her_any_more(login, cast, world):
    """What was erased stays erased: her edit and leave pages are refused, even to HR, and her
    page offers no edit."""
    client = login(cast.erin)
    for name in ("people:person_edit", "people:person_leave"):
        url = reverse(name, args=[world.zelda.pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"name": "Zelda Again"}).status_code == 403, name
    world.zelda.refresh_from_db()
    assert world.zelda.name != "Zelda Again"
    page = client.get(world.zelda.get_absolute_url()).content.decode()
    assert reverse("people:person_edit", args=[world.zelda.pk]) not in page
