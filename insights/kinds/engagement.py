"""Engagement, psychological safety and eNPS across survey rounds, only as Surveys releases
them: from the figures a closed round keeps for the groups its release rule let through
(`surveys.disclosure`, `surveys.rounds`), never from the responses. A group that was not
released (fewer than the round's threshold, or one that could be subtracted from another) has
no figure to read, so none is shown; of the released ones, those of fewer than the smallest
group of Insights are left out as well (showing less of a safe release stays safe).

Which groups a scope shows follows Surveys' rule of who reads what (`surveys.rules.part_of`):
a team's page (read by the leads of the team and of the teams above it, and by HR whose scope
covers it) the team's group and those of the teams right below it; the organisation's page
(HR for the whole organisation) the whole audience of each survey; a manager's page the groups
of the teams the manager leads, which Surveys shows them too.

The arithmetic is Surveys' own (`surveys.results`): engagement and safety are the mean of the
round's statements of that construct (reverse-worded ones are stored reversed), eNPS the share
of promoters minus the share of detractors."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from insights import grouping
from insights.charts import Column, Computed, Variant, chart
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope
from people.models import ids_in
from surveys import bank, groups
from surveys.models import Figure, QuestionKind, Round, RoundStatus

ENGAGEMENT, SAFETY, ENPS = bank.ENGAGEMENT, bank.SAFETY, bank.ENPS
MEASURES = ("", SAFETY, ENPS)  # the variants: "" is engagement
# Rounds closed within this many days, at most `ROUNDS` of them (the newest).
HISTORY_DAYS = 2 * 365
ROUNDS = 52
# The teams below a team's own group shown beside it.
SERIES = grouping.SERIES


@dataclass
class GroupRound:
    respondents: int = 0
    # construct -> [sum of the scored answers, answers]; eNPS: [promoters − detractors, n]
    sums: dict[str, list[int]] = field(default_factory=dict)

    def value(self, measure: str) -> float | int | None:
        found = self.sums.get(measure)
        if not found or not found[1]:
            return None
        if measure == ENPS:
            return round(100 * found[0] / found[1])
        return round(found[0] / found[1], 2)


@dataclass(frozen=True)
class RoundRow:
    pk: int
    survey: str
    survey_team: int | None
    closes_on: date
    k: int


@dataclass
class Surveys:
    rounds: list[RoundRow]  # oldest first
    figures: dict[tuple[int, str], GroupRound]  # (round, group key) -> its released figures


def _load(run: Run) -> Surveys:
    """The closed rounds of the last two years and their released figures of the whole
    audience and of teams (no tenure band): two queries."""
    rounds = [
        RoundRow(pk, name, team, closes, k)
        for pk, name, team, closes, k in Round.objects.filter(
            status=RoundStatus.CLOSED, closes_on__gte=run.today - timedelta(days=HISTORY_DAYS)
        )
        .order_by("-closes_on", "-pk")
        .values_list("pk", "survey__name", "survey__team_id", "closes_on", "k")[:ROUNDS]
    ]
    rounds.reverse()
    released = {
        pk: set(keys)
        for pk, keys in Round.objects.filter(pk__in=[r.pk for r in rounds]).values_list(
            "pk", "released"
        )
    }
    figures = (
        Figure.objects.filter(round__in=[r.pk for r in rounds])
        .filter(Q(group=groups.ALL) | Q(group__startswith="t:"))
        .exclude(group__contains="|")
        .filter(Q(question__isnull=True) | Q(question__construct__in=[ENGAGEMENT, SAFETY, ENPS]))
        .values_list(
            "round_id", "group", "question__construct", "question__kind", "n", "total", "net"
        )
    )
    found: dict[tuple[int, str], GroupRound] = defaultdict(GroupRound)
    for round_id, key, construct, kind, n, total, net in figures.iterator(chunk_size=5000):
        if key not in released.get(round_id, set()):
            continue  # only what the round released (a figure exists only for those anyway)
        result = found[(round_id, key)]
        if construct is None:
            result.respondents = n
            continue
        sums = result.sums.setdefault(construct, [0, 0])
        if kind == QuestionKind.ENPS:
            sums[0] += net or 0
        else:
            sums[0] += total
        sums[1] += n
    return Surveys(rounds, dict(found))


def _leads(run: Run) -> dict[int, list[int]]:
    """{person id: the teams they lead}."""
    found: dict[int, list[int]] = defaultdict(list)
    for team in grouping.organisation(run).teams.values():
        if team.lead_id is not None:
            found[team.lead_id].append(team.pk)
    return found


def _shape(
    teams: dict[int, grouping.TeamRow],
) -> tuple[list[grouping.TeamRow], dict[str, list[grouping.TeamRow]]]:
    """The top-level teams, and each team's teams one level below ({its path: them}), in the
    teams' order: once per run, not a pass over every team for each scope."""
    tops = [team for team in teams.values() if team.depth == 0]
    children: dict[str, list[grouping.TeamRow]] = {}
    for team in teams.values():
        above = team.path[: team.path.rstrip("/").rfind("/") + 1]  # "/1/4/9/" -> "/1/4/"
        children.setdefault(above, []).append(team)
    return tops, children


