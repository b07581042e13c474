"""Who may set up webhooks and chat channels: the webhooks module's one policy.

- Webhook endpoints, their secrets and their delivery log are administrators' (the Webhooks tab
  of Administration, `organisation.rules.ADMIN`): an endpoint is the installation's link to the
  organisation's other systems. The log shows each delivery's event, outcome and the receiver's
  answer, never the payload (which names people), so administering it gives no read right to
  anyone's data, as every settings tab.
- A team's chat channel is set up, changed, tested and removed by whoever manages the team:
  HR whose scope covers it and the leads of the team and of the teams it is part of (as a key
  position's, `succession.rules`). Seeing it is the same: its address is a secret, of which
  only its host and last characters are ever shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from access import relations
from access.rules import QuerySetT, Rules, register
from access.who import Group
from organisation.rules import ADMIN, may
from webhooks.models import TeamChannel

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Team

VIEW, CHANGE = "view", "change"


def administers_webhooks(viewer: Viewer) -> bool:
    """Registers endpoints, reads their log, sends test events: administrators."""
    return may(viewer, ADMIN)


def _manages_q(viewer: Viewer, team: str) -> Q:
    return relations.hr_covers_team_q(viewer, team) | relations.led_within_q(viewer, team)


def manages_team(viewer: Viewer, team: Team) -> bool:
    """Sets up the team's chat channel: HR covering the team, the leads of it and above it."""
    if not viewer.is_authenticated:
        return False
    return relations.hr_covers_team(viewer, team) or relations.is_led_within(viewer, team)


def teams_managed(viewer: Viewer, queryset: QuerySet[Team]) -> QuerySet[Team]:
    """The teams of `queryset` whose chat channel the viewer sets up."""
    if not viewer.is_authenticated:
        return queryset.none()
    return queryset.filter(_manages_q(viewer, ""))


def _managers(team: Team) -> list[Group]:
    return relations.hr_covering_team(team) + relations.leads_above(team)


@register
class TeamChannelRules(Rules[TeamChannel]):
    model = TeamChannel
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_manages_q(viewer, "team"))

    def can(self, viewer: Viewer, action: str, obj: TeamChannel) -> bool:
        return manages_team(viewer, obj.team)

    def who(self, obj: TeamChannel, action: str = VIEW) -> list[Group]:
        return _managers(obj.team)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("team")
