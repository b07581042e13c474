"""Insights in the API (`cadence.api_kit`): the charts of a page as the caller may see them
(their figures, table rows and chart data from the newest snapshots), and the retention
analysis. The same rules (`insights.rules`) and reads (`insights.queries`) as the pages: only
snapshots, never a computation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from access.viewer import Viewer, viewer_of
from insights import queries, rules

router = Router(tags=["insights"])

NO_INSIGHTS = gettext_noop("Insights are for managers, team leads and HR.")
NOT_THIS_PAGE = gettext_noop("You do not have this Insights page.")


def _refused(why: str) -> dict:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    return {
        "responses": {
            "403": {"description": why, "content": error},
            "404": {"description": "A team the caller does not choose from", "content": error},
        }
    }


def audience_of(viewer: Viewer, wanted: str) -> str:
    """The page the caller asks for (or the widest they have); 403 when it is not theirs."""
    if not wanted:
        for page in (rules.HR_PAGE, rules.LEADER_PAGE, rules.MANAGER_PAGE):
            if _may(viewer, page):
                return page
        raise HttpError(403, gettext(NO_INSIGHTS))
    if wanted not in queries.PAGES or not _may(viewer, wanted):
        raise HttpError(403, gettext(NOT_THIS_PAGE))
    return wanted


def _may(viewer: Viewer, page: str) -> bool:
    if page == rules.MANAGER_PAGE:
        return rules.sees_team_page(viewer)
    if page == rules.LEADER_PAGE:
        return rules.sees_leader_page(viewer)
    return rules.sees_hr_page(viewer)


class TeamRef(Schema):
    id: int
    name: str


class ColumnOut(Schema):
    key: str
    label: str


class ChartOut(Schema):
    kind: str
    title: str
    definition: str
    computed_at: datetime | None = Field(description="When the figures were computed")
    period_start: date | None
    period_end: date | None
    n: int | None = Field(description="How many people stand behind the figures")
    min_group: int | None = Field(description="The fewest people any group's figure stands for")
    variant: str = Field(description='The filter computed ahead that was chosen ("": none)')
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(description="The figures as a table, by column key")
    chart: dict[str, Any] = Field(description="The chart's series, as the page draws them")
    extra: dict[str, Any]


class ChartsOut(Schema):
    audience: str
    scope: str = Field(description='"org", "team:<id>" or "manager:<id>"')
    team: TeamRef | None
    charts: list[ChartOut]


def chart_out(block: queries.Block) -> dict[str, Any]:
    snapshot = block.snapshot
    return {
        "kind": block.kind,
        "title": str(block.chart.title),
        "definition": str(block.chart.definition),
        "computed_at": snapshot.computed_at if snapshot else None,
        "period_start": snapshot.period_start if snapshot else None,
        "period_end": snapshot.period_end if snapshot else None,
        "n": snapshot.n if snapshot else None,
        "min_group": snapshot.min_group if snapshot else None,
        "variant": block.variant,
        "columns": [{"key": c.key, "label": str(c.label)} for c in block.chart.columns],
        "rows": block.data.get("rows", []),
        "chart": block.drawing(),
        "extra": block.extra,
    }


@router.get(
    "/insights/charts",
    response=ChartsOut,
    summary="Insights' charts for my team, my part of the organisation or my HR scope",
    openapi_extra=_refused(gettext_noop(NO_INSIGHTS)),
)
def insights_charts(request: HttpRequest, audience: str = "", team: int | None = None) -> dict:
    """Every chart of the page `audience`: "team" (a manager's direct reports), "organisation"
    (a team the caller leads, or one within it) or "hr" (HR's scope, or a team within it); by
    default the widest the caller has. For `team` (an id among those the caller chooses from;
    by default the page's own scope), from the newest snapshots. A chart's filters computed
    ahead are chosen with their query parameters (`band` for retention)."""
    viewer = viewer_of(request)
    page = audience_of(viewer, audience[:20])
    params: dict[str, str] = {key: str(request.GET.get(key, "")) for key in request.GET}
    if team is not None:
        params["team"] = str(team)
    found = queries.page_of(viewer, page, params)
    return {
        "audience": page,
        "scope": found.scope,
        "team": found.team,
        "charts": [chart_out(block) for block in found.blocks],
    }
