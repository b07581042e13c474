"""The skills heatmap, summed up: per competency, how many people are at or above what their
role profile expects.

For a team or the organisation, from Talent's newest organisation heatmap (`talent.skills`:
disjoint groups of at least the smallest group, cells of at least as many) within the scope:
only the heatmap's kept cells are added up, so every figure is a sum of whole cells that the
same readers see on Talent's page, which the page links to for the groups themselves.

For a manager, of their direct reports counted the same way (`talent.skills.cells_of`: the
level that counts, agreed else the manager's shared rating, against the role profile), when
their reports are a group Insights shows (`insights.grouping`) and each competency of at least
the smallest group. Their manager sees every one of those levels on Talent's team heatmap
already, and nobody else reads a manager's page; the page links to that heatmap."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from growth import queries as growth_queries
from growth.models import Category, Competency
from insights import grouping
from insights.charts import Column, Computed, chart
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope
from talent.models import SkillCell, SkillGroup, SkillRun
from talent.skills import Grouped, cells_of, counted_now


@dataclass
class Heatmap:
    run: SkillRun | None
    # (key, name, category) in the framework's order
    competencies: list[tuple[str, str, str]] = field(default_factory=list)
    # (team path or "" without a team, people, {competency key: (n, at or above)})
    groups: list[tuple[str, int, dict[str, tuple[int, int]]]] = field(default_factory=list)


def _load() -> Heatmap:
    """Talent's newest run with its groups and the cells it kept (of at least Talent's own
    smallest group; `skills` keeps those of at least Insights'): four queries."""
    run = SkillRun.objects.order_by("-pk").first()
    if run is None:
        return Heatmap(None)
    competencies = [
        (key, name, category)
        for key, name, category in Competency.objects.filter(version=run.version_id)
        .order_by("position", "pk")
        .values_list("key", "name", "category")
    ]
    found = Heatmap(run, competencies)
    groups = (
        SkillGroup.objects.filter(run=run)
        .select_related("team")
        .prefetch_related(Prefetch("cells", SkillCell.objects.filter(n__gte=run.min_group)))
        .order_by("pk")
    )
    for group in groups:
        cells = {cell.competency_key: (cell.n, cell.at_or_above) for cell in group.cells.all()}
        path = group.team.path if group.team is not None else ""
        found.groups.append((path, group.people, cells))
    return found


def _heatmap(run: Run) -> Heatmap:
    found: Heatmap = run.once("insights.skills", _load)
    return found


@dataclass
class Levels:
    """What the current framework expects of each person working here and the levels that
    count (as `talent.skills.count` reads them), for the managers' groups."""

    competencies: list[tuple[str, str, str]]
    expected: dict[int, dict[str, int]]
    levels: dict[int, dict[str, int]]


def _load_levels() -> Levels | None:
    framework = growth_queries.load(growth_queries.current_version())
    if framework is None:
        return None
    found = counted_now(framework)
    return Levels(
        [(c.key, c.name, c.category) for c in framework.competencies],
        found.expected,
        found.levels,
    )


def _row(name: str, category: str, counted: int, at: int) -> dict[str, object]:
    return {
        "competency": name,
        "category": {"key": category},
        "counted": counted,
        "at_or_above": at,
        "share": grouping.share(at, counted),
    }


def _drawing(rows: list[dict[str, object]]) -> dict[str, object]:
    return {
        "type": "bar",
        "x": [row["competency"] for row in rows],
        "series": [{"key": "share", "values": [row["share"] for row in rows]}],
        "y": {"min": 0, "max": 100, "title_key": "share"},
    }


def _reports(scope: Scope) -> Computed | None:
    """A manager's direct reports, counted as the heatmap counts a group."""
    shown = grouping.shown(scope)
    found: Levels | None = scope.run.once("insights.skills.levels", _load_levels)
    if not shown or found is None:
        return Computed(n=0, extra={"team_heatmap": True}) if found is not None else None
    members = shown[0].members
    cells = cells_of(
        Grouped(None, frozenset(), members), found.expected, found.levels, scope.run.min_group
    )
    rows = [
        _row(name, category, *cells[key])
        for key, name, category in found.competencies
        if key in cells
    ]
    today = scope.run.today
    return Computed(
        n=len(members),
        period=(today, today),
        rows=rows,
        chart=_drawing(rows),
        extra={"team_heatmap": True},
    )


@chart(
    "skills",
    title=_("Skills: the share at or above expectation, per competency"),
    definition=_(
        "Per competency, the people with both an expectation (their role profile) and an "
        "assessed level (agreed, else the manager's shared rating), and the share of them at "
        "or above what is expected. For a team or the organisation, the groups of Talent's "
        "organisation skills heatmap within it added up: only the heatmap's own groups and "
        "cells count, each of at least the smallest group, and smaller teams are counted with "
        "the team above them. For a manager, their direct reports working here, counted the "
        "same way. n: the people in those groups."
    ),
    columns=(
        Column("competency", _("Competency")),
        Column("category", _("Category")),
        Column("counted", _("People counted")),
        Column("at_or_above", _("At or above expectation")),
        Column("share", _("Share (%)")),
    ),
    labels={
        **{str(value): label for value, label in Category.choices},
        "share": _("At or above expectation (%)"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=50,
    template="insights/charts/skills.html",
)
def skills(scope: Scope) -> Computed | None:
    if scope.audience == MANAGER:
        return _reports(scope)
    heatmap = _heatmap(scope.run)
    if heatmap.run is None:
        return None
    base = scope.team.path if scope.audience == TEAM and scope.team is not None else None
    k = scope.run.min_group  # Insights' rule, which may be stricter than Talent's
    chosen = [
        (people, {key: cell for key, cell in cells.items() if cell[0] >= k})
        for path, people, cells in heatmap.groups
        if people >= k and (base is None or (path and path.startswith(base)))
    ]
    if not chosen:
        return None
    rows = []
    for key, name, category in heatmap.competencies:
        counted = sum(cells[key][0] for _people, cells in chosen if key in cells)
        at = sum(cells[key][1] for _people, cells in chosen if key in cells)
        if not counted:
            continue
        rows.append(_row(name, category, counted, at))
    day = timezone.localdate(heatmap.run.computed_at)
    return Computed(
        n=sum(people for people, _cells in chosen),
        period=(day, day),
        rows=rows,
        chart=_drawing(rows),
        extra={"groups": len(chosen), "counted_at": heatmap.run.computed_at.isoformat()},
    )
