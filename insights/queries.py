"""What Insights' pages and API read: the viewer's choice of scope (`insights.rules`) and the
newest snapshot of each chart for it, in a fixed number of queries (the teams to choose from,
and the snapshots) whatever the size of the organisation or the length of the history."""

from __future__ import annotations

import copy
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, JSONField, Q, Value, When
from django.http import Http404, QueryDict

from insights import charts, rules, scopes
from insights.models import Snapshot
from organisation.scope import team_in_scope_q
from people.models import Team

if TYPE_CHECKING:
    from access.viewer import Viewer

# Which scopes' charts each page shows.
AUDIENCE = {rules.MANAGER_PAGE: scopes.MANAGER, rules.LEADER_PAGE: scopes.TEAM}


@dataclass
class Block:
    """One chart on a page: its registration, its snapshot (None: not computed yet) and the
    variant chosen."""

    chart: charts.Chart
    snapshot: Snapshot | None
    variant: str = ""

    @property
    def kind(self) -> str:
        return self.chart.kind

    @property
    def data(self) -> dict[str, Any]:
        return self.snapshot.data if self.snapshot is not None else {}

    @property
    def empty(self) -> bool:
        return not self.data.get("rows")

    @property
    def extra(self) -> dict[str, Any]:
        return dict(self.data.get("extra") or {})

    def table(self) -> list[list[Any]]:
        """The rows, each as its cells in the columns' order: a worded column's values, and a
        cell stored as {"key": …} in any column (a group that is no team, beside teams' names),
        as the words of a `labels` key in the reader's language."""
        columns = self.chart.columns
        return [
            [
                self.chart.label(str(row.get(c.key)))
                if c.worded
                else _cell(row.get(c.key), self.chart)
                for c in columns
            ]
            for row in self.data.get("rows", [])
        ]

    def drawing(self) -> dict[str, Any]:
        """What insights.js draws, with the words of its keys in the reader's language."""
        return _worded(copy.deepcopy(self.data.get("chart") or {}), self.chart)


def _cell(value: Any, chart: charts.Chart) -> Any:
    """A table cell or an axis label as shown: {"key": …} alone is the words of that key."""
    if isinstance(value, dict) and set(value) == {"key"}:
        return chart.label(str(value["key"]))
    return value


def _worded(value: Any, chart: charts.Chart) -> Any:
    if isinstance(value, dict) and set(value) == {"key"}:
        return _cell(value, chart)
    if isinstance(value, dict):
        for key, inner in list(value.items()):
            value[key] = _worded(inner, chart)
        if "key" in value and "label" not in value:
            value["label"] = chart.label(str(value["key"]))
        if "title_key" in value:
            value["title"] = chart.label(str(value.pop("title_key")))
        return value
    if isinstance(value, list):
        return [_worded(item, chart) for item in value]
    return value


@dataclass
class InsightsPage:
    page: str
    scope: str
    team: Team | None  # the team chosen (leader's and HR's pages), None: the page's own scope
    teams: list[Team] = field(default_factory=list)  # the teams to choose from
    blocks: list[Block] = field(default_factory=list)
    whole: bool = False  # HR for the whole organisation, on "org"

    @property
    def computed_at(self) -> Any:
        found = [b.snapshot.computed_at for b in self.blocks if b.snapshot is not None]
        return min(found) if found else None


def _choose_team(viewer: Viewer, page: str, wanted: str | None) -> tuple[list[Team], Team | None]:
    """The teams the viewer chooses from on `page` (one query) and the one `wanted` (an id;
    404 when it is not among them)."""
    if page == rules.MANAGER_PAGE:
        return [], None
    teams = list(
        Team.objects.filter(rules.teams_q(viewer, page))
        .filter(team_in_scope_q())
        .only("pk", "name", "path")
        .order_by("path")
    )
    if wanted:
        chosen = next((t for t in teams if str(t.pk) == wanted), None)
        if chosen is None:
            raise Http404
        return teams, chosen
    return teams, None


def scope_of(viewer: Viewer, page: str, team: Team | None, teams: list[Team]) -> str:
    """The scope the page shows: the team chosen, else the page's own."""
    if team is not None:
        return scopes.team_scope(team.pk)
    if page == rules.MANAGER_PAGE:
        return rules.manager_scope(viewer)
    if page == rules.HR_PAGE:
        if rules.whole_organisation(viewer):
            return scopes.ORG
        own = rules.hr_scope_team_id(viewer)
        return scopes.team_scope(own) if own is not None else ""
    # A leader's: the first team they lead (the top of their part, by path).
    return scopes.team_scope(teams[0].pk) if teams else ""


