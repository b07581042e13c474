# ruff: noqa: F401, F811 (a fixture imported, then named as an argument)
"""The organisation heatmap of a large organisation: its groups a page at a time in the order
of the tree, narrowed to a team and the teams below it, with the skill concentration of every
group (not only the page's) — through the page and the API alike."""

import pytest
from django.urls import reverse

from talent import queries
from talent.models import SkillCell, SkillGroup
from talent.tests.test_query_counts import filled  # the fixture

PAGE = reverse("talent:skills_organisation")
API = "/api/v1/talent/skills/organisation"


def _names(answer):
    return [group["team"]["name"] for group in answer["groups"] if group["team"]]


def test_groups_come_a_page_at_a_time_in_the_tree_s_order(login, cast, filled, monkeypatch):
    erin = login(cast.erin)
    every = _names(erin.get(API).json())
    assert len(every) >= 3
    monkeypatch.setattr(queries, "GROUPS_SHOWN", 2)
    first = erin.get(API).json()
    assert _names(first) == every[:2] and first["next_start"] == 2
    second = erin.get(API, {"start": first["next_start"]}).json()
    assert _names(second) == every[2:4]
    page = erin.get(PAGE).content.decode()
    assert 'rel="next" href="?start=2"' in page
    assert 'rel="prev"' in erin.get(PAGE, {"start": 2}).content.decode()
    for nonsense in ("-3", "x", "9" * 20):  # the first page, never an error
        assert erin.get(PAGE, {"start": nonsense}).status_code == 200


def test_a_team_narrows_the_heatmap_to_it_and_the_teams_below(login, cast, filled):
    erin = login(cast.erin)
    web = next(g["team"] for g in erin.get(API).json()["groups"] if g["team"]["name"] == "Web")
    narrowed = erin.get(API, {"under": web["id"]}).json()
    assert _names(narrowed) == ["Web"]
    page = erin.get(PAGE, {"under": web["id"]}).content.decode()
    assert "Web and the teams below it" in page and "Every team you may see" in page
    assert f'href="?under={web["id"]}"' in erin.get(PAGE).content.decode()  # to choose it
    for unknown in ("999999", "abc", "0"):
        assert erin.get(PAGE, {"under": unknown}).status_code == 404, unknown
    assert erin.get(API, {"under": 999999}).status_code == 404


@pytest.mark.parametrize("shown", [1, 50])
def test_skill_concentration_is_of_every_group_not_only_the_page_s(
    login,
    cast,
    filled,
    monkeypatch,
    shown,
):
    """The last group of the tree depends on one person for a competency: it is named
    whether or not its row is on the page shown."""
    last = SkillGroup.objects.filter(team__isnull=False).order_by("team__path", "pk").last()
    cell = SkillCell.objects.filter(group=last, n__gte=5).first()
    cell.at_or_above = 1
    cell.save()
    monkeypatch.setattr(queries, "GROUPS_SHOWN", shown)
    page = login(cast.erin).get(PAGE).content.decode()
    concentration = page.split('id="concentration-h"')[1]
    assert f"<strong>{last.team.name}" in concentration
