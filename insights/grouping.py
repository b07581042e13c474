"""The groups Insights' per-group figures are shown for, and which of them may be shown at all.

A chart that counts something about people by group (conversations held in their window,
feedback given and received, goals, development plans, 360 participation) counts the people
working here today, in today's teams (a month or a 360 cycle that has ended keeps the figures
counted just after it ended, and the current month is not shown: `insights.monthly`; goals are
of the end of the last month, kept the same way; a 360 cycle still open is shown for the whole
organisation alone): a
group is the whole organisation ("all"), a team with the teams within it ("t:<id>") or a
manager's direct reports ("m:<id>"). Every
scope's page shows a few of them: its own (the organisation, the team, the reports) and, for
the organisation and a team, the teams one and two levels below it.

Which groups may be shown is decided once per run for the whole organisation, with the rule
surveys keep their figures to (`surveys.disclosure`): the organisation and the teams, from the
top down, are released together (`release`): a group of fewer than `run.min_group` people is
never shown, and a group is shown only while every part that could be worked out by
subtracting shown groups from each other (a team minus its sub-teams, the organisation minus
its teams) is none or at least `run.min_group` people too. One release for every scope, not one
per scope: the lead of a team reads its page and those of the teams within it, and HR all of
their scope, so their groups must be safe together; whoever reads a scope sees a subset of the
release, and a subset of a safe release is safe.

A manager's reports are read by that manager alone, who reads team pages too (those they lead,
HR's). So each manager's group is checked on its own against the teams' release: it is shown
when every part of the teams' atoms it cuts off, inside it and outside it, is none, at least
`run.min_group` people, or (outside) the manager alone: what a manager can work out about
themselves is theirs already. Without that last case, a manager who is in the team they lead
would never see their reports' figures beside the team's.

Where a figure stands for fewer people than a group's members (the reviewed of a 360 cycle),
`released_among` decides the same for the candidates restricted to those people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from insights.charts import Column
from insights.scopes import MANAGER, ORG, TEAM, PersonRow, Run, Scope
from people.models import Team, ids_in
from surveys.disclosure import Candidate, release

ALL = "all"
T = TypeVar("T")
# How many levels of teams below a scope's own group its page shows.
LEVELS = 2
# At most this many groups per scope (the largest-first order of the tree: top levels first).
MAX_GROUPS = 40


def team_key(team_id: int) -> str:
    return f"t:{team_id}"


def team_of_key(key: str) -> int | None:
    """The team a group's key names (`team_key`'s inverse), None for any other group."""
    return int(key[2:]) if key.startswith("t:") else None


def manager_key(person_id: int) -> str:
    return f"m:{person_id}"


@dataclass(frozen=True)
class TeamRow:
    pk: int
    name: str
    path: str
    lead_id: int | None

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


@dataclass(frozen=True)
class Group:
    """A group shown on a scope's page: its key, its words (a team's name; "" for the scope's
    own group when it is the organisation or a manager's reports: the page says "all") and
    its members (person ids)."""

    key: str
    name: str
    members: frozenset[int]
    own: bool = False  # the scope's own group (the organisation, the team, the reports)

    @property
    def team_id(self) -> int | None:
        return team_of_key(self.key)


@dataclass
class Organisation:
    """What a run reads once: the teams, the candidate groups of the people working here today
    (in the order the release considers them) and what was released."""

    teams: dict[int, TeamRow]
    candidates: Candidates
    released: dict[str, frozenset[int]]

    def members(self, key: str) -> frozenset[int] | None:
        return self.released.get(key)

    @cached_property
    def _below(self) -> dict[str, list[TeamRow]]:
        """{a team's path, or "/" for the organisation: the teams one to `LEVELS` levels below
        it (for the organisation: the top `LEVELS` levels)}, each list in path order."""
        found: dict[str, list[TeamRow]] = defaultdict(list)
        paths = {team.pk: team.path for team in self.teams.values()}
        for team in self.teams.values():  # in path order
            if team.depth < LEVELS:
                found["/"].append(team)
            above = ids_in(team.path)[:-1]
            for pk in above[-LEVELS:]:
                if pk in paths:
                    found[paths[pk]].append(team)
        return found

    def below(self, path: str) -> list[TeamRow]:
        """The teams `LEVELS` levels below the team of `path` ("/": the organisation's top
        levels), in path order: what a scope's page may show beside its own group."""
        return self._below.get(path, [])


def working_on(row: PersonRow, day: date) -> bool:
    """Works here on `day` (the leave date is the last working day; no start date: from
    always)."""
    return (row.start is None or row.start <= day) and (row.leave is None or row.leave >= day)


def _teams() -> dict[int, TeamRow]:
    return {
        pk: TeamRow(pk, name, path, lead)
        for pk, name, path, lead in Team.objects.order_by("path").values_list(
            "pk", "name", "path", "lead_id"
        )
    }


