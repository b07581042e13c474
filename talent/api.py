"""Talent's skills heatmaps in the API (`cadence.api_kit`): a manager's team heatmap, and the
organisation heatmap as the caller may see it (their part, as groups of at least the smallest
group, with skill concentration). The same rules (`talent.rules`) and reads (`talent.queries`)
as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from access.viewer import viewer_of
from cadence.api_kit import Id, PersonRef
from talent import queries, rules
from talent.queries import MAX_PLACE

router = Router(tags=["talent"])

HOW = (
    "The share of people whose agreed (else manager's) level is at or above what their role "
    "profile expects, among the group's people with both an expectation and a level (n)."
)


class CompetencyOut(Schema):
    key: str
    name: str
    category: str


class TeamCellOut(Schema):
    competency: str  # its key
    level: int | None = Field(description="The level that counts now; null: not assessed")
    expected: int | None = Field(description="What their role profile expects; null: nothing")
    assessed_on: date | None
    source: str = Field(description='"agreed", "manager" or "" (not assessed)')
    state: str = Field(description='"below", "at", "above", "not_assessed" or "not_expected"')


class TeamRowOut(Schema):
    person: PersonRef
    step: str | None = Field(description='Their role profile\'s step ("management-4"), if any')
    cells: list[TeamCellOut]


class TeamHeatmapOut(Schema):
    framework_version: int | None
    competencies: list[CompetencyOut]
    people: list[TeamRowOut]


class TeamRef(Schema):
    id: int
    name: str


class GroupCellOut(Schema):
    competency: str
    n: int | None = Field(description="People behind the figure; null: fewer than min_group")
    at_or_above: int | None
    share: int | None = Field(description="Whole percent at or above expectation")


class GroupOut(Schema):
    team: TeamRef | None = Field(description="null: people without a team")
    smaller_teams: int = Field(description="How many smaller teams below it are counted in it")
    cells: list[GroupCellOut]
    concentrated: list[str] = Field(
        description="Competencies (keys) where only one of the group is at or above expectation"
    )


class ConcentrationOut(Schema):
    team: TeamRef | None = Field(description="null: people without a team")
    smaller_teams: int = Field(description="How many smaller teams below it are counted in it")
    competencies: list[str] = Field(
        description="Competencies (keys) where only one of the group is at or above expectation"
    )


class OrganisationHeatmapOut(Schema):
    computed_at: datetime | None = Field(description="When the figures were counted")
    framework_version: int | None
    min_group: int = Field(description="The fewest people any figure stands for")
    how: str
    competencies: list[CompetencyOut]
    groups: list[GroupOut]
    next_after: str | None = Field(
        description="Pass as `after` for the next groups (where they start in the tree); null: "
        "no more"
    )
    concentration: list[ConcentrationOut] = Field(
        description="Skill concentration of every group (of `under`), not only of these: the "
        "first 50 groups that depend on one person for a competency, in the tree's order"
    )
    more_concentration: bool = Field(description="More groups depend on one person than listed")


def _refused(why: str) -> dict:
    """The 403 a caller who may not see a heatmap gets, for OpenAPI."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    return {"responses": {"403": {"description": why, "content": error}}}


MANAGERS_ONLY = gettext_noop("Only a manager has a team heatmap.")
LEADS_AND_HR = gettext_noop("Only team leads and HR see the organisation heatmap.")


def _competencies(found) -> list[dict]:
    return [{"key": c.key, "name": c.name, "category": c.category} for c in found]


@router.get(
    "/talent/skills/team",
    response=TeamHeatmapOut,
    summary="My team's skills heatmap (a manager's reports)",
    openapi_extra=_refused(MANAGERS_ONLY),
)
def skills_team(
    request: HttpRequest, sort: str = "name", category: str = "", below: bool = False
) -> dict:
    """Each of the caller's direct reports × the framework's competencies (of `category`):
    the level that counts now against what their role profile expects. `sort`: "name" or a
    competency key (furthest below first); `below`: only people below expectation."""
    viewer = viewer_of(request)
    if not rules.sees_team_heatmap(viewer):
        raise HttpError(403, gettext(MANAGERS_ONLY))
    heatmap = queries.team_heatmap(viewer, sort=sort[:60], category=category[:60], below_only=below)
    return {
        "framework_version": heatmap.framework.version.number if heatmap.framework else None,
        "competencies": _competencies(heatmap.competencies),
        "people": [
            {
                "person": row.person,
                "step": row.step.id if row.step else None,
                "cells": [
                    {
                        "competency": cell.key,
                        "level": cell.level,
                        "expected": cell.expected,
                        "assessed_on": cell.on,
                        "source": cell.source,
                        "state": cell.state,
                    }
                    for cell in row.cells
                ],
            }
            for row in heatmap.rows
        ],
    }


@router.get(
    "/talent/skills/organisation",
    response=OrganisationHeatmapOut,
    summary="The organisation's skills heatmap, as I may see it",
    openapi_extra=_refused(LEADS_AND_HR),
)
def skills_organisation(
    request: HttpRequest,
    category: str = "",
    under: Id | None = None,
    after: str | None = Query(None, max_length=MAX_PLACE),
) -> dict:
    """The groups of the caller's part of the organisation (the teams they lead and within
    them; HR: their scope) × the competencies, from the newest count (`computed_at`), in the
    order of the organisation's tree, 50 at a time: `under` (a team's id) narrows them to that
    team and the teams below it; `next_after` is the `after` of the next 50 (null on the last):
    they start right after the last of these, whatever was counted again in between. With the
    skill concentration of every group (`concentration`), not only of these. No figure stands
    for fewer than `min_group` people, and there are no totals."""
    viewer = viewer_of(request)
    paths = rules.led_paths(viewer)
    if not rules.sees_organisation_heatmap(viewer, paths):
        raise HttpError(403, gettext(LEADS_AND_HR))
    team = queries.team_to_show(under)
    if under is not None and team is None:
        raise HttpError(404, gettext("Not found."))
    heatmap = queries.organisation_heatmap(
        viewer, paths, category=category[:60], under=team, after=after
    )
    run = heatmap.run
    return {
        "computed_at": run.computed_at if run else None,
        "framework_version": run.version.number if run else None,
        "min_group": heatmap.min_group,
        "how": HOW,
        "competencies": _competencies(heatmap.competencies),
        "groups": [
            {
                "team": row.group.team,
                "smaller_teams": row.group.smaller_teams,
                "cells": [
                    {
                        "competency": cell.key,
                        "n": cell.n,
                        "at_or_above": cell.at_or_above,
                        "share": cell.share,
                    }
                    for cell in row.cells
                ],
                "concentrated": row.concentrated,
            }
            for row in heatmap.rows
        ],
        "next_after": heatmap.next,
        "concentration": [
            {
                "team": row.group.team,
                "smaller_teams": row.group.smaller_teams,
                "competencies": [competency.key for competency in competencies],
            }
            for row, competencies in heatmap.concentrated
        ],
        "more_concentration": heatmap.more_concentrated,
    }