def _keys(scope: Scope) -> list[tuple[str, object]]:
    """The groups the scope shows (see the module's docstring), its own first: (key, what the
    table calls it). Where the scope's team is the organisation's only top-level team, Surveys
    shows its readers the whole audience ("everyone") too, and a round may have released the
    team under that name alone (a group of exactly the same people as an earlier one is that
    one, `surveys.rounds`): it comes first."""
    teams = grouping.organisation(scope.run).teams
    tops, children = scope.run.once("insights.engagement.shape", lambda: _shape(teams))
    everyone = (groups.ALL, {"key": grouping.EVERYONE})

    def named(found: list[grouping.TeamRow]) -> list[tuple[str, object]]:
        return [(groups.team_key(team.pk), team.name) for team in found]

    def whole(found: list[grouping.TeamRow]) -> list[tuple[str, object]]:
        only = len(tops) == 1 and any(team.pk == tops[0].pk for team in found)
        return [everyone] if only else []

    if scope.audience == ORG:
        return [everyone, *named([team for team in teams.values() if team.depth <= 1])]
    if scope.audience == TEAM and scope.team is not None:
        own = teams.get(scope.team.pk)
        if own is None:
            return []
        below = children.get(own.path, [])
        return [*whole([own]), *named([own]), *named(below)]
    led = scope.run.once("insights.engagement.leads", lambda: _leads(scope.run))
    mine = [teams[pk] for pk in led.get(scope.manager_id or 0, []) if pk in teams]
    # The tops of what they lead (a team within another they lead adds nothing new).
    mine = [t for t in mine if not any(o.pk != t.pk and o.pk in ids_in(t.path) for o in mine)]
    return [*whole(mine), *named(sorted(mine, key=lambda t: t.path))]


LABELS = {
    "": _("Engagement (1–5)"),
    SAFETY: _("Psychological safety (1–7)"),
    ENPS: _("eNPS (−100 to 100)"),
}
AXES = {"": (1, 5), SAFETY: (1, 7), ENPS: (-100, 100)}


@chart(
    "engagement",
    title=_("Engagement, psychological safety and eNPS across survey rounds"),
    definition=_(
        "From the pulse surveys' closed rounds of the last two years, as Surveys publishes "
        "them: only groups a round released (at least its anonymity threshold of respondents, "
        "and none that could be subtracted from another to reveal fewer), and of those only "
        "groups of at least the smallest group here. Engagement: the mean of the engagement "
        "statements (1–5); psychological safety: the mean of the safety statements, "
        "reverse-worded ones reversed (1–7); eNPS: promoters (9–10) minus detractors (0–6), "
        "in points. n: the respondents of the first group in the latest round shown."
    ),
    columns=(
        Column("survey", _("Survey")),
        Column("closed", _("Round closed")),
        grouping.GROUP_COLUMN,
        Column("respondents", _("Respondents")),
        Column("value", _("Figure")),
    ),
    labels={**grouping.GROUP_LABELS, **{key or ENGAGEMENT: label for key, label in LABELS.items()}},
    audiences=(MANAGER, TEAM, ORG),
    order=60,
    template="insights/charts/variant.html",
    variants=Variant(
        "measure",
        _("Measure"),
        (("", _("Engagement")), (SAFETY, _("Psychological safety")), (ENPS, _("eNPS"))),
    ),
)
def engagement(scope: Scope) -> dict[str, Computed | None]:
    run = scope.run
    found: Surveys = run.once("insights.engagement", lambda: _load(run))
    keys = _keys(scope)
    results: dict[str, Computed | None] = {}
    for measure in MEASURES:
        construct = measure or ENGAGEMENT
        rows = []
        points: list[RoundRow] = []
        series: dict[str, list[float | int | None]] = {key: [] for key, _name in keys[:SERIES]}
        latest_n = 0
        for found_round in found.rounds:
            shown = []
            for key, name in keys:
                result = found.figures.get((found_round.pk, key))
                if result is None or result.respondents < run.min_group:
                    continue
                value = result.value(construct)
                if value is None:
                    continue
                shown.append((key, name, result.respondents, value))
            if not shown:
                continue
            points.append(found_round)
            for _key, name, respondents, value in shown:
                rows.append(
                    {
                        "survey": found_round.survey,
                        "closed": found_round.closes_on.isoformat(),
                        "group": name,
                        "respondents": respondents,
                        "value": value,
                    }
                )
            by_key = {key: (respondents, value) for key, _n, respondents, value in shown}
            latest_n = shown[0][2]  # the first group shown (the scope's own, where released)
            for key, values in series.items():
                values.append(by_key[key][1] if key in by_key else None)
        if not rows:
            results[measure] = None
            continue
        low, high = AXES[measure]
        names = dict(keys)
        results[measure] = Computed(
            n=latest_n,
            period=(points[0].closes_on, points[-1].closes_on),
            rows=rows,
            chart={
                "type": "line",
                "x": [p.closes_on.isoformat() for p in points],
                "series": [
                    {**_series_name(names[key]), "values": values}
                    for key, values in series.items()
                    if any(value is not None for value in values)
                ],
                "y": {"min": low, "max": high, "title_key": construct},
            },
        )
    return results


def _series_name(name: object) -> dict[str, object]:
    return dict(name) if isinstance(name, dict) else {"label": name}