@dataclass(frozen=True)
class Candidates:
    """The candidate groups of the people working here today: the organisation and the teams
    (in the order the release considers them: the top down), and the managers' reports."""

    teams: list[Candidate]
    managers: list[Candidate]

    def among(self, people: frozenset[int]) -> Candidates:
        """The same groups restricted to `people`, empty ones left out."""

        def restricted(found: list[Candidate]) -> list[Candidate]:
            kept = (Candidate(c.key, c.members & people) for c in found)
            return [c for c in kept if c.members]

        return Candidates(restricted(self.teams), restricted(self.managers))

    def whole(self, people: frozenset[int]) -> Candidates:
        """The same groups with `people` as the organisation's (a 360 cycle's reviewed, whoever
        has left since), before the teams."""
        teams = [c for c in self.teams if c.key != ALL]
        return Candidates([Candidate(ALL, people)] * bool(people) + teams, self.managers)


def candidates_of(people: Iterable[PersonRow], teams: dict[int, TeamRow]) -> Candidates:
    """The candidate groups of `people`: everyone, every team (with the teams within it) from
    the top down; every manager's reports. Empty groups left out."""
    everyone: set[int] = set()
    by_team: dict[int, set[int]] = defaultdict(set)
    by_manager: dict[int, set[int]] = defaultdict(set)
    for row in people:
        everyone.add(row.pk)
        for team in ids_in(row.team_path) if row.team_path else ():
            by_team[team].add(row.pk)
        if row.manager_id is not None:
            by_manager[row.manager_id].add(row.pk)
    found = [Candidate(ALL, frozenset(everyone))] if everyone else []
    ordered = sorted(
        (team for team in by_team if team in teams),
        key=lambda team: (teams[team].depth, teams[team].path),
    )
    found += [Candidate(team_key(team), frozenset(by_team[team])) for team in ordered]
    managers = [
        Candidate(manager_key(manager), frozenset(members))
        for manager, members in sorted(by_manager.items())
    ]
    return Candidates(found, managers)


def manager_fits(
    members: frozenset[int], manager_id: int, atom_of: dict[int, int], sizes: dict[int, int], k: int
) -> bool:
    """May the manager's reports (`members`) be shown to the manager beside the teams' release
    (its atoms: `atom_of` each person's, `sizes` each atom's)? Every part of an atom they cut
    off is none or at least `k`, or (outside them) the manager alone."""
    inside: dict[int | None, int] = defaultdict(int)
    for person in members:
        inside[atom_of.get(person)] += 1
    if len(members) < k:
        return False
    for atom, count in inside.items():
        if count < k:
            return False
        if atom is None:
            continue
        rest = sizes[atom] - count
        alone = rest == 1 and atom_of.get(manager_id) == atom
        if 0 < rest < k and not alone:
            return False
    return True


def release_all(candidates: Candidates, k: int) -> dict[str, frozenset[int]]:
    """The teams' release, and the managers' groups that fit beside it: {key: members}."""
    kept = {str(c.key): c.members for c in release(candidates.teams, k)}
    # The atoms: people in exactly the same kept groups (each person's groups, as a tuple).
    signature: dict[int, list[int]] = defaultdict(list)
    for number, members in enumerate(kept.values()):
        for person in members:
            signature[person].append(number)
    numbers: dict[tuple[int, ...], int] = {}
    atom_of: dict[int, int] = {}
    sizes: dict[int, int] = defaultdict(int)
    for person, found in signature.items():
        atom = numbers.setdefault(tuple(found), len(numbers))
        atom_of[person] = atom
        sizes[atom] += 1
    for candidate in candidates.managers:
        manager_id = int(str(candidate.key)[2:])
        if manager_fits(candidate.members, manager_id, atom_of, sizes, k):
            kept[str(candidate.key)] = candidate.members
    return kept


def organisation(run: Run) -> Organisation:
    """The run's groups and their release (computed once per run)."""

    def load() -> Organisation:
        teams = _teams()
        today = run.today
        people = [row for row in everyone(run) if working_on(row, today)]
        candidates = candidates_of(people, teams)
        return Organisation(teams, candidates, release_all(candidates, run.min_group))

    found: Organisation = run.once("insights.grouping", load)
    return found


def released_among(
    run: Run, name: str, people: Iterable[int], whole: Iterable[int] | None = None
) -> dict[str, frozenset[int]]:
    """The run's candidate groups restricted to `people` (those a figure stands for: the
    reviewed of a cycle), released with the same rule: {key: members}. `whole`: the
    organisation's group is these people rather than those of `people` working here today
    (a 360 cycle's: everyone it reviewed, whoever left since; the teams' parts are worked out
    against it). `name` memoises it for the run."""

    def load() -> dict[str, frozenset[int]]:
        among = organisation(run).candidates.among(frozenset(people))
        if whole is not None:
            among = among.whole(frozenset(whole))
        return release_all(among, run.min_group)

    found: dict[str, frozenset[int]] = run.once(f"insights.grouping.{name}", load)
    return found


