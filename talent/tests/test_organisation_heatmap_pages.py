# ruff: noqa: F401, F811 (a fixture imported, then named as an argument)
"""The organisation heatmap of a large organisation: its groups a page at a time in the order
of the tree, narrowed to a team and the teams below it, with the skill concentration of every
group (not only the page's) — through the page and the API alike."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from talent import queries, skills
from talent.models import SkillCell, SkillGroup
from talent.tests.test_query_counts import filled  # the fixture

PAGE = reverse("talent:skills_organisation")
API = "/api/v1/talent/skills/organisation"


def _names(answer):
    return [group["team"]["name"] for group in answer["groups"] if group["team"]]


def test_groups_come_a_page_at_a_time_in_the_tree_s_order(login, cast, filled, monkeypatch):
    erin = login(cast.erin)
    every = _names(erin.get(API).json())
    assert len(every) >= 5
    monkeypatch.setattr(queries, "GROUPS_SHOWN", 2)
    first = erin.get(API).json()
    assert _names(first) == every[:2] and first["next_after"]
    second = erin.get(API, {"after": first["next_after"]}).json()
    assert _names(second) == every[2:4]
    page = erin.get(PAGE).content.decode()
    after = re.search(r'rel="next" href="\?after=([^"]+)"', page).group(1)
    second_page = erin.get(f"{PAGE}?after={after}").content.decode()
    assert every[2] in second_page and every[0] not in second_page
    before = re.search(r'rel="prev" href="\?before=([^"]+)"', second_page).group(1)
    back = erin.get(f"{PAGE}?before={before}").content.decode()
    assert every[0] in back and every[2] not in back and 'rel="prev"' not in back
    for nonsense in ("-3", "x", "9" * 2000):  # a place nowhere: never an error
        assert erin.get(PAGE, {"after": nonsense}).status_code == 200


def test_the_next_page_starts_after_the_last_group_shown_whatever_changed_since(
    login, cast, filled, monkeypatch
):
    """The figures are counted again in the background: a group gone (or a new one) before
    the next page is asked for neither skips a group nor shows one twice."""
    erin = login(cast.erin)
    every = _names(erin.get(API).json())
    monkeypatch.setattr(queries, "GROUPS_SHOWN", 2)
    first = erin.get(API).json()
    SkillGroup.objects.filter(team__name=every[0]).delete()
    assert _names(erin.get(API, {"after": first["next_after"]}).json()) == every[2:4]
    skills.count(timezone.now(), force=True)  # a new run: new groups
    assert _names(erin.get(API, {"after": first["next_after"]}).json()) == every[2:4]


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
    for bad in ("abc", "0", "-1", "9" * 30):  # not an id: the API's error, never a 500
        answer = erin.get(API, {"under": bad})
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "under"


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
    erin = login(cast.erin)
    concentration = erin.get(PAGE).content.decode().split('id="concentration-h"')[1]
    assert f"<strong>{last.team.name}" in concentration
    answer = erin.get(API).json()
    assert {
        "team": {"id": last.team_id, "name": last.team.name},
        "smaller_teams": last.smaller_teams,
        "competencies": [cell.competency_key],
    } in answer["concentration"]
    assert answer["more_concentration"] is False
