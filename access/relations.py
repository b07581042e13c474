"""The relationship primitives the rules are written in: for rule modules (`<app>/rules.py`)
and `access` only, never for pages or the API (a test keeps it so).

Each relation comes twice with the same meaning: a SQL condition (`…_q`, on the person or
team at `field`, e.g. "owner_person") for querysets, and a check on one loaded object. The
viewer is signed in: `access.rules` answers "nothing" to anyone else before a rule is asked.

- self: the person is the viewer;
- reports: the person reports to the viewer directly;
- below: the person reports to the viewer at any depth (the viewer is in their chain);
- team-mates: the person is in the viewer's team;
- within: the viewer belongs to the team or to a team within it;
- HR scope: the person (or team) lies within the viewer's HR scope;
- participants: the viewer is one of the people an object names (a conversation's two).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, Q

from people.models import ids_in

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person, Team

NOTHING = Q(pk__in=[])


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


# --- Self ---------------------------------------------------------------------------------------


def self_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` (or the row itself, for people) is the viewer."""
    if viewer.person is None:
        return NOTHING
    return Q(**{field or "pk": viewer.person.pk})


def is_self(viewer: Viewer, person_id: int | None) -> bool:
    return viewer.person is not None and person_id == viewer.person.pk


# --- Management chain ---------------------------------------------------------------------------


def reports_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` reports to the viewer directly."""
    if viewer.person is None:
        return NOTHING
    return Q(**{f"{_prefix(field)}manager": viewer.person.pk})


def is_report(viewer: Viewer, person: Person | None) -> bool:
    return person is not None and is_self(viewer, person.manager_id)


def below_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` reports to the viewer at any depth."""
    if viewer.person is None:
        return NOTHING
    return Q(**{f"{_prefix(field)}chain__startswith": viewer.person.subtree_prefix})


def is_below(viewer: Viewer, person: Person | None) -> bool:
    return person is not None and viewer.person is not None and viewer.person.manages(person)


# --- Teams --------------------------------------------------------------------------------------


def team_mates_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` is in the viewer's team (the viewer included)."""
    if viewer.person is None or viewer.person.team_id is None:
        return NOTHING
    return Q(**{f"{_prefix(field)}team_id": viewer.person.team_id})


def is_team_mate(viewer: Viewer, person: Person | None) -> bool:
    me = viewer.person
    return (
        person is not None
        and me is not None
        and me.team_id is not None
        and (person.team_id == me.team_id)
    )


def within_q(viewer: Viewer, field: str) -> Q:
    """The viewer belongs to the team at `field` or to a team within it."""
    if viewer.person is None or viewer.person.team is None:
        return NOTHING
    return Q(**{f"{field}_id__in": ids_in(viewer.person.team.path)})


def is_within(viewer: Viewer, team: Team | None) -> bool:
    me = viewer.person
    return (
        team is not None
        and me is not None
        and me.team is not None
        and team.pk in ids_in(me.team.path)
    )


# --- HR scope -----------------------------------------------------------------------------------


def hr_covers_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` lies within the viewer's HR scope."""
    scope = viewer.hr_scope_path
    if scope is None:
        return NOTHING
    if scope == "":
        # Not Q(): an empty Q vanishes when OR-ed ("current | self | HR" would lose HR).
        return Q(**{f"{_prefix(field)}pk__isnull": False})
    return Q(**{f"{_prefix(field)}team__path__startswith": scope})


def hr_covers(viewer: Viewer, person: Person | None) -> bool:
    scope = viewer.hr_scope_path
    if scope is None or person is None:
        return False
    if scope == "":
        return True
    return person.team is not None and person.team.path.startswith(scope)


def hr_covers_team_q(viewer: Viewer, field: str = "") -> Q:
    """The team at `field` (or the row itself, for teams) lies within the viewer's HR scope."""
    scope = viewer.hr_scope_path
    if scope is None:
        return NOTHING
    return Q(**{f"{_prefix(field)}path__startswith": scope or "/"})


def hr_covers_team(viewer: Viewer, team: Team | None) -> bool:
    scope = viewer.hr_scope_path
    return scope is not None and team is not None and team.path.startswith(scope or "/")


# --- Participants -------------------------------------------------------------------------------


def participant_q(viewer: Viewer, *fields: str) -> Q:
    """The viewer is the person at one of `fields` (e.g. "employee", "manager")."""
    condition = NOTHING
    for field in fields:
        condition |= self_q(viewer, field)
    return condition


def is_participant(viewer: Viewer, obj: Model, *fields: str) -> bool:
    return any(is_self(viewer, getattr(obj, f"{field}_id")) for field in fields)


# --- Roles ----------------------------------------------------------------------------------------


def hr_manages_people(viewer: Viewer) -> bool:
    """HR who may add and change people (and so keep what belongs to the whole organisation)."""
    return viewer.hr_role is not None and viewer.hr_role.can_manage_people
