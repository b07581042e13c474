"""Who may see which of Insights' figures. Plain functions: the figures are no object of their
own, but counts of groups of people computed ahead (`insights.models.Snapshot`, by scope).

- A manager's page: whoever manages someone who works here, of their direct reports (scope
  "manager:<their id>").
- A leader's page: whoever leads a team, of the teams they lead and every team within them
  (scope "team:<id>", one of those teams at a time).
- HR's page: HR, of their scope: the whole organisation ("org") for HR for the whole
  organisation, else the team their scope is, and every team within it ("team:<id>"); HR
  also asks for the figures to be computed again now.

`may_open` is the one rule of who opens which page: the page, its charts' CSVs and the API
all ask it (retention only on the pages of `RETENTION_PAGES`).

Figures only, each of at least `smallest_group()` people. Nothing names a person, so nothing
of it goes to the access log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from access import relations
from feedback.models import FeedbackSettings
from insights import scopes
from surveys.models import SurveySettings

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Team

# The fewest people any group's figure stands for, whatever the settings.
MIN_GROUP = 5

MANAGER_PAGE, LEADER_PAGE, HR_PAGE = "team", "organisation", "hr"


def smallest_group() -> int:
    """The fewest people behind any group's figure: 5, or the organisation's anonymity
    thresholds (360 reports, surveys) when larger."""
    return max(
        MIN_GROUP,
        FeedbackSettings.load().anonymity_threshold,
        SurveySettings.load().anonymity_threshold,
    )


def sees_team_page(viewer: Viewer) -> bool:
    """A manager's page: whoever manages someone who works here."""
    return viewer.is_authenticated and viewer.is_manager


def led_paths(viewer: Viewer) -> list[str]:
    """The paths of the teams the viewer leads (`Viewer.led_paths`: one query, once)."""
    return list(viewer.led_paths)


def sees_leader_page(viewer: Viewer, paths: list[str] | None = None) -> bool:
    """A leader's page: whoever leads a team (`paths`: `led_paths(viewer)`, if read)."""
    if not viewer.is_authenticated:
        return False
    return bool(led_paths(viewer) if paths is None else paths)


def sees_hr_page(viewer: Viewer) -> bool:
    return viewer.is_authenticated and viewer.is_hr


def computes_on_demand(viewer: Viewer) -> bool:
    """Ask for the figures to be computed now: HR."""
    return sees_hr_page(viewer)


# The pages, the widest first (what the API gives when the caller names none).
PAGES = (HR_PAGE, LEADER_PAGE, MANAGER_PAGE)
# The pages with retention: it is computed for teams and the organisation, not for a
# manager's reports.
RETENTION_PAGES = (HR_PAGE, LEADER_PAGE)


def may_open(viewer: Viewer, page: str) -> bool:
    """The one rule of who opens an Insights page: the page itself, its charts' CSVs and the
    API's answers for it all ask this."""
    if page == MANAGER_PAGE:
        return sees_team_page(viewer)
    if page == LEADER_PAGE:
        return sees_leader_page(viewer)
    if page == HR_PAGE:
        return sees_hr_page(viewer)
    return False


def widest_page(viewer: Viewer, among: tuple[str, ...] = PAGES) -> str | None:
    """The widest of the pages `among` the viewer opens (None: none of them)."""
    return next((page for page in among if may_open(viewer, page)), None)


def manager_scope(viewer: Viewer) -> str:
    """The scope of a manager's page: their direct reports."""
    assert viewer.person is not None
    return scopes.manager_scope(viewer.person.pk)


def teams_q(viewer: Viewer, page: str, paths: list[str] | None = None) -> Q:
    """The teams (a Team query) whose figures the viewer chooses from on `page`: on a
    leader's, the teams they lead (`paths`) and those within them; on HR's, those of their
    scope."""
    if page == LEADER_PAGE:
        condition = relations.NOTHING
        for path in led_paths(viewer) if paths is None else paths:
            condition |= Q(path__startswith=path)
        return condition
    if page == HR_PAGE:
        return relations.hr_covers_team_q(viewer)
    return relations.NOTHING


def whole_organisation(viewer: Viewer) -> bool:
    """HR for the whole organisation: their page's default scope is "org"."""
    return viewer.hr_scope_path == ""


def hr_scope_team_id(viewer: Viewer) -> int | None:
    """The team HR for a part of the organisation covers (None: the whole, or not HR)."""
    role = viewer.hr_role
    return role.scope_id if role is not None else None


def reads_scope(viewer: Viewer, page: str, team: Team | None) -> bool:
    """May the viewer read the figures of `team` (None: the page's own scope) on `page`?"""
    if page == MANAGER_PAGE:
        return team is None and sees_team_page(viewer)
    if page == LEADER_PAGE:
        if team is None:
            return sees_leader_page(viewer)
        return any(team.path.startswith(path) for path in led_paths(viewer))
    if page == HR_PAGE:
        if team is None:
            return sees_hr_page(viewer)
        return relations.hr_covers_team(viewer, team)
    return False
