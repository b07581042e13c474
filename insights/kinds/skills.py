"""The skills heatmap, summed up: per competency, how many of the people counted in Talent's
newest organisation heatmap (`talent.skills`: disjoint groups of at least the smallest group,
cells of at least as many) within the scope are at or above what their role profile expects.
Only the heatmap's kept cells are added up, so every figure is a sum of whole cells that the
same readers see on Talent's page; the page links there for the groups themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from growth.models import Category, Competency
from insights import grouping
from insights.charts import Column, Computed, chart
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope
from talent.models import SkillCell, SkillGroup, SkillRun


@dataclass
class Heatmap:
    run: SkillRun | None
    # (key, name, category) in the framework's order
    competencies: list[tuple[str, str, str]] = field(default_factory=list)
    # (team path or "" without a team, people, {competency key: (n, at or above)})
    groups: list[tuple[str, int, dict[str, tuple[int, int]]]] = field(default_factory=list)


def _load() -> Heatmap:
    """Talent's newest run with its groups and kept cells: four queries."""
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


@chart(
    "skills",
    title=_("Skills: the share at or above expectation, per competency"),
    definition=_(
        "From Talent's organisation skills heatmap, the groups within this part of the "
        "organisation added up: per competency, the people with both an expectation (their "
        "role profile) and an assessed level (agreed, else the manager's shared rating), and "
        "the share of them at or above what is expected. Only the heatmap's own groups and "
        "cells count, each of at least the smallest group; smaller teams are counted with the "
        "team above them. n: the people in those groups."
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
        # A manager's reports are no group of the organisation heatmap: their levels, person
        # by person, are on Talent's team heatmap (the page links to it).
        return Computed(n=0, extra={"team_heatmap": True})
    heatmap = _heatmap(scope.run)
    if heatmap.run is None:
        return None
    base = scope.team.path if scope.audience == TEAM and scope.team is not None else None
    chosen = [
        (people, cells)
        for path, people, cells in heatmap.groups
        if base is None or (path and path.startswith(base))
    ]
    if not chosen:
        return None
    rows = []
    for key, name, category in heatmap.competencies:
        counted = sum(cells[key][0] for _people, cells in chosen if key in cells)
        at = sum(cells[key][1] for _people, cells in chosen if key in cells)
        if not counted:
            continue
        rows.append(
            {
                "competency": name,
                "category": {"key": category},
                "counted": counted,
                "at_or_above": at,
                "share": grouping.share(at, counted),
            }
        )
    day = timezone.localdate(heatmap.run.computed_at)
    return Computed(
        n=sum(people for people, _cells in chosen),
        period=(day, day),
        rows=rows,
        chart={
            "type": "bar",
            "x": [row["competency"] for row in rows],
            "series": [{"key": "share", "values": [row["share"] for row in rows]}],
            "y": {"min": 0, "max": 100, "title_key": "share"},
        },
        extra={"groups": len(chosen), "counted_at": heatmap.run.computed_at.isoformat()},
    )
