"""The praise wall: praise for everyone, and the viewer's team's praise."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qsl

from django.urls import reverse
from django.utils import timezone

from feedback.models import Kind, Reaction, Visibility
from feedback.tests.factories import give
from people.tests.factories import add_people

WALL = reverse("feedback:wall")
ORG, TEAM, PRIVATE = Visibility.ORGANISATION, Visibility.TEAM, Visibility.PRIVATE


def texts(response):
    return [f.text for f in response.context["rows"]]


def test_the_wall_shows_praise_for_everyone_newest_first(login, cast):
    now = timezone.now()
    give(cast.bob, cast.alice, text="Older", visibility=ORG, created_at=now - timedelta(days=2))
    give(cast.carol, cast.dave, text="Newer", visibility=ORG, created_at=now)
    give(cast.bob, cast.alice, text="Team only", visibility=TEAM)
    give(cast.bob, cast.alice, text="Private praise", visibility=PRIVATE)
    give(cast.bob, cast.alice, text="Constructive", kind=Kind.CONSTRUCTIVE)
    response = login(cast.erin).get(WALL)
    assert response.status_code == 200
    assert texts(response) == ["Newer", "Older"]


def test_my_team_shows_team_and_organisation_praise_for_my_team(login, cast):
    give(cast.dave, cast.alice, text="Team praise for Alice", visibility=TEAM)
    give(cast.dave, cast.bob, text="Praise for Bob, for all", visibility=ORG)
    give(cast.alice, cast.dave, text="Team praise for Dave", visibility=TEAM)
    give(cast.alice, cast.dave, text="Praise for Dave, for all", visibility=ORG)
    give(cast.dave, cast.alice, text="Private praise", visibility=PRIVATE)
    client = login(cast.bob)  # Platform, with Alice
    assert texts(client.get(WALL, {"tab": "team"})) == [
        "Praise for Bob, for all",
        "Team praise for Alice",
    ]
    # Dave's team (Sales) sees its own.
    assert texts(login(cast.dave).get(WALL, {"tab": "team"})) == [
        "Praise for Dave, for all",
        "Team praise for Dave",
    ]
    # Not Carol: she leads Engineering, but is in another team than Alice.
    assert texts(login(cast.carol).get(WALL, {"tab": "team"})) == []


def test_team_praise_is_not_on_the_wall_of_other_teams(login, cast):
    give(cast.bob, cast.alice, text="Team praise", visibility=TEAM)
    assert texts(login(cast.dave).get(WALL)) == []
    assert texts(login(cast.dave).get(WALL, {"tab": "team"})) == []


def test_praise_for_people_who_left_is_hidden(login, cast):
    give(cast.bob, cast.alice, text="For Alice", visibility=ORG)
    give(cast.alice, cast.dave, text="For Dave", visibility=ORG)
    give(cast.erin, cast.dave, text="For Dave, team", visibility=TEAM)
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    assert texts(login(cast.alice).get(WALL)) == ["For Alice"]  # even for its giver
    assert texts(login(cast.carol).get(WALL)) == ["For Alice"]


def test_someone_without_a_team_has_an_empty_team_wall(login, cast):
    give(cast.bob, cast.alice, text="For Alice", visibility=ORG)
    response = login(cast.frank).get(WALL, {"tab": "team"})
    assert response.status_code == 200
    assert texts(response) == []
    assert texts(login(cast.frank).get(WALL)) == ["For Alice"]


def test_reactions_show_inline_with_toggles(login, cast):
    praise = give(cast.bob, cast.alice, text="For Alice", visibility=ORG)
    Reaction.objects.create(feedback=praise, person=cast.carol, emoji="clap")
    Reaction.objects.create(feedback=praise, person=cast.dave, emoji="clap")
    response = login(cast.dave).get(WALL)
    reactions = {r.emoji: (r.count, r.mine) for r in response.context["rows"][0].reaction_list}
    assert reactions["clap"] == (2, True)
    html = response.text
    assert f'hx-post="{reverse("feedback:react", args=[praise.pk])}"' in html
    assert 'name="next" value="/feedback/wall/"' in html


def older(response) -> dict:
    """The "Older praise" link's parameters, or {} when there is none."""
    link = re.search(r'<a rel="next" href="\?([^"]*)"', response.text)
    return dict(parse_qsl(html.unescape(link.group(1)))) if link else {}


def test_the_wall_pages_to_older_praise(login, cast):
    now = timezone.now()
    for i in range(25):  # some at the same moment: the id breaks the tie
        give(
            cast.bob,
            cast.alice,
            text=f"Praise {i}",
            visibility=ORG,
            created_at=now - timedelta(minutes=i // 3),
        )
    client = login(cast.dave)
    first = client.get(WALL)
    assert texts(first) == [
        f"Praise {i}"
        for i in (2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 17, 16, 15, 20, 19)
    ]
    assert "Newest" not in first.text
    give(cast.carol, cast.alice, text="Meanwhile", visibility=ORG)  # new praise moves nothing
    second = client.get(WALL, older(first))
    assert texts(second) == ["Praise 18", "Praise 23", "Praise 22", "Praise 21", "Praise 24"]
    assert older(second) == {} and 'href="?"' in second.text  # back to the newest
    assert texts(client.get(WALL))[0] == "Meanwhile"


def test_a_cursor_that_is_not_one_shows_the_newest(login, cast):
    for i in range(3):
        give(cast.bob, cast.alice, text=f"Praise {i}", visibility=ORG)
    client = login(cast.dave)
    for before in ("nonsense", "x" * 300, ""):
        response = client.get(WALL, {"before": before, "tab": "x" * 300})
        assert response.status_code == 200
        assert texts(response) == ["Praise 2", "Praise 1", "Praise 0"]


def fill(cast, count, prefix):
    people = add_people(count, team=cast.platform, prefix=prefix)
    for i, person in enumerate(people):
        praise = give(person, cast.alice, text=f"{prefix} {i}", visibility=ORG)
        give(cast.alice, person, text=f"{prefix} team {i}", visibility=TEAM)
        for reactor in (cast.bob, cast.carol, cast.dave):
            Reaction.objects.create(feedback=praise, person=reactor, emoji="clap")
        Reaction.objects.create(feedback=praise, person=cast.bob, emoji="heart")


def test_the_wall_needs_the_same_queries_for_3_or_30_items(
    login, cast, django_assert_max_num_queries
):
    fill(cast, 3, "few")
    client = login(cast.bob)
    for tab in ("everyone", "team"):
        with django_assert_max_num_queries(7) as few:
            client.get(WALL, {"tab": tab})
        fill(cast, 27, f"many-{tab}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(WALL, {"tab": tab})
        assert len(response.context["rows"]) == 20
        with django_assert_max_num_queries(len(few.captured_queries)):  # older: the same
            response = client.get(WALL, older(response))
        assert response.context["rows"]
