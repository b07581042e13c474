"""Rhythm health's figures for one viewer and one team: the overall figure, the teams below
it and the managers in it, from the monthly tallies (`conversations.tally`).

Working them out reads the whole part of the organisation in view, so it is done once per
viewer, team and day and kept for `ADHERENCE_CACHE_SECONDS` (the page says when it was
counted); what a request then reads is the summary and one page of managers, whatever the
size of the organisation (the managers' list is a few compact tuples per manager).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from conversations.adherence import Adherence
from conversations.tally import adherence_by_team_and_manager
from organisation import current
from people.models import Person, Team, ids_in

if TYPE_CHECKING:
    from access.viewer import Viewer


@dataclass
class Summary:
    counted_at: datetime
    overall: Adherence
    team_rows: list[dict[str, Any]]
    # Every manager with figures, by name: (id, name, on time, counted); compact, as it is
    # read back from the cache whole.
    managers: list[tuple[int, str, int, int]]


def summary(viewer: Viewer, today: date, team: Team | None, whole: bool) -> Summary:
    """The figures for the viewer and team: from the cache when there."""
    assert viewer.person is not None
    org = current.settings()
    pilot = ",".join(org.pilot_paths) if org.pilot else "-"
    key = (
        f"conversations:health:{viewer.person.pk}:{viewer.hr_scope_path}:{today.isoformat()}:"
        f"{team.pk if team is not None else '-'}:{int(whole)}:{pilot}"
    )
    seconds = settings.ADHERENCE_CACHE_SECONDS
    result = cache.get(key) if seconds else None
    if result is None:
        result = _work_out(viewer, today, team, whole)
        if seconds:
            cache.set(key, result, seconds)
    return result


def _work_out(viewer: Viewer, today: date, team: Team | None, whole: bool) -> Summary:
    counted_at = timezone.now()
    pairs = adherence_by_team_and_manager(viewer, today)
    paths = dict(Team.objects.order_by().values_list("pk", "path"))
    # The managers' names, and their teams' paths for the pilot scope.
    managers_of = {
        pk: (name, path)
        for pk, name, path in Person.objects.filter(
            pk__in={manager_id for _team, manager_id in pairs}
        ).values_list("pk", "name", "team__path")
    }
    org = current.settings()
    by_path: dict[str | None, Adherence] = defaultdict(Adherence)
    by_team_and_manager: dict[tuple[str | None, int], Adherence] = {}
    for (team_id, manager_id), value in pairs.items():
        path = paths.get(team_id) if team_id is not None else None
        manager_path = managers_of[manager_id][1] if manager_id in managers_of else None
        if not (org.in_pilot(path) and org.in_pilot(manager_path)):  # a pair outside the pilot
            continue
        by_path[path] += value
        by_team_and_manager[(path, manager_id)] = value
    # Each team's figure with the teams below it: every path adds to its ancestors' sums.
    subtree: dict[str, Adherence] = defaultdict(Adherence)
    for path, value in by_path.items():
        if path:
            ids = ids_in(path)
            for depth in range(1, len(ids) + 1):
                subtree["/" + "/".join(map(str, ids[:depth])) + "/"] += value

    if team is not None:
        children = Team.objects.filter(parent=team)
        overall = sum(by_path.values(), Adherence()) if whole else subtree[team.path]
    else:
        children = Team.objects.filter(parent__isnull=True)
        overall = sum(by_path.values(), Adherence())
    team_rows: list[dict[str, Any]] = []
    for child in children.order_by("name", "pk").only("name", "path"):
        value = subtree.get(child.path, Adherence())
        if value.counted:
            team_rows.append({"team": child, "adherence": value})
    if team is not None and by_path.get(team.path, Adherence()).counted:
        team_rows.append({"team": team, "adherence": by_path[team.path], "directly": True})
    if team is None and by_path.get(None, Adherence()).counted:
        team_rows.append({"team": None, "adherence": by_path[None]})

    # Managers: every manager of the pairs in view (within the chosen team), by name.
    by_manager: dict[int, Adherence] = defaultdict(Adherence)
    for (path, manager_id), value in by_team_and_manager.items():
        if whole or team is None or (path or "").startswith(team.path):
            by_manager[manager_id] += value
    names = [(pk, managers_of[pk][0]) for pk in by_manager if pk in managers_of]
    managers = [
        (pk, name, by_manager[pk].on_time, by_manager[pk].counted)
        for pk, name in sorted(names, key=lambda row: (row[1].casefold(), row[0]))
    ]
    return Summary(counted_at, overall, team_rows, managers)
