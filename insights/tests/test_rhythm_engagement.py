"""Rhythm and engagement: the correlation and its interval against an independent computation
(numpy), which teams are points (released, large enough, never nested), and the chart from a
real round: released team figures only, the rhythm of the 12 months before it closed."""

import math
from datetime import timedelta

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import make_person
from conversations.models import Status
from conversations.tests.factories import held, make_conversation
from insights import compute, scopes
from insights.kinds import rhythm_engagement as chart
from insights.models import Snapshot
from insights.scopes import Run, Scope
from insights.tests.reading import block
from people.models import Team
from surveys import rounds
from surveys.models import Invitation
from surveys.tests.factories import make_survey

values = st.floats(min_value=0, max_value=100, allow_nan=False)


@hypothesis_settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(values, values), min_size=4, max_size=40))
@example([(0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (1e-160, 1e-160)])  # spreads whose product is 0
def test_the_correlation_agrees_with_numpy(pairs):
    xs, ys = [x for x, _y in pairs], [y for _x, y in pairs]
    found = chart.pearson(xs, ys)
    if np.std(xs) < 1e-9 or np.std(ys) < 1e-9:
        assert found is None or math.isfinite(found)
        return
    expected = np.corrcoef(xs, ys)[0, 1]
    if not math.isfinite(expected):
        return
    assert found == pytest.approx(expected, abs=1e-6)


def test_the_interval_is_fishers():
    low, high = chart.fisher_interval(0.5, 28)  # z = 0.5493, standard error 1/5
    assert (round(low, 3), round(high, 3)) == (0.156, 0.736)


def unit_round(teams, engagement, rhythm):
    return chart._Round(
        1, "Pulse", timezone.localdate(), timezone.localdate(), engagement, rhythm, teams
    )


def test_points_are_released_large_enough_and_never_nested(cast):
    run = Run(now=timezone.now(), min_group=5)
    teams = {
        1: ("Engineering", "/1/"),
        2: ("Platform", "/1/2/"),
        3: ("Data", "/1/3/"),
        4: ("Tiny", "/1/4/"),
        5: ("Quiet", "/1/5/"),
        6: ("Sales", "/6/"),
    }
    engagement = {1: (3.5, 20), 2: (4.0, 6), 3: (3.0, 5), 4: (4.5, 4), 5: (3.0, 5), 6: (3.2, 9)}
    rhythm = {1: (70, 100), 2: (40, 50), 3: (20, 30), 4: (9, 10), 5: (2, 4), 6: (30, 40)}
    found = unit_round(teams, engagement, rhythm)
    whole = chart.units(found, Scope(scopes.ORG, scopes.ORG, run), 5)
    # Platform and Data within Engineering are points; Engineering itself is not (it holds
    # them); Tiny has 4 respondents; Quiet 4 conversations.
    assert [u.name for u in whole] == ["Platform", "Data", "Sales"]
    engineering = Team(pk=1, name="Engineering", path="/1/")
    part = chart.units(found, Scope("team:1", scopes.TEAM, run, team=engineering), 5)
    assert [u.name for u in part] == ["Platform", "Data"]


@pytest.fixture
def surveyed(cast):
    """Six teams of six under Engineering, each with its manager: the more of their check-ins
    a manager held on time, the more engaged their team answers."""
    today = timezone.localdate()
    for number in range(6):
        team = Team.objects.create(name=f"Team {number}", parent=cast.engineering)
        manager = make_person(f"m{number}@example.com", f"Manager {number}", team=team)
        people = [
            make_person(f"t{number}-{i}@example.com", f"T{number} {i}", team=team, manager=manager)
            for i in range(6)
        ]
        for index, person in enumerate(people):
            for months in range(1, 4):
                due = today - timedelta(days=30 * months + 10)
                talk = make_conversation(person, manager, due=due)
                if index < number + 1:  # team n held n+1 of its six people's check-ins
                    held(talk)
                else:
                    talk.status = Status.SKIPPED
                    talk.save()
    survey = make_survey(keys=("engagement-energy", "engagement-pride"), team=cast.engineering)
    found = rounds.open_round(survey, today - timedelta(days=3))
    by_key = {q.key: q.pk for q in found.questions.all()}
    for invitation in Invitation.objects.filter(round=found).select_related("person__team"):
        name = invitation.person.team.name if invitation.person.team else ""
        level = 1 + int(name[-1]) * 0.7 if name.startswith("Team") else 3
        value = max(1, min(5, round(level)))
        rounds.submit(invitation, dict.fromkeys(by_key.values(), value))
    rounds.close_round(found)
    compute.compute(timezone.now())
    return cast


def test_the_chart_comes_from_released_team_figures(surveyed):
    snapshot = Snapshot.objects.get(
        kind="rhythm-engagement", scope=scopes.team_scope(surveyed.engineering.pk)
    )
    rows = snapshot.data["rows"]
    assert snapshot.n == len(rows) >= 5
    assert all(row["respondents"] >= 5 for row in rows)
    extra = snapshot.data["extra"]
    xs, ys = [row["rhythm"] for row in rows], [row["engagement"] for row in rows]
    assert extra["r"] == pytest.approx(np.corrcoef(xs, ys)[0, 1], abs=1e-3)
    assert extra["r"] > 0.5 and extra["low"] < extra["r"] < extra["high"]
    points = snapshot.data["chart"]["series"][0]["points"]
    assert [(p["x"], p["y"]) for p in points] == list(zip(xs, ys, strict=True))


def test_the_page_says_association_not_cause(client, login, surveyed):
    login(surveyed.carol)
    body = client.get(reverse("insights:organisation")).content.decode()
    assert "Correlation r =" in body
    assert "An association, not cause:" in body


def test_too_few_teams_say_so(client, login, surveyed):
    platform = scopes.team_scope(surveyed.platform.pk)
    snapshot = Snapshot.objects.get(kind="rhythm-engagement", scope=platform)
    assert snapshot.data["extra"]["too_few"] and snapshot.data["rows"] == []
    login(surveyed.bob)  # leads Platform
    body = client.get(reverse("insights:organisation")).content.decode()
    assert "It takes at least 5 teams" in body


def test_a_teams_engagement_pools_its_answers_as_surveys_do(surveyed):
    """A team's two statements: one answered 5 by six people, the other 1 by two (the rest
    skipped it): 32 / 8 = 4.0, as Surveys computes a construct, not (5 + 1) / 2."""
    from surveys.models import Figure

    snapshot_of = {"kind": "rhythm-engagement", "scope": scopes.team_scope(surveyed.engineering.pk)}
    name = Snapshot.objects.get(**snapshot_of).data["rows"][0]["team"]  # a team the round released
    team = Team.objects.get(name=name)
    figures = Figure.objects.filter(group=f"t:{team.pk}", question__isnull=False).order_by("pk")
    first, second = list(figures)
    first.n, first.total = 6, 30
    second.n, second.total = 2, 2
    Figure.objects.bulk_update([first, second], ["n", "total"])
    compute.compute(timezone.now(), kinds=["rhythm-engagement"])
    row = next(r for r in Snapshot.objects.get(**snapshot_of).data["rows"] if r["team"] == name)
    assert row["engagement"] == 4.0


def test_a_teams_rhythm_does_not_follow_who_moved_or_left(client, login, surveyed):
    """T0 5 held none of their three check-ins; counted again from today's teams, their moving
    to Team 5 (or leaving) would take three conversations, none on time, out of Team 0's counts
    (and into Team 5's): comparing two days would tell how T0 5's check-ins went."""
    from people.models import Person

    def seen():
        login(surveyed.carol)
        table = block(client, "organisation", "rhythm-engagement").table()
        answer = client.get("/api/v1/insights/charts", {"audience": "organisation"}).json()
        found = next(c for c in answer["charts"] if c["kind"] == "rhythm-engagement")
        found.pop("computed_at")
        return table, found

    before = seen()
    assert {row[0]: row[2] for row in before[0]}["Team 0"] == 18
    moved = Person.objects.get(email="t0-5@example.com")
    moved.team = Team.objects.get(name="Team 5")
    moved.save()
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["rhythm-engagement"])
    assert seen() == before
    moved.leave_date = timezone.localdate() - timedelta(days=1)
    moved.save()
    compute.compute(timezone.now() + timedelta(minutes=10), kinds=["rhythm-engagement"])
    assert seen() == before
