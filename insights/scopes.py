"""Whose figures a snapshot holds: the audience scopes Insights computes ahead.

- "org": the whole organisation (everyone in the pilot scope, during a pilot), for HR for the
  whole organisation;
- "team:<id>": a team and the teams within it, for its leads (and the leads above) and HR whose
  scope covers it;
- "manager:<id>": a manager's direct reports, for that manager.

Which of them a viewer may read is `insights.rules`; here is only what each one holds. A scope's
people include those who left (their employment history is what retention counts); a chart
that is about people working here narrows `Scope.rows()` to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.utils import timezone

from organisation.scope import in_scope_q, team_in_scope_q
from people.models import Person, Team

ORG, TEAM, MANAGER = "org", "team", "manager"


def team_scope(team_id: int) -> str:
    return f"{TEAM}:{team_id}"


def manager_scope(person_id: int) -> str:
    return f"{MANAGER}:{person_id}"


def parse(key: str) -> tuple[str, int | None]:
    """("org", None), ("team", 12) or ("manager", 34); ("", None) for anything else."""
    if key == ORG:
        return ORG, None
    audience, _sep, rest = key.partition(":")
    if audience in (TEAM, MANAGER) and rest.isdigit():
        return audience, int(rest)
    return "", None


@dataclass(frozen=True)
class PersonRow:
    """What charts read of a person, loaded once per run (`Run.people`)."""

    pk: int
    team_path: str  # "" without a team
    manager_id: int | None
    start: date | None
    leave: date | None  # the last working day


@dataclass
class _People:
    everyone: list[PersonRow]
    by_team_path: dict[str, list[PersonRow]]
    by_manager: dict[int, list[PersonRow]]


def _load_people() -> _People:
    rows = [
        PersonRow(pk, path or "", manager, start, leave)
        for pk, path, manager, start, leave in Person.objects.filter(in_scope_q())
        .order_by("pk")
        .values_list("pk", "team__path", "manager_id", "start_date", "leave_date")
        .iterator(chunk_size=2000)
    ]
    by_team: dict[str, list[PersonRow]] = {}
    by_manager: dict[int, list[PersonRow]] = {}
    for row in rows:
        if row.team_path:
            by_team.setdefault(row.team_path, []).append(row)
        if row.manager_id is not None:
            by_manager.setdefault(row.manager_id, []).append(row)
    return _People(rows, by_team, by_manager)


@dataclass
class Run:
    """One computation of the snapshots: its time, the organisation's smallest group, and a
    memo that charts share across the scopes of the run (load the organisation's data once,
    then count it per scope)."""

    now: datetime
    min_group: int
    memo: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def today(self) -> date:
        """The run's day (read some hundred thousand times a run: computed once)."""
        return timezone.localdate(self.now)

    def once(self, name: str, load: Callable[[], Any]) -> Any:
        """`load()`'s result, computed once per run under `name`."""
        if name not in self.memo:
            self.memo[name] = load()
        return self.memo[name]

    def people(self, scope: Scope) -> list[PersonRow]:
        """The scope's people, leavers included, from the organisation loaded once per run: no
        query per scope."""
        found: _People = self.once("insights.people", _load_people)
        if scope.audience == MANAGER:
            return list(found.by_manager.get(scope.manager_id or 0, []))
        if scope.audience == TEAM and scope.team is not None:
            top = scope.team.path
            return [
                row
                for path, rows in found.by_team_path.items()
                if path.startswith(top)
                for row in rows
            ]
        return list(found.everyone)


@dataclass(frozen=True)
class Scope:
    key: str
    audience: str  # ORG, TEAM or MANAGER
    run: Run
    team: Team | None = None  # TEAM: the team
    manager_id: int | None = None  # MANAGER: the manager

    def rows(self) -> list[PersonRow]:
        """The scope's people, leavers included, loaded once per run (`Run.people`)."""
        return self.run.people(self)


def every_scope(run: Run) -> Iterator[Scope]:
    """Every scope there is now: the organisation, every team (in the pilot scope) and every
    manager of someone working here (in the pilot scope)."""
    yield Scope(ORG, ORG, run)
    for team in Team.objects.filter(team_in_scope_q()).order_by("path"):
        yield Scope(team_scope(team.pk), TEAM, run, team=team)
    managers = (
        Person.objects.current()
        .filter(in_scope_q())
        .exclude(manager__isnull=True)
        .values_list("manager_id", flat=True)
        .distinct()
        .order_by("manager_id")
    )
    for manager_id in managers:
        yield Scope(manager_scope(manager_id), MANAGER, run, manager_id=manager_id)
