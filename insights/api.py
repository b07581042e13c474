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


def audience_of(
    viewer: Viewer,
    wanted: str,
    among: tuple[str, ...] = rules.PAGES,
    refusal: str = NO_INSIGHTS,
) -> str:
    """The page the caller asks for (or the widest they have) of those `among`
    (`rules.may_open`); 403 with `refusal` when they have none of them, or ask for one that
    is not among them, and when the one asked for is not theirs."""
    if not wanted:
        page = rules.widest_page(viewer, among)
        if page is None:
            raise HttpError(403, gettext(refusal))
        return page
    if wanted not in among:
        raise HttpError(403, gettext(refusal))
    if not rules.may_open(viewer, wanted):
        raise HttpError(403, gettext(NOT_THIS_PAGE))
    return wanted


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
    n: int | None = Field(description="How many stand behind the figures (see n_label)")
    n_label: str = Field(description='What n counts ("People (n)", "Teams (n)")')
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
        "n_label": str(block.chart.n_label),
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


# --- Retention ------------------------------------------------------------------------------

NO_RETENTION = gettext_noop("Retention is for team leads and HR.")


class LogRankOut(Schema):
    statistic: float | None = Field(description="The log-rank chi-squared statistic")
    p: float | None = Field(description="Its p-value")
    df: int = Field(description="Degrees of freedom (1: two groups)")


class RetentionGroupOut(Schema):
    key: str = Field(description='"with_plan" or "without_plan" (active plan at the landmark)')
    label: str
    shown: bool = Field(
        description="False: fewer than min_group people, or fewer would be left by subtracting "
        "it from other teams' or bands' curves (nothing else given)"
    )
    n: int | None = Field(description="People in the group at the landmark")
    departures: int | None = Field(description="How many of them left (events), as followed")
    times: list[float] = Field(
        description="Whole months of tenure (rounded up): the landmark, each month with a "
        "departure, and the group's last observation (each person followed only while at "
        "least min_group are at risk among those in exactly the same curves)"
    )
    survival: list[float | None] = Field(description="Kaplan–Meier estimate at each time")
    lower: list[float | None] = Field(description="95 % lower bound (null: undefined)")
    upper: list[float | None] = Field(description="95 % upper bound (null: undefined)")
    at_risk: list[int] = Field(description="People still followed just before each time")
    events: list[int] = Field(description="Departures at each time")


class RetentionOut(Schema):
    audience: str
    scope: str
    team: TeamRef | None
    band: str = Field(description='The tenure band ("": every tenure; "0-1", "1-3", "3-5", "5+")')
    computed_at: datetime | None
    period_start: date | None
    period_end: date | None
    n: int | None
    min_group: int | None
    method: str = Field(description='"landmark": status at 6 months of tenure, followed on')
    landmark_months: int
    month_days: float = Field(description="Days in a month (30.4375)")
    reference: date | None = Field(description="The reference date: censoring of who stays")
    history_start: date | None = Field(description="First day plan history was kept")
    logrank: LogRankOut | None = Field(description="null: not both groups shown")
    groups: list[RetentionGroupOut]


@router.get(
    "/insights/retention",
    response=RetentionOut,
    summary="Retention of people with and without an active development plan",
    openapi_extra=_refused(gettext_noop(NO_RETENTION)),
)
def insights_retention(
    request: HttpRequest, audience: str = "", team: int | None = None, band: str = ""
) -> dict:
    """Kaplan–Meier curves of time in the organisation for the people of the caller's part
    ("organisation": a team they lead or one within it; "hr": their scope or a team within it),
    grouped by whether their development plan was active at 6 months of tenure (a landmark
    analysis), with 95 % bounds, numbers at risk, departures and the log-rank test; from the
    newest snapshot. `band`: a tenure band. Groups of fewer than `min_group` are not given."""
    viewer = viewer_of(request)
    page = audience_of(viewer, audience[:20], rules.RETENTION_PAGES, NO_RETENTION)
    params = {"band": band[:10]}
    if team is not None:
        params["team"] = str(team)
    found = queries.page_of(viewer, page, params, kinds=["retention"])
    if not found.blocks:
        raise HttpError(403, gettext(NO_RETENTION))
    block = found.blocks[0]
    snapshot, extra = block.snapshot, block.extra
    curves = {group["key"]: group for group in block.data.get("chart", {}).get("groups", [])}
    groups = []
    for fact in extra.get("groups", []):
        points = curves.get(fact["key"], {})
        groups.append(
            {
                "key": fact["key"],
                "label": block.chart.label(fact["key"]),
                "shown": fact["shown"],
                "n": fact["n"],
                "departures": fact["events"],
                **{
                    name: points.get(name, [])
                    for name in ("times", "survival", "lower", "upper", "at_risk", "events")
                },
            }
        )
    return {
        "audience": page,
        "scope": found.scope,
        "team": found.team,
        "band": block.variant,
        "computed_at": snapshot.computed_at if snapshot else None,
        "period_start": snapshot.period_start if snapshot else None,
        "period_end": snapshot.period_end if snapshot else None,
        "n": snapshot.n if snapshot else None,
        "min_group": snapshot.min_group if snapshot else None,
        "method": "landmark",
        "landmark_months": 6,
        "month_days": 30.4375,
        "reference": extra.get("reference"),
        "history_start": extra.get("history_start"),
        "logrank": extra.get("logrank"),
        "groups": groups,
    }
