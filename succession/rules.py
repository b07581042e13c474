"""Who may see and do what with key positions and their succession plans: the succession
module's one policy.

- A key position (and so its succession plan) is managed by HR whose scope covers the
  position's team and by the leaders of its part of the organisation: the lead of its team and
  the leads of the teams it is part of. They see it, change it, archive it, and name, change
  and remove its candidates.
- A candidacy (a named person in a succession plan) is seen by those who manage the position,
  by HR whose scope covers the candidate, and by the candidate's management chain (their
  manager and above): never by the candidate themselves (My data tells them they are named
  and who sees it, not what it says), never by peers or colleagues, never by an administrator
  as such. Its history (`CandidacyChange`) is seen by whoever sees the candidacy.
- The chain and HR covering only the candidate see the candidacy; changing it is for those who
  manage the position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from access import relations
from access.rules import QuerySetT, Rules, register
from access.who import Group
from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person, Team

VIEW, CHANGE = "view", "change"


# --- Managing a position: HR covering its team, the leads of its part --------------------------


def _manages_q(viewer: Viewer, team: str) -> Q:
    return relations.hr_covers_team_q(viewer, team) | relations.led_within_q(viewer, team)


def _manages(viewer: Viewer, team: Team) -> bool:
    return relations.hr_covers_team(viewer, team) or relations.is_led_within(viewer, team)


def _managers(team: Team, excluding: tuple[int, ...] = ()) -> list[Group]:
    return relations.hr_covering_team(team, excluding=excluding) + relations.leads_above(
        team, excluding=excluding
    )


@register
class KeyPositionRules(Rules[KeyPosition]):
    model = KeyPosition
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_manages_q(viewer, "team"))

    def can(self, viewer: Viewer, action: str, obj: KeyPosition) -> bool:
        return _manages(viewer, obj.team)

    def who(self, obj: KeyPosition, action: str = VIEW) -> list[Group]:
        return _managers(obj.team)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("team")


# --- A candidacy -------------------------------------------------------------------------------


def _candidacy_q(viewer: Viewer, action: str) -> Q:
    manages = _manages_q(viewer, "position__team")
    if action == VIEW:
        manages |= relations.hr_covers_q(viewer, "person") | relations.below_q(viewer, "person")
    # Never the candidate: not even as HR or a lead of the position's part.
    return manages & ~relations.self_q(viewer, "person")


def _candidacy_can(viewer: Viewer, action: str, obj: SuccessionCandidate | CandidacyChange) -> bool:
    person: Person = obj.person
    if relations.is_self(viewer, person.pk):
        return False
    if action == VIEW and (
        relations.hr_covers(viewer, person) or relations.is_below(viewer, person)
    ):
        return True
    return _manages(viewer, obj.position.team)


def _candidacy_who(obj: SuccessionCandidate | CandidacyChange, action: str) -> list[Group]:
    person: Person = obj.person
    mine = (person.pk,)
    groups = _managers(obj.position.team, excluding=mine)
    if action == VIEW:
        groups += relations.hr_covering(person)
        groups = [_without(group, mine) for group in groups]
        groups += relations.chain_of(person)
    return groups


def _without(group: Group, ids: tuple[int, ...]) -> Group:
    from dataclasses import replace

    return replace(group, excluding=tuple(sorted({*group.excluding, *ids})))


class _Candidacy(Rules[SuccessionCandidate | CandidacyChange]):
    reads = (
        "person__name",
        "person__chain",
        "person__team__path",
        "person__team__name",
        "position__team__path",
        "position__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_candidacy_q(viewer, action))

    def can(self, viewer: Viewer, action: str, obj: SuccessionCandidate | CandidacyChange) -> bool:
        return _candidacy_can(viewer, action, obj)

    def who(self, obj: SuccessionCandidate | CandidacyChange, action: str = VIEW) -> list[Group]:
        return _candidacy_who(obj, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person__team", "position__team")


@register
class SuccessionCandidateRules(_Candidacy):
    model = SuccessionCandidate
    actions = (VIEW, CHANGE)


@register
class CandidacyChangeRules(_Candidacy):
    model = CandidacyChange
    actions = (VIEW,)


# --- Not about one object ----------------------------------------------------------------------


def may_name_candidate(viewer: Viewer, position: KeyPosition) -> bool:
    """Naming candidates for the position: whoever manages it."""
    return _manages(viewer, position.team)


def teams_managed(viewer: Viewer) -> QuerySet[Team]:
    """The teams in which the viewer may mark key positions: HR's scope, the leads' parts."""
    from people.models import Team

    return Team.objects.filter(relations.hr_covers_team_q(viewer) | relations.led_within_q(viewer))


def sees_succession(viewer: Viewer) -> bool:
    """Whether Talent's main page shows the succession card: HR and the leads of a team (a
    query for anyone not HR)."""
    from people.models import Team

    if viewer.person is None:
        return False
    return viewer.is_hr or Team.objects.filter(relations.self_q(viewer, "lead")).exists()
