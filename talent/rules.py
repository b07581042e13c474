"""Who may see which part of Talent's skills heatmaps. Plain functions: the heatmaps are no
object of their own (a manager's is their reports' levels, which `growth.rules` decides; the
organisation's is a count of groups of people, `talent.models`).

- The team heatmap: a manager, of their direct reports who work here in the pilot scope (whose
  levels are theirs to see as a whole, `growth.rules.sees_levels_of`).
- The organisation heatmap and skill concentration: a team's lead for the teams they lead and
  the teams within them; HR for the teams their scope covers (HR for the whole organisation:
  every group, people without a team included). Figures only, each of at least
  `insights.rules.smallest_group()` people: Insights' smallest group, so that no figure of
  either stands for fewer people than the other's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from access import relations
from growth import rules as growth_rules
from people.models import Person

if TYPE_CHECKING:
    from access.viewer import Viewer

# --- The team heatmap ---------------------------------------------------------------------------


def sees_team_heatmap(viewer: Viewer) -> bool:
    """The team heatmap: whoever manages someone who works here."""
    return viewer.is_authenticated and viewer.is_manager


def heatmap_reports(viewer: Viewer) -> QuerySet[Person]:
    """The people on the viewer's team heatmap: their direct reports working here today,
    inside the pilot scope (each one's levels theirs to see, `growth.rules.sees_levels_of`)."""
    return growth_rules.assessable_reports(viewer)


def sees_levels_of(viewer: Viewer, person: Person) -> bool:
    return growth_rules.sees_levels_of(viewer, person)


# --- The organisation heatmap -------------------------------------------------------------------


def led_paths(viewer: Viewer) -> list[str]:
    """The paths of the teams the viewer leads (`Viewer.led_paths`: one query, once)."""
    return list(viewer.led_paths)


def sees_organisation_heatmap(viewer: Viewer, paths: list[str] | None = None) -> bool:
    """The organisation heatmap and skill concentration: HR, and whoever leads a team (`paths`:
    `led_paths(viewer)`, when already read)."""
    if not viewer.is_authenticated:
        return False
    if viewer.is_hr:
        return True
    return bool(led_paths(viewer) if paths is None else paths)


def heatmap_groups_q(viewer: Viewer, paths: list[str], field: str = "team") -> Q:
    """The organisation heatmap's groups the viewer sees (on the group's team at `field`):
    those of the teams they lead (`paths`) and within them, those HR's scope covers."""
    condition = relations.NOTHING
    for path in paths:
        condition |= Q(**{f"{field}__path__startswith": path})
    if viewer.hr_scope_path == "":
        return Q(pk__isnull=False)  # every group, people without a team included
    if viewer.hr_scope_path is not None:
        condition |= relations.hr_covers_team_q(viewer, field)
    return condition