def variants_of(chosen: list[charts.Chart], params: QueryDict | dict[str, str]) -> dict[str, str]:
    """The variant chosen of each chart that has some (a known one, else the default "")."""
    found = {}
    for chart in chosen:
        if chart.variants is None:
            continue
        wanted = str(params.get(chart.variants.param, "") or "")
        known = {value for value, _label in chart.variants.choices}
        found[chart.kind] = wanted if wanted in known else ""
    return found


def snapshots(scope: str, chosen: list[charts.Chart], variants: dict[str, str]) -> list[Snapshot]:
    """The newest snapshot of each chart for `scope` (its chosen variant): one query. A
    snapshot's data already read by this process (`_KEPT`, by chart and computation) is not
    read again: the query reads it only where the computation is another (a leader's page
    decoded a megabyte of JSON on every visit, a third of its time, for figures that change
    every few hours)."""
    if not scope or not chosen:
        return []
    condition = Q(variant="", kind__in=[c.kind for c in chosen if c.kind not in variants])
    for kind, variant in variants.items():
        condition |= Q(kind=kind, variant=variant)
    asked = [(scope, c.kind, variants.get(c.kind, "")) for c in chosen]
    kept = {key: _KEPT[key] for key in asked if key in _KEPT}
    unchanged = [
        When(kind=kind, variant=variant, computed_at=computed_at, then=Value(None))
        for (_scope, kind, variant), (computed_at, _data) in kept.items()
    ]
    data: Any = F("data")
    if unchanged:
        data = Case(*unchanged, default=F("data"), output_field=JSONField())
    found: list[Snapshot] = []
    for snapshot in (
        Snapshot.objects.filter(condition, scope=scope).defer("data").annotate(read=data)
    ):
        key = (scope, snapshot.kind, snapshot.variant)
        if snapshot.read is None and key in kept:
            snapshot.data = kept[key][1]
            with suppress(KeyError):  # another thread's read may have just let it go
                _KEPT.move_to_end(key)
        else:
            snapshot.data = snapshot.read
            _keep(key, snapshot.computed_at, snapshot.data)
        found.append(snapshot)
    return found


# Snapshots' data read by this process: (scope, kind, variant) -> (computed_at, data), the
# most recently read last, at most _KEPT_MAX of them. Read only (`Block` hands out copies
# where a page changes what it shows).
_KEPT: OrderedDict[tuple[str, str, str], tuple[Any, dict[str, Any]]] = OrderedDict()
_KEPT_MAX = 64


def _keep(key: tuple[str, str, str], computed_at: Any, data: dict[str, Any]) -> None:
    _KEPT[key] = (computed_at, data)
    _KEPT.move_to_end(key)
    while len(_KEPT) > _KEPT_MAX:
        try:
            _KEPT.popitem(last=False)
        except KeyError:  # emptied by another thread meanwhile
            break


def forget_kept() -> None:
    """Let go of every snapshot's data read (the tests: each starts from its own database)."""
    _KEPT.clear()


def page_of(
    viewer: Viewer,
    page: str,
    params: QueryDict | dict[str, str],
    kinds: list[str] | None = None,
) -> InsightsPage:
    """The viewer's `page` ("team", "organisation" or "hr"; the caller checked they may open
    it) for the team in `params` ("team": an id among those they choose from), with its
    charts (all, or of `kinds`). Two queries (the teams, the snapshots) besides the viewer's."""
    teams, team = _choose_team(viewer, page, str(params.get("team", "") or "")[:20])
    if team is not None and not rules.reads_scope(viewer, page, team):
        raise Http404
    key = scope_of(viewer, page, team, teams)
    audience, _id = scopes.parse(key)
    chosen = [
        c
        for c in charts.for_audience(audience or AUDIENCE.get(page, scopes.TEAM))
        if kinds is None or c.kind in kinds
    ]
    variants = variants_of(chosen, params)
    found = {s.kind: s for s in snapshots(key, chosen, variants)}
    blocks = [Block(c, found.get(c.kind), variants.get(c.kind, "")) for c in chosen]
    if team is None and page != rules.MANAGER_PAGE and key != scopes.ORG:
        team = next((t for t in teams if scopes.team_scope(t.pk) == key), None)
    return InsightsPage(page, key, team, teams, blocks, whole=key == scopes.ORG)
