"""Rhythm health's figures for one viewer and one team: the overall figure, the teams below
it and the managers in it, from the monthly tallies (`conversations.tally`).

Working them out reads the whole part of the organisation in view (about a second for HR at
100,000 people), so they are kept per viewer, team and day in the database
(`RhythmHealthSnapshot`), shared by every app process: a request reads them back in one query
whatever the size of the organisation, and the page says when they were counted. Once older
than `ADHERENCE_CACHE_SECONDS`, the request still shows them and asks the background worker
to count again (`conversations.tasks.refresh_rhythm_health`; one request asks, the others
wait); older than `ADHERENCE_STALE_SECONDS`, or on a new day, the request counts itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast, overload

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conversations.adherence import Adherence, window_start
from conversations.models import RhythmHealthManagers, RhythmHealthSnapshot, RhythmTally
from conversations.tally import adherence_by_team_and_manager
from organisation import current
from people.models import Person, Team

if TYPE_CHECKING:
    from access.viewer import Viewer


# Above this many managers, their names are read through the tallies (`_names_and_paths`).
MANY = 500


@dataclass
class Summary:
    counted_at: datetime
    overall: Adherence
    team_rows: list[dict[str, Any]]
    # Every manager with figures, by name: (id, name, on time, counted); counted now, a list;
    # read back, `KeptManagers`, which loads only the slice a page shows.
    managers: Sequence[tuple[int, str, int, int]]


# Managers are kept in chunks of this many (a multiple of the page's 25).
CHUNK = 100

Row = tuple[int, str, int, int]


class KeptManagers(Sequence[Row]):
    """A kept snapshot's managers: its length without a query, a slice in one query of the
    chunks it spans (what `Paginator` asks)."""

    def __init__(self, snapshot_id: int, count: int):
        self.snapshot_id, self.length = snapshot_id, count

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(self.length)
        if start >= stop:
            return []
        first, last = start // CHUNK, (stop - 1) // CHUNK
        chunks = RhythmHealthManagers.objects.filter(
            snapshot_id=self.snapshot_id, chunk__gte=first, chunk__lte=last
        ).order_by("chunk")
        rows = [tuple(row) for chunk in chunks.values_list("rows", flat=True) for row in chunk]
        offset = start - first * CHUNK
        return [cast(Row, row) for row in rows[offset : offset + stop - start]]


def key_of(viewer: Viewer, today: date, team: Team | None, whole: bool) -> str:
    """Everything the figures depend on: the viewer (first, by id) and all the rules read
    about them (`Viewer.state`: their place, their HR scope), the day, the team and the pilot
    scope."""
    assert viewer.person is not None
    org = current.settings()
    pilot = ",".join(org.pilot_paths) if org.pilot else "-"
    state = hashlib.sha256(repr(viewer.state()).encode()).hexdigest()[:16]
    return (
        f"{viewer.person.pk}:{state}:{today.isoformat()}:"
        f"{team.pk if team is not None else '-'}:{int(whole)}:{pilot}"
    )


def summary(viewer: Viewer, today: date, team: Team | None, whole: bool) -> Summary:
    """The figures for the viewer and team: the kept ones when there are (asking for fresher
    ones in the background when they are old), else counted now and kept."""
    seconds = settings.ADHERENCE_CACHE_SECONDS
    if not seconds:
        return _work_out(viewer, today, team, whole)
    key = key_of(viewer, today, team, whole)
    now = timezone.now()
    kept = RhythmHealthSnapshot.objects.filter(
        key=key, counted_at__gte=now - timedelta(seconds=settings.ADHERENCE_STALE_SECONDS)
    ).first()
    if kept is None:
        return refresh(viewer, today, team, whole)
    if kept.counted_at < now - timedelta(seconds=seconds):
        _ask_for_a_recount(kept, viewer, today, team, whole, now)
    return _loaded(kept)


def refresh(viewer: Viewer, today: date, team: Team | None, whole: bool) -> Summary:
    """Count the figures now and keep them (replacing what was kept under the same key)."""
    result = _work_out(viewer, today, team, whole)
    key = key_of(viewer, today, team, whole)
    kept = RhythmHealthSnapshot(
        key=key,
        counted_at=result.counted_at,
        figures=_plain(result),
        managers_count=len(result.managers),
        refresh_asked_at=None,
    )
    with transaction.atomic():
        RhythmHealthSnapshot.objects.bulk_create(
            [kept],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["counted_at", "figures", "managers_count", "refresh_asked_at"],
        )
        snapshot_id = RhythmHealthSnapshot.objects.values_list("pk", flat=True).get(key=key)
        RhythmHealthManagers.objects.filter(snapshot_id=snapshot_id).delete()
        managers = list(result.managers)
        RhythmHealthManagers.objects.bulk_create(
            RhythmHealthManagers(
                snapshot_id=snapshot_id,
                chunk=number,
                rows=[list(row) for row in managers[number * CHUNK : (number + 1) * CHUNK]],
            )
            for number in range((len(managers) + CHUNK - 1) // CHUNK)
        )
    return result


def _ask_for_a_recount(
    kept: RhythmHealthSnapshot,
    viewer: Viewer,
    today: date,
    team: Team | None,
    whole: bool,
    now: datetime,
) -> None:
    """Ask the worker once: the request that marks the snapshot asks, and nobody else until
    the recount is done or the ask is as old as the figures may be."""
    from conversations.tasks import refresh_rhythm_health

    assert viewer.person is not None
    not_asked = Q(refresh_asked_at__isnull=True) | Q(
        refresh_asked_at__lt=now - timedelta(seconds=settings.ADHERENCE_CACHE_SECONDS)
    )
    marked = (
        RhythmHealthSnapshot.objects.filter(pk=kept.pk)
        .filter(not_asked)
        .update(refresh_asked_at=now)
    )
    if marked:
        arguments = (viewer.person.pk, today.isoformat(), team.pk if team else None, whole)
        transaction.on_commit(lambda: refresh_rhythm_health.enqueue(*arguments))


def _plain(summary: Summary) -> dict[str, Any]:
    teams = [
        [
            row["team"].pk if row["team"] is not None else None,
            row["team"].name if row["team"] is not None else "",
            row["team"].path if row["team"] is not None else "",
            row["adherence"].on_time,
            row["adherence"].counted,
            bool(row.get("directly")),
        ]
        for row in summary.team_rows
    ]
    return {"overall": [summary.overall.on_time, summary.overall.counted], "teams": teams}


def _loaded(kept: RhythmHealthSnapshot) -> Summary:
    figures = kept.figures
    team_rows: list[dict[str, Any]] = []
    for pk, name, path, on_time, counted, directly in figures["teams"]:
        row: dict[str, Any] = {
            "team": Team(pk=pk, name=name, path=path) if pk is not None else None,
            "adherence": Adherence(on_time, counted),
        }
        if directly:
            row["directly"] = True
        team_rows.append(row)
    managers = KeptManagers(kept.pk, kept.managers_count)
    return Summary(kept.counted_at, Adherence(*figures["overall"]), team_rows, managers)


def prune(now: datetime) -> int:
    """Remove what was counted more than two days ago (a new day has a new key)."""
    deleted, _by_model = RhythmHealthSnapshot.objects.filter(
        counted_at__lt=now - timedelta(days=2)
    ).delete()
    return deleted


def _names_and_paths(wanted: set[int], today: date) -> dict[int, tuple[str, str | None]]:
    """The managers' names and teams' paths. Thousands of them (a large organisation) are read
    as the managers of the window's tallies, joined in the database, rather than sent to it as
    thousands of ids (a third of a second at 14,000 on PostgreSQL); the few the tallies lack
    (a correction's manager) by id."""
    columns = ("pk", "name", "team__path")
    found: dict[int, tuple[str, str | None]] = {}
    if len(wanted) > MANY:
        managers = RhythmTally.objects.filter(month__gte=window_start(today)).values("manager_id")
        for pk, name, path in Person.objects.filter(pk__in=managers).values_list(*columns):
            if pk in wanted:
                found[pk] = (name, path)
    missing = wanted - found.keys()
    if missing:
        for pk, name, path in Person.objects.filter(pk__in=missing).values_list(*columns):
            found[pk] = (name, path)
    return found


def _add(sums: dict[Any, list[int]], key: Any, value: Adherence) -> None:
    found = sums.get(key)
    if found is None:
        sums[key] = [value.on_time, value.counted]
    else:
        found[0] += value.on_time
        found[1] += value.counted


def _child_of(path: str, parent: str) -> str | None:
    """The path of the child of `parent` (a team's path, or "" for the top) that `path` is
    in or under; None when it is not below `parent`."""
    if not path.startswith(parent) or len(path) == len(parent):
        return None
    end = path.find("/", len(parent) + (0 if parent else 1))
    return path[: end + 1]


def _work_out(viewer: Viewer, today: date, team: Team | None, whole: bool) -> Summary:
    """The sums are kept as integers in lists while they are added up (tens of thousands of
    pairs at 100,000 people; `Adherence` objects only for what the page shows)."""
    counted_at = timezone.now()
    pairs = adherence_by_team_and_manager(viewer, today)
    paths = dict(Team.objects.order_by().values_list("pk", "path"))
    # The managers' names, and their teams' paths for the pilot scope.
    managers_of = _names_and_paths({manager_id for _team, manager_id in pairs}, today)
    org = current.settings()
    by_path: dict[str | None, list[int]] = {}
    by_manager: dict[int, list[int]] = {}
    within = None if whole or team is None else team.path
    for (team_id, manager_id), value in pairs.items():
        path = paths.get(team_id) if team_id is not None else None
        manager_path = managers_of[manager_id][1] if manager_id in managers_of else None
        if not (org.in_pilot(path) and org.in_pilot(manager_path)):  # a pair outside the pilot
            continue
        _add(by_path, path, value)
        # Managers: every manager of the pairs in view (within the chosen team).
        if within is None or (path or "").startswith(within):
            _add(by_manager, manager_id, value)

    def figure(sums: list[int] | None) -> Adherence:
        return Adherence(sums[0], sums[1]) if sums else Adherence()

    # Each child team's figure with the teams below it, and the chosen team's.
    parent = team.path if team is not None else ""
    below: dict[str, list[int]] = {}
    everyone: list[int] = [0, 0]
    for path, sums in by_path.items():
        everyone[0] += sums[0]
        everyone[1] += sums[1]
        if path is None:
            continue
        child = _child_of(path, parent)
        if child is not None:
            _add(below, child, Adherence(sums[0], sums[1]))
    if team is not None and not whole:
        mine = by_path.get(team.path, [0, 0])
        overall = Adherence(
            sum(v[0] for v in below.values()) + mine[0],
            sum(v[1] for v in below.values()) + mine[1],
        )
    else:
        overall = figure(everyone)
    if team is not None:
        children = Team.objects.filter(parent=team)
    else:
        children = Team.objects.filter(parent__isnull=True)
    team_rows: list[dict[str, Any]] = []
    for child_team in children.order_by("name", "pk").only("name", "path"):
        value = figure(below.get(child_team.path))
        if value.counted:
            team_rows.append({"team": child_team, "adherence": value})
    if team is not None and figure(by_path.get(team.path)).counted:
        value = figure(by_path[team.path])
        team_rows.append({"team": team, "adherence": value, "directly": True})
    if team is None and figure(by_path.get(None)).counted:
        team_rows.append({"team": None, "adherence": figure(by_path[None])})

    names = [(pk, managers_of[pk][0]) for pk, sums in by_manager.items() if pk in managers_of]
    managers = [
        (pk, name, by_manager[pk][0], by_manager[pk][1])
        for pk, name in sorted(names, key=lambda row: (row[1].casefold(), row[0]))
        if by_manager[pk][1]
    ]
    return Summary(counted_at, overall, team_rows, managers)
