"""Results pages and the API stay small however large the organisation: comments come a page
at a time, the groups' navigation is the way down to the chosen team (its way further down is
the heatmap), and the API answers for one group and the teams right below it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from conftest import make_person
from surveys import results, rounds
from surveys.models import Comment, Invitation
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def _answer_and_close(found, comment=lambda i: f"Comment number {i}"):
    by_key = {q.key: q.pk for q in found.questions.all()}
    for i, invitation in enumerate(Invitation.objects.filter(round=found).order_by("pk")):
        rounds.submit(
            invitation,
            {
                by_key["engagement-energy"]: 4,
                by_key["safety-mistakes"]: 2,
                by_key["enps"]: 9,
                by_key["comment"]: comment(i),
            },
        )
    rounds.close_round(found)


@pytest.fixture
def large_round(cast):
    """Platform with 30 people who all answered and left a comment."""
    for i in range(28):
        make_person(f"big{i}@example.com", f"Big {i}", team=cast.platform)
    survey = make_survey(team=cast.platform, starts_on=timezone.localdate())
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=10))
    _answer_and_close(found)
    return survey, found


def test_comments_come_a_page_at_a_time(login, cast, large_round):
    survey, found = large_round
    total = Comment.objects.filter(round=found).count()
    assert total > results.COMMENTS_SHOWN
    erin = login(cast.erin)
    url = reverse("surveys:survey", args=[survey.pk])
    first = erin.get(url).content.decode()
    assert first.count('class="reply"') + first.count("<details><summary>") == (
        results.COMMENTS_SHOWN
    )
    assert f"comments={2 * results.COMMENTS_SHOWN}" in first  # "Show more comments"
    every = erin.get(url, {"comments": 2 * results.COMMENTS_SHOWN}).content.decode()
    shown = set(re.findall(r"Comment number (\d+)\b", every))
    assert len(shown) == total
    assert "Show more comments" not in every
    for nonsense in ("-1", "x", "9" * 40):  # a bad number is the first page, never an error
        assert erin.get(url, {"comments": nonsense}).status_code == 200


def test_a_team_s_comments_are_not_those_of_a_team_whose_id_begins_alike(cast, large_round):
    """A key is matched whole ("t:1" is not "t:12") in the comments' stored groups."""
    survey, found = large_round
    question = Comment.objects.filter(round=found).first().question
    loaded = results.load(Viewer.of(cast.erin), survey)
    key = sorted(loaded.comment_keys[found.pk])[-1]
    longer = f"{key}7"  # say, team 17 against team 1
    Comment.objects.create(round=found, question=question, groups=[longer], text="Not it")
    shown, _more = results.comments(loaded, found, key, limit=1000)
    assert shown and all(key in comment.groups for comment in shown)
    assert "Not it" not in {comment.text for comment in shown}


@pytest.fixture
def whole_organisation(cast):
    """Everyone asked, and enough people in Platform, Engineering and Sales for each to be
    shown."""
    for team, many in ((cast.platform, 6), (cast.engineering, 5), (cast.sales, 6)):
        for i in range(many):
            make_person(f"{team.name}{i}@example.com".lower(), f"{team.name} {i}", team=team)
    survey = make_survey(team=None, starts_on=timezone.localdate())
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=10))
    _answer_and_close(found)
    return survey


def test_the_groups_navigation_is_the_way_down_to_the_chosen_team(login, cast, whole_organisation):
    """Everyone, then each team from the top down to the one chosen: not every team of the
    organisation (hundreds, in a large one)."""
    survey = whole_organisation
    erin = login(cast.erin)
    url = reverse("surveys:survey", args=[survey.pk])
    loaded = results.load(Viewer.of(cast.erin), survey)
    platform = f"t:{cast.platform.pk}"
    assert platform in loaded.keys
    assert loaded.way_to(platform)[0] == "all"
    assert loaded.way_to(platform)[-1] == platform
    page = erin.get(url, {"group": platform}).content.decode()
    nav = page.split('<ul class="preview-groups">', 1)[1].split("</ul>", 1)[0]
    assert nav.count("<li>") == len(loaded.way_to(platform))
    others = [k for k in loaded.keys if k not in loaded.way_to(platform) and "|" not in k]
    assert all(f"?group={k}&" not in nav.replace("%3A", ":") for k in others)


def test_the_api_answers_for_one_group_and_the_teams_right_below(login, cast, whole_organisation):
    survey = whole_organisation
    erin = login(cast.erin)
    url = f"/api/v1/surveys/{survey.pk}/results"
    widest = erin.get(url).json()["rounds"][0]["groups"]
    assert widest[0]["key"] == "all"
    engineering = f"t:{cast.engineering.pk}"
    chosen = erin.get(url, {"group": engineering}).json()["rounds"][0]["groups"]
    assert chosen[0]["key"] == engineering
    below = {group["key"] for group in chosen[1:]}
    assert below == {f"t:{cast.platform.pk}"}  # the teams right below, as the page shows
    for refused in (f"t:{cast.people_team.pk}", "nonsense", "x" * 500):
        assert erin.get(url, {"group": refused}).status_code == 404, refused


def test_loading_a_group_the_reader_may_not_read_loads_the_widest_instead(cast, whole_organisation):
    """`load` keeps to the groups the viewer may read, whatever key it is asked for: Bob, who
    leads Platform, asking for Sales gets Platform's figures, never Sales'."""
    survey = whole_organisation
    sales = f"t:{cast.sales.pk}"
    loaded = results.load(Viewer.of(cast.bob), survey, key=sales)
    assert sales not in loaded.keys
    assert all(sales not in by_key for by_key in loaded.by_round.values())
