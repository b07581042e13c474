"""Computing the snapshots: every registered chart (`insights.charts`) for every audience scope
(`insights.scopes`) it is shown to, each result stored in place (`Snapshot`, one row per
chart, scope and variant). Idempotent and safe beside another run: each row is written with one
upsert, and what a run no longer computes (a team gone, someone no longer a manager) is deleted
once the run has written everything else.

Run by the job "insights" (`insights.jobs`) when the newest figures are `REFRESH` old or the
organisation's smallest group changed, by `manage.py compute_insights` whenever asked, and for
HR on demand (`insights.tasks.compute_now`). Never in a web request: the charts may import
statistics libraries (lifelines) that the web workers do not load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max

from insights import charts, monthly, writing
from insights.models import Snapshot
from insights.rules import smallest_group
from insights.scopes import Run, Scope, every_scope

REFRESH = timedelta(hours=6)
BATCH = 500


@dataclass
class Outcome:
    scopes: int
    snapshots: int
    removed: int


def due(now: datetime) -> bool:
    """Are the figures due again: none yet, older than `REFRESH`, of another smallest group, or
    of a chart with none at all?"""
    kinds = {c.kind for c in charts.registered()}
    newest = Snapshot.objects.aggregate(at=Max("computed_at"))["at"]
    if newest is None or now - newest >= REFRESH:
        return bool(kinds)
    if Snapshot.objects.exclude(min_group=smallest_group()).exists():
        return True
    present = set(Snapshot.objects.values_list("kind", flat=True).distinct())
    return bool(kinds - present)


def _results(chart: charts.Chart, scope: Scope) -> dict[str, charts.Computed | None]:
    found = chart.compute(scope)
    if found is None or isinstance(found, charts.Computed):
        return {"": found}
    return dict(found)


# A snapshot's columns, in the order `_row` gives them.
FIELDS = (
    "kind",
    "scope",
    "variant",
    "computed_at",
    "period_start",
    "period_end",
    "n",
    "min_group",
    "data",
)
Row = tuple[str, str, str, datetime, date | None, date | None, int, int, dict]


def _row(chart: charts.Chart, scope: Scope, variant: str, found: charts.Computed | None) -> Row:
    run = scope.run
    if found is None:
        return (chart.kind, scope.key, variant, run.now, None, None, 0, run.min_group, {})
    start, end = found.period if found.period is not None else (None, None)
    return (
        chart.kind,
        scope.key,
        variant,
        run.now,
        start,
        end,
        found.n,
        run.min_group,
        found.as_data(),
    )


def _write(rows: list[Row]) -> None:
    """Each snapshot written in place (an upsert on its chart, scope and variant)."""
    writing.insert(
        Snapshot,
        FIELDS,
        rows,
        unique=("kind", "scope", "variant"),
        update=("computed_at", "period_start", "period_end", "n", "min_group", "data"),
    )


def compute(now: datetime, kinds: Iterable[str] | None = None) -> Outcome:
    """Compute the charts (all, or those of `kinds`) for every scope, and store them; then
    delete the snapshots of those charts that this run did not write (a scope gone), by key,
    not by time, so that a run beside another never deletes what the other just wrote."""
    wanted = None if kinds is None else set(kinds)
    chosen = [c for c in charts.registered() if wanted is None or c.kind in wanted]
    run = Run(now=now, min_group=smallest_group())
    pending: list[Row] = []
    written: set[tuple[str, str, str]] = set()
    scopes = 0
    for scope in every_scope(run):
        scopes += 1
        for chart in chosen:
            if scope.audience not in chart.audiences:
                continue
            for variant, found in _results(chart, scope).items():
                pending.append(_row(chart, scope, variant, found))
                written.add((chart.kind, scope.key, variant))
        if len(pending) >= BATCH:
            _write(pending)
            pending = []
    if pending:
        _write(pending)
    monthly.store(run)
    kept = Snapshot.objects.filter(kind__in=[c.kind for c in chosen])
    gone = [
        pk
        for pk, kind, key, variant in kept.values_list("pk", "kind", "scope", "variant")
        if (kind, key, variant) not in written
    ]
    removed = 0
    for start in range(0, len(gone), BATCH):
        removed += Snapshot.objects.filter(pk__in=gone[start : start + BATCH]).delete()[0]
    return Outcome(scopes, len(written), removed)