def own_key(scope: Scope) -> str:
    if scope.audience == MANAGER:
        return manager_key(scope.manager_id or 0)
    if scope.audience == TEAM and scope.team is not None:
        return team_key(scope.team.pk)
    return ALL


def shown(scope: Scope, released: dict[str, frozenset[int]] | None = None) -> list[Group]:
    """The groups the scope's page shows, of those `released` (by default the run's): its own
    first (none at all when its own is not released: a scope's teams are never shown without
    it), then its teams `LEVELS` deep, in the tree's order."""
    found = organisation(scope.run)
    if released is None:
        memo: list[Group] = scope.run.once(
            f"insights.grouping.shown:{scope.key}", lambda: shown(scope, found.released)
        )
        return memo
    return [
        Group(key, name, released[key], own=not number)
        for number, (key, name) in enumerate(shown_keys(scope, released))
    ]


def shown_keys(scope: Scope, present: Mapping[str, object]) -> list[tuple[str, str]]:
    """`shown`'s choice among the groups `present` (their members, or what was kept of their
    figures: `insights.kinds.goals`), as (key, name): the scope's own first (none at all
    without it), then its teams `LEVELS` deep in the tree's order, but for a team whose value
    is its own's (the scope's own people under another name: the only top-level team)."""
    own = own_key(scope)
    if own not in present:
        return []
    name = scope.team.name if scope.audience == TEAM and scope.team is not None else ""
    keys = [(own, name)]
    if scope.audience == MANAGER:
        return keys
    if scope.audience == TEAM and scope.team is not None:
        base, top = scope.team.path, scope.team.path.count("/") - 2 + 1
    else:
        base, top = "/", 0
    for team in organisation(scope.run).below(base):  # in path order
        if len(keys) >= MAX_GROUPS:
            break
        key = team_key(team.pk)
        if key == own or key not in present or not team.path.startswith(base):
            continue
        if present[key] == present[own]:
            continue  # the scope's own people under another name (the only top-level team)
        if top <= team.depth < top + LEVELS:
            keys.append((key, team.name))
    return keys


# --- Helpers the per-group charts share ----------------------------------------------------

EVERYONE, REPORTS = "everyone", "reports"
# At most this many groups drawn as their own series (the table has them all).
SERIES = 6


def label_of(group: Group, scope: Scope) -> Any:
    """What the table and the chart call a group: a team's name (data), or the key of the
    words for the scope's own group when it is no team ("everyone", "your reports"), which
    the chart's `labels` give in the reader's language."""
    if group.team_id is not None:
        return group.name
    return {"key": REPORTS if scope.audience == MANAGER else EVERYONE}


def series_label(group: Group, scope: Scope) -> dict[str, Any]:
    """A chart series' name: {"label": a team's name} or {"key": words}."""
    found = label_of(group, scope)
    return found if isinstance(found, dict) else {"label": found}


def months(today: date, count: int = 12) -> list[tuple[date, date]]:
    """The last `count` months up to `today`'s, oldest first: (first day, last day; today for
    this month)."""
    found = []
    first, last = today.replace(day=1), today
    for _n in range(count):
        found.append((first, last))
        last = first - timedelta(days=1)
        first = last.replace(day=1)
    return list(reversed(found))


def month_end_before(today: date) -> date:
    """The last day of the month before `today`'s: the end of the last month that has ended."""
    return today.replace(day=1) - timedelta(days=1)


def ended_months(today: date, count: int = 12) -> list[tuple[date, date]]:
    """The last `count` months that have ended before `today`, oldest first: (first day, last
    day). A per-group series shows only these: the current month's figures would follow
    today's teams, and one person moving would change two teams' figures by their own."""
    return months(month_end_before(today), count)


def month_key(day: date) -> str:
    return day.strftime("%Y-%m")


def month_of(value: date | datetime) -> str:
    """The month of a day, or of a moment in the current time zone (what `TruncMonth` of a
    date-time column gives)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return month_key(value)


def everyone(run: Run) -> list[PersonRow]:
    """Everyone of the organisation (in the pilot scope), leavers included: loaded once per
    run."""
    return Scope(ORG, ORG, run).rows()


def share(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole percent; None for nothing."""
    return round(100 * part / whole) if whole else None


def per_group(run: Run, name: str, group: Group, count: Callable[[frozenset[int]], T]) -> T:
    """`count(members)` of a group, once per run (a group is shown on several scopes' pages)."""
    found: T = run.once(f"{name}:{group.key}", lambda: count(group.members))
    return found


GROUP_COLUMN = Column("group", _("Group"))
GROUP_LABELS: dict[str, StrOrPromise] = {
    EVERYONE: _("Everyone"),
    REPORTS: _("Your direct reports"),
}
