"""The visibility policy: the one place that decides who may see and change what.

Every module has moved to the uniform interface (`access.rules` and each app's `rules.py`);
what remains here are pass-throughs for the last callers.

The rules so far:
- everyone signed in sees the organisation's directory (names, job titles, teams, managers)
  of the people who work here today;
- a person sees their own data; their manager and every manager above them (the management
  chain) see what the person shares with the chain, here their employment details;
- HR sees organisation data for the people in its scope, including leavers, but never what a
  person keeps private; HR with "may manage people" adds, edits, imports and marks leavers;
- administrators administer the installation: being one grants no read rights on people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The Viewer lives in `access.viewer`; modules not yet moved to rule modules import it here.
from access.viewer import Viewer as Viewer
from access.viewer import viewer_of as viewer_of

if TYPE_CHECKING:
    from goals.models import Objective, ObjectiveQuerySet


# --- Goals ------------------------------------------------------------------------------------
#
# The goals rules are in `goals/rules.py`. These two remain for the modules that still ask
# here (feedback); remove them when those ask `access.rules` instead.


def goals_visible_to(
    viewer: Viewer, queryset: ObjectiveQuerySet | None = None
) -> ObjectiveQuerySet:
    """Deprecated: `access.rules.visible(viewer, Objective or queryset)`."""
    from access import rules
    from goals.models import Objective

    return rules.visible(viewer, Objective.objects.all() if queryset is None else queryset)


def can_view_goal(viewer: Viewer, goal: Objective) -> bool:
    """Deprecated: `access.rules.can(viewer, "view", goal)`."""
    from access import rules

    return rules.can(viewer, "view", goal)
