"""The charts of Insights, as a registry: each chart is a function that computes its figures
for one audience scope, registered with `@chart(...)`; the job (`insights.compute`, run by
`run_jobs` as "insights", by `manage.py compute_insights`, and on demand for HR) stores what it
returns as a `Snapshot`; the pages and the API only read snapshots.

The plug-in contract
====================

Add a chart as a module of the package `insights.kinds` (found by itself: nothing else to
register), say `insights/kinds/rhythm.py`::

    from django.utils.translation import gettext_lazy as _

    from insights.charts import Column, Computed, chart
    from insights.scopes import MANAGER, ORG, TEAM, Scope

    @chart(
        "rhythm",                                      # the kind: a slug, unique
        title=_("Conversations held in their window, by month"),   # says what it shows
        definition=_("The share of due check-ins held within ... (n: conversations due)."),
        columns=(Column("month", _("Month")), Column("share", _("Held in time (%)")),
                 Column("n", _("Due"))),               # the table and the CSV, in this order
        labels={"held": _("Held in time")},            # keys in the stored data -> words
        audiences=(MANAGER, TEAM, ORG),                # which pages show it
        order=10,                                      # its place on the page
        n_label=_("Conversations due (n)"),            # what n counts (default: people)
    )
    def rhythm(scope: Scope) -> Computed:
        ...                                            # read the scope's people, count
        return Computed(
            n=42, period=(first_day, last_day),
            rows=[{"month": "2026-01", "share": 83, "n": 12}, ...],
            chart={"type": "line", "x": ["2026-01", ...],
                   "series": [{"key": "held", "values": [83, ...]}],
                   "y": {"min": 0, "max": 100, "title_key": "share"}},
        )

The function gets a `insights.scopes.Scope`: its `key`, its `audience` (ORG, TEAM, MANAGER),
`scope.rows()` (its people, leavers included, in the pilot scope, as `PersonRow`s: team path,
manager, start and leave dates, loaded once per run: no query per scope), and `scope.run`:
`run.now`, `run.today`, `run.min_group` (the fewest people any group's figure may stand for:
leave out, when computing, every group below it, and every figure about people's answers that
could be subtracted from another to reveal a smaller one, as surveys do: `insights.grouping`)
and `run.once(name, load)` to load the organisation's data once per run and count it per scope
in Python: there are hundreds of scopes. Per-group figures by month go through
`insights.monthly.monthly_table`, which keeps a month's figures once it has ended.

It returns a `Computed` (or None: nothing to show for this scope, stored as an empty
snapshot so that the page says so), or, for a chart that computes filters ahead, a dict
{variant: Computed}, one snapshot each ("" is the default variant; the page chooses one with
the query parameter the chart's `variants` names). What it returns is stored as JSON: plain
numbers, strings, lists and dicts; ISO strings for dates. Keep words out of it: store keys
and give their words in `labels` (rendered in the reader's language); team names are data.

- `n`: how many people (or what the definition names) stand behind the figures;
- `period`: the first and last day they cover (or None);
- `rows`: the data as a table, dicts keyed by the `columns`' keys: the page's accessible
  table and the CSV (`/insights/<page>/<kind>/csv/`) show exactly these (a column marked
  `worded=True` holds `labels` keys, shown as their words);
- `chart`: what `insights/static/insights/insights.js` draws with Chart.js (no inline script:
  the page writes it with `json_script`). Generic types: "line" and "bar", with "x" (the
  labels of the x axis), "series" ([{"key": a `labels` key or "label": a name, "values":
  [...]}]), optional "y" ({"min", "max", "label" or "title_key": a `labels` key, "integer":
  true for counts}), "stacked" (bar);
  "scatter" ("series" of {"key", "points": [{"x", "y", "name"}]}, "x" and "y" axes as "y");
  and "survival" (Kaplan–Meier curves with bands, `insights.kinds.retention`). Any dict
  with a "key" gets its "label" from `labels`, and a "title_key" its "title". A new type is a
  function in insights.js's DRAW table;
- `extra`: anything else the chart's own template shows (a test statistic, a method).

The block on the page (`insights/_chart.html`) shows the title, n, period, definition and
freshness ("as of"), the chart, the table and the CSV link for every chart. A chart that needs
more (filters, a note on method) names its own partial with `template=` that extends
`insights/_chart.html` and fills its blocks `before` and `after` (see
`insights/charts/retention.html`).

Test a chart by computing it (`insights.compute.compute(kinds=[...])`, then read the
snapshot), and pin the page's query count: pages read one query of snapshots whatever the
charts (`insights.queries.snapshots`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from insights.scopes import MANAGER, ORG, TEAM, Scope


@dataclass(frozen=True)
class Column:
    key: str
    label: StrOrPromise
    worded: bool = False  # its values are keys of the chart's `labels`: shown as their words


@dataclass
class Computed:
    n: int
    period: tuple[date, date] | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    chart: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {"rows": self.rows, "chart": self.chart, "extra": self.extra}


Result = Computed | Mapping[str, Computed | None] | None
Compute = Callable[[Scope], Result]


@dataclass(frozen=True)
class Variant:
    """A filter a chart computes ahead: its query parameter, and its values with their words
    ("" the default, first)."""

    param: str
    label: StrOrPromise
    choices: tuple[tuple[str, StrOrPromise], ...]


@dataclass(frozen=True)
class Chart:
    kind: str
    title: StrOrPromise
    definition: StrOrPromise
    compute: Compute
    columns: tuple[Column, ...]
    labels: Mapping[str, StrOrPromise]
    audiences: tuple[str, ...]
    order: int
    template: str
    variants: Variant | None
    n_label: StrOrPromise  # what n counts, as the block names it ("People (n)")

    def label(self, key: str) -> str:
        return str(self.labels.get(key, key))


_CHARTS: dict[str, Chart] = {}
_discovered = False

DEFAULT_TEMPLATE = "insights/_chart.html"


def chart(
    kind: str,
    *,
    title: StrOrPromise,
    definition: StrOrPromise,
    columns: tuple[Column, ...],
    labels: Mapping[str, StrOrPromise] | None = None,
    audiences: tuple[str, ...] = (MANAGER, TEAM, ORG),
    order: int = 50,
    template: str = DEFAULT_TEMPLATE,
    variants: Variant | None = None,
    n_label: StrOrPromise | None = None,
) -> Callable[[Compute], Compute]:
    """Register `compute(scope) -> Computed | {variant: Computed} | None` as the chart `kind`
    (see the module's docstring)."""

    def register(compute: Compute) -> Compute:
        _CHARTS[kind] = Chart(
            kind,
            title,
            definition,
            compute,
            columns,
            labels or {},
            audiences,
            order,
            template,
            variants,
            n_label if n_label is not None else _("People (n)"),
        )
        return compute

    return register


def registered() -> list[Chart]:
    """Every chart (each module of `insights.kinds` imported once), in their order."""
    global _discovered
    if not _discovered:
        from insights import kinds

        for found in pkgutil.iter_modules(kinds.__path__):
            importlib.import_module(f"{kinds.__name__}.{found.name}")
        _discovered = True
    return sorted(_CHARTS.values(), key=lambda c: (c.order, c.kind))


def by_kind(kind: str) -> Chart | None:
    return {c.kind: c for c in registered()}.get(kind)


def for_audience(audience: str) -> list[Chart]:
    return [c for c in registered() if audience in c.audiences]
