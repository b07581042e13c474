"""Counting the organisation's skills heatmap (`SkillRun`): who is grouped with whom, and per
group and competency the share of people at or above what their role profile expects.

Groups never stand for fewer than `k` people (`insights.rules.smallest_group`), and no figure
may be subtracted from another to learn about fewer. So the groups are DISJOINT: from the
bottom of the team tree up, a team's own members and whatever its smaller teams passed up
form its group once they are at least `k` people; a smaller pool passes up into the team
above ("Engineering and 2 smaller teams"); what is still smaller than `k` at the top of the
tree is shown nowhere. There is no total of any kind (of a team and the teams within it, of a
column): every shown figure is one group's, no two shown figures of a competency share a
person. A cell counts the people of its group who have both an expectation of the competency
(their role profile) and an assessed level of it (agreed, else the manager's shared rating:
`growth.queries.counted_levels`, over everyone, not what one viewer may see); a cell of fewer
than `k` is not kept at all.

Counting reads the whole organisation (a few seconds at 10,000 people), so it runs in the
background (`talent.jobs`) and the pages read the newest run in a few queries, saying when it
was counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from growth import queries as growth_queries
from growth.models import Assessment
from insights.rules import smallest_group
from organisation import scope
from people.models import Person, Team
from talent.models import SkillCell, SkillGroup, SkillRun

# A run younger than this is not counted again (the job runs every few minutes) unless levels
# were agreed or shared since: figures follow assessments within minutes, and people's moves
# between teams within the hour.
FRESH_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class Grouped:
    """People counted together: `team`'s (None: without a team) and the teams merged in."""

    team: int | None
    teams: frozenset[int]
    members: frozenset[int]


def groups_of(
    parents: Mapping[int, int | None], members: Mapping[int | None, Iterable[int]], k: int
) -> list[Grouped]:
    """The disjoint groups of at least `k` people of a team tree (`parents`: each team's
    parent, None at the top; `members`: each team's own people, None for people without a
    team). Pools smaller than `k` pass up to the team above; at the top they are dropped."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for team, parent in parents.items():
        children[parent if parent in parents else None].append(team)
    order: list[int] = []  # every team after the teams within it
    stack = [(team, False) for team in sorted(children[None])]
    while stack:
        team, done = stack.pop()
        if done:
            order.append(team)
            continue
        stack.append((team, True))
        stack.extend((child, False) for child in sorted(children[team]))
    passed: dict[int, tuple[set[int], set[int]]] = {}  # what a team passes up: people, teams
    found: list[Grouped] = []
    for team in order:
        people, teams = set(members.get(team, ())), {team}
        for child in children[team]:
            if child in passed:
                child_people, child_teams = passed.pop(child)
                people |= child_people
                teams |= child_teams
        if len(people) >= k:
            found.append(Grouped(team, frozenset(teams), frozenset(people)))
        else:
            passed[team] = (people, teams)
    loose = set(members.get(None, ()))
    if len(loose) >= k:
        found.append(Grouped(None, frozenset(), frozenset(loose)))
    return found


def cells_of(
    group: Grouped,
    expected: Mapping[int, Mapping[str, int]],
    levels: Mapping[int, Mapping[str, int]],
    k: int,
) -> dict[str, tuple[int, int]]:
    """The group's cells of at least `k` people, by competency key: (n, at or above), n the
    people with both an expectation (`expected`) and an assessed level (`levels`)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for person in group.members:
        mine = levels.get(person, {})
        for key, wanted in expected.get(person, {}).items():
            level = mine.get(key)
            if level is None:
                continue
            counts[key][0] += 1
            counts[key][1] += level >= wanted
    return {key: (n, at) for key, (n, at) in counts.items() if n >= k}


@dataclass
class Counted:
    """What the heatmap counts of the people working here: each one's team, what their role
    profile expects of them (competency key -> level) and the levels that count."""

    teams: dict[int, int | None]
    expected: dict[int, dict[str, int]]
    levels: dict[int, dict[str, int]]


def counted_now(framework: growth_queries.Framework) -> Counted:
    """The people working here (in the pilot scope, active) as the heatmap counts them: three
    queries besides the framework's. Insights counts a manager's reports with it too."""
    people = Person.objects.current().filter(scope.in_scope_q(), is_active=True)
    teams: dict[int, int | None] = {}
    expected: dict[int, dict[str, int]] = {}
    steps: dict[tuple[int | None, int | None], dict[str, int]] = {}
    for pk, team, role, level in people.values_list("pk", "team_id", "role_id", "level"):
        teams[pk] = team
        if (role, level) not in steps:
            step = framework.step_of(role, level)
            steps[(role, level)] = step.expected if step is not None else {}
        expected[pk] = steps[(role, level)]
    counted = growth_queries.counted_levels(people)
    levels = {pk: {key: a.level for key, a in found.items()} for pk, found in counted.items()}
    return Counted(teams, expected, levels)


def _assessed_since(moment: datetime) -> bool:
    """Whether levels were agreed or a manager's ratings shared since `moment` (one query)."""
    return Assessment.objects.filter(
        Q(agreed_at__gt=moment) | Q(manager_shared_at__gt=moment)
    ).exists()


def latest() -> SkillRun | None:
    return SkillRun.objects.select_related("version").order_by("-pk").first()


def count(now: datetime, *, force: bool = False) -> SkillRun | None:
    """Count the heatmap of the current framework version, unless the newest run already did
    so for it, with the same smallest group, less than `FRESH_FOR` ago and no assessment was
    agreed or shared since (`force`: count anyway). None without a framework. Safe beside
    another run: each writes a whole run of its own in one transaction and removes those
    before it; the pages read the newest."""
    version = growth_queries.current_version()
    if version is None:
        return None
    k = smallest_group()
    newest = latest()
    if (
        not force
        and newest is not None
        and newest.version_id == version.pk
        and newest.min_group == k
        and now - newest.computed_at < FRESH_FOR
        and not _assessed_since(newest.computed_at)
    ):
        return newest
    framework = growth_queries.load(version)
    assert framework is not None
    found = counted_now(framework)
    expected, levels = found.expected, found.levels
    members: dict[int | None, list[int]] = defaultdict(list)
    for pk, team in found.teams.items():
        members[team].append(pk)
    parents = dict(Team.objects.values_list("pk", "parent_id"))
    groups = groups_of(parents, members, k)
    with transaction.atomic():
        run = SkillRun.objects.create(computed_at=now, version=version, min_group=k)
        saved = SkillGroup.objects.bulk_create(
            SkillGroup(
                run=run,
                team_id=group.team,
                smaller_teams=max(len(group.teams) - 1, 0),
                people=len(group.members),
            )
            for group in groups
        )
        SkillCell.objects.bulk_create(
            (
                SkillCell(group=row, competency_key=key, n=n, at_or_above=at)
                for row, group in zip(saved, groups, strict=True)
                for key, (n, at) in cells_of(group, expected, levels, k).items()
            ),
            batch_size=1000,
        )
        SkillRun.objects.filter(pk__lt=run.pk).delete()
    return run
