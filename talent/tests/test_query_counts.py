"""The skills pages and their API cost a fixed number of queries, however many reports, teams
and levels there are, and however long the test's data took to make."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence import kept
from conftest import make_person
from people.models import Team
from talent import skills
from talent.tests.conftest import rate


@pytest.fixture
def filled(cast, platform):
    """Bob with eighteen reports (each assessed), and four more teams of six below Engineering,
    one of them with two smaller teams: many groups and cells."""
    for number in range(12):
        person = make_person(
            f"more{number}@example.com",
            f"More {number}",
            team=cast.platform,
            manager=cast.bob,
            role=cast.alice.role,
            level=2,
        )
        rate(cast.bob, person, {"communication": 1 + number % 3, "craft": 2})
    for name in ("Web", "Data", "Mobile", "Infra"):
        team = Team.objects.create(name=name, parent=cast.engineering)
        lead = make_person(f"{name}@example.com", f"{name} Lead", team=team, manager=cast.carol)
        for number in range(5):
            person = make_person(
                f"{name}{number}@example.com",
                f"{name} {number}",
                team=team if number else Team.objects.create(name=f"{name} small", parent=team),
                manager=lead,
                role=cast.alice.role,
                level=2,
            )
            rate(lead, person, {"communication": 2, "ownership": 3})
    skills.count(timezone.now(), force=True)


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        # The session, the person, whether they manage anyone; the framework (its version and
        # the tracks' roles); the reports; their levels (the ratings and the HR role the
        # rules read); the access log's insert; the page's shell (what waits).
        ("talent:skills_team", "bob", 10),
        ("api:skills_team", "bob", 9),
        # The session, the person, the HR role, the teams the viewer leads; the newest run,
        # its competencies, a page of groups with their teams, their cells, the skill
        # concentration of every group; the shell.
        ("talent:skills_organisation", "erin", 10),
        ("talent:skills_organisation", "carol", 10),
        ("api:skills_organisation", "carol", 9),
        # The cards: whether the viewer manages anyone and leads a team; the succession card's;
        # the talent reviews card's; the mobility card's one query (open openings, one's own
        # wish to move).
        ("talent:index", "carol", 10),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    client, login, cast, filled, django_assert_max_num_queries, monkeypatch, name, who, most
):
    url = reverse(name)
    login(getattr(cast, who))
    client.get(url)  # the first reads the framework's published version
    # As on a loaded machine, where making the data took long: the settings the process kept
    # since the test started (`cadence.kept`) are as old when the page is asked for again.
    real = kept.time.monotonic
    monkeypatch.setattr(kept, "time", SimpleNamespace(monotonic=lambda: real() + 60))
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
