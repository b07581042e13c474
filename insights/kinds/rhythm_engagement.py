"""Rhythm and engagement: at team level, is keeping the conversation rhythm associated with
engagement? One point per team: the share of its rhythm conversations held on time in the 12
months up to the survey round's close (`conversations.adherence`, the people of the team and
the teams within it), against the team's engagement in the newest closed round that asked about
engagement (`surveys`: the mean of its engagement statements, 1–5); Pearson's correlation with
its 95 % confidence interval (Fisher's z), and n, the number of teams.

Only figures a round released are used (`surveys.disclosure`: at least k respondents, no group
revealed by subtracting another), of teams with at least the smallest group (`Run.min_group`)
of respondents; teams never overlap: where a team and a team within it were both released, the
team within it is the point (the team above it would count the same people twice). An
association, not cause: engaged teams may also be the ones whose managers keep the rhythm,
or both may follow from something else.

Each team is one point, whatever its size: the question is about teams (does a team that keeps
the rhythm report more engagement?), and Fisher's interval assumes pairs of equal weight; a
correlation weighted by team size would answer another question (about people) with an
interval that does not hold for it. A team's own figures are weighted by its people: its
rhythm pools every conversation of its people, its engagement every answer of its
respondents. The rhythm is read here, not from the rhythm chart's figures, because it is of the
12 months up to the round's close (the rhythm chart's months end today) and of conversations,
not of people by month; it is counted by the same definition (`conversations.adherence`).
Each team's rhythm is counted once, by the first run after the round closed, with the teams of
then, and kept (`_rhythm`): counted again every day from today's teams, a person moving from
one team to another would change both teams' counts by their own conversations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from insights.charts import Column, Computed, chart
from insights.grouping import team_key, team_of_key
from insights.monthly import kept
from insights.scopes import ORG, TEAM, Run, Scope

Z95 = 1.959963984540054
MIN_TEAMS = 5  # fewer points say nothing about an association
MIN_CONVERSATIONS = 5  # a team's rhythm from fewer conversations is too noisy to place


@dataclass(frozen=True)
class Unit:
    team_id: int
    name: str
    path: str
    rhythm: float  # share on time, 0–1
    conversations: int
    engagement: float  # mean, 1–5
    respondents: int


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    # Each root on its own: their product can underflow to 0 where neither is (tiny spreads).
    spread = math.sqrt(sxx) * math.sqrt(syy)
    if spread == 0:
        return None
    r = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread
    return max(-1.0, min(1.0, r))  # rounding can leave it a hair outside


def fisher_interval(r: float, n: int) -> tuple[float, float]:
    """The 95 % confidence interval of a correlation of n pairs (Fisher's z, n > 3)."""
    if abs(r) >= 1:
        return r, r
    z, spread = math.atanh(r), Z95 / math.sqrt(n - 3)
    return math.tanh(z - spread), math.tanh(z + spread)


@dataclass
class _Round:
    pk: int
    survey: str
    closes_on: date
    since: date  # the first due date of the rhythm counted
    engagement: dict[int, tuple[float, int]]  # team id -> (mean, respondents)
    rhythm: dict[int, tuple[int, int]]  # team id -> (on time, counted), teams within included
    teams: dict[int, tuple[str, str]]  # team id -> (name, path), in the pilot scope


def _load(run: Run) -> _Round | None:
    from conversations.adherence import window_start
    from organisation.scope import team_in_scope_q
    from people.models import Team
    from surveys import bank, groups
    from surveys.models import Figure, Round, RoundQuestion, RoundStatus

    asked = RoundQuestion.objects.filter(question__construct=bank.ENGAGEMENT)
    found = (
        Round.objects.filter(status=RoundStatus.CLOSED, pk__in=asked.values("round"))
        .select_related("survey")
        .order_by("-closes_on", "-pk")
        .first()
    )
    if found is None:
        return None
    teams = {
        pk: (name, path)
        for pk, name, path in Team.objects.filter(team_in_scope_q()).values_list(
            "pk", "name", "path"
        )
    }
    released = {key for key in found.released if groups.team_of(key) is not None and "|" not in key}
    # The engagement statements' answers pooled, as Surveys and the engagement chart compute a
    # construct: a statement fewer answered weighs less (a mean of the statements' means
    # would give each the same weight whatever its answers).
    sums: dict[str, list[int]] = {}
    respondents: dict[str, int] = {}
    figures = Figure.objects.filter(round=found, group__in=released).values_list(
        "group", "question__construct", "n", "total"
    )
    for key, construct, n, total in figures:
        if construct is None:
            respondents[key] = n
        elif construct == bank.ENGAGEMENT and n:
            pooled = sums.setdefault(key, [0, 0])
            pooled[0] += total
            pooled[1] += n
    engagement = {}
    for key, (total, answers) in sums.items():
        team = groups.team_of(key)
        if team is not None and answers:
            engagement[team] = (total / answers, respondents.get(key, 0))
    rhythm = _rhythm(run, found.pk, found.closes_on, teams)
    since = window_start(found.closes_on)
    return _Round(found.pk, found.survey.name, found.closes_on, since, engagement, rhythm, teams)


def _rhythm(
    run: Run, round_pk: int, closes_on: date, teams: dict[int, tuple[str, str]]
) -> dict[int, tuple[int, int]]:
    """{team id: (on time, counted)} of the 12 months up to the round's close, each team's
    people's conversations with those of the teams within it: counted by the first run after
    the round closed, with the teams of then, and kept (`insights.monthly.kept`, only the
    newest round's). Counted again at every run from today's teams, a person moving from one
    team to another would take their conversations out of one team's counts and into the
    other's, and comparing two days would tell how many of theirs were held on time."""
    from conversations.adherence import adherence_by
    from conversations.models import Conversation
    from organisation.scope import everyone_in_scope_q
    from surveys import groups

    def count() -> dict[str, dict[str, Any]]:
        kept_now = adherence_by(
            Conversation.objects.filter(everyone_in_scope_q("employee__")),
            "employee__team_id",
            closes_on,
        )
        found: dict[int, tuple[int, int]] = {}
        for team, value in kept_now.items():
            if team is None or team not in teams:
                continue
            for above in groups.team_ids(teams[team][1]):  # the team and every team above it
                on_time, counted = found.get(above, (0, 0))
                found[above] = (on_time + value.on_time, counted + value.counted)
        return {
            team_key(team): {"on_time": on_time, "counted": counted}
            for team, (on_time, counted) in found.items()
        }

    # The round's key sorts as its number does ("r:0000000012" < "r:0000000100"): `store`
    # forgets the rounds before the newest.
    stored = kept(run, "rhythm-engagement", "", f"r:{round_pk:010d}", True, count, latest=True)
    return {
        team: (cells["on_time"], cells["counted"])
        for key, cells in stored.items()
        if (team := team_of_key(key)) is not None
    }


def units(found: _Round, scope: Scope, min_group: int) -> list[Unit]:
    """The teams of the scope that are points: released, of at least `min_group` respondents,
    with a rhythm of at least `MIN_CONVERSATIONS`; a team within another chosen first."""
    top = scope.team.path if scope.audience == TEAM and scope.team is not None else "/"
    candidates = []
    for team, (mean, answered) in found.engagement.items():
        if team not in found.teams or answered < min_group:
            continue
        name, path = found.teams[team]
        if not path.startswith(top):
            continue
        on_time, counted = found.rhythm.get(team, (0, 0))
        if counted < MIN_CONVERSATIONS:
            continue
        candidates.append(Unit(team, name, path, on_time / counted, counted, mean, answered))
    chosen: list[Unit] = []
    for unit in sorted(candidates, key=lambda u: (-len(u.path), u.path)):
        if not any(other.path.startswith(unit.path) for other in chosen):
            chosen.append(unit)
    return sorted(chosen, key=lambda u: u.path)


@chart(
    "rhythm-engagement",
    title=_("Rhythm and engagement: do teams that keep the rhythm report more engagement?"),
    definition=_(
        "One point per team: the share of its rhythm conversations held on time in the 12 "
        "months up to the survey round's close, and its engagement in that round (the mean of "
        "the engagement statements, 1–5), for teams whose results the round released to at "
        "least the smallest group. Pearson's correlation with its confidence interval (95 %). "
        "n: teams. An association, not cause. Each team's rhythm is counted once, just after "
        "the round closed, with the teams of then, and kept."
    ),
    columns=(
        Column("team", _("Team")),
        Column("rhythm", _("Held on time (%)")),
        Column("conversations", _("Conversations counted")),
        Column("engagement", _("Engagement (1–5)")),
        Column("respondents", _("Respondents")),
    ),
    labels={
        "teams": _("Teams"),
        "rhythm": _("Rhythm conversations held on time (%)"),
        "engagement": _("Engagement (1–5)"),
    },
    audiences=(TEAM, ORG),
    order=85,
    template="insights/charts/rhythm_engagement.html",
    n_label=_("Teams (n)"),
)
def rhythm_engagement(scope: Scope) -> Computed | None:
    run = scope.run
    found: _Round | None = run.once("rhythm-engagement.round", lambda: _load(run))
    if found is None:
        return None
    points = units(found, scope, run.min_group)
    if len(points) < MIN_TEAMS:
        return Computed(
            n=len(points),
            extra={"too_few": True, "min_teams": MIN_TEAMS, "survey": found.survey},
        )
    r = pearson([u.rhythm for u in points], [u.engagement for u in points])
    interval = fisher_interval(r, len(points)) if r is not None else None
    rows: list[dict[str, Any]] = [
        {
            "team": u.name,
            "rhythm": round(100 * u.rhythm, 1),
            "conversations": u.conversations,
            "engagement": round(u.engagement, 2),
            "respondents": u.respondents,
        }
        for u in points
    ]
    return Computed(
        n=len(points),
        period=(found.since, found.closes_on),
        rows=rows,
        chart={
            "type": "scatter",
            "series": [
                {
                    "key": "teams",
                    "points": [
                        {"x": row["rhythm"], "y": row["engagement"], "name": row["team"]}
                        for row in rows
                    ],
                }
            ],
            "x": {"title_key": "rhythm", "min": 0, "max": 100},
            "y": {"title_key": "engagement", "min": 1, "max": 5},
        },
        extra={
            "r": None if r is None else round(r, 3),
            "low": None if interval is None else round(interval[0], 3),
            "high": None if interval is None else round(interval[1], 3),
            "survey": found.survey,
            "closes_on": found.closes_on.isoformat(),
            "min_teams": MIN_TEAMS,
        },
    )
