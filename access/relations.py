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

And each has an inverse, for "who can see this" (`access.who`): who stands in this relation to
this person or team, as a `Group` of people in a role (a list: empty where nobody can, e.g. a
person without a manager). A rule builds its `who` from the inverses of the relations its
`visible` and `can` use; `access/tests/test_who_agrees.py` checks that they agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, Q

from access import who
from access.who import Group
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


def the_person(person: Person | None, role: str = who.SELF) -> list[Group]:
    """Inverse of self: the person themselves (in `role`: "who gave it", "who wrote it")."""
    return [] if person is None else [Group(role, about=person, ids=(person.pk,))]


# --- Management chain ---------------------------------------------------------------------------


def reports_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` reports to the viewer directly."""
    if viewer.person is None:
        return NOTHING
    return Q(**{f"{_prefix(field)}manager": viewer.person.pk})


def is_report(viewer: Viewer, person: Person | None) -> bool:
    return person is not None and is_self(viewer, person.manager_id)


def manager_of(person: Person | None) -> list[Group]:
    """Inverse of reports: the person's direct manager."""
    if person is None or person.manager_id is None:
        return []
    return [Group(who.MANAGER, about=person, ids=(person.manager_id,))]


def below_q(viewer: Viewer, field: str = "") -> Q:
    """The person at `field` reports to the viewer at any depth."""
    if viewer.person is None:
        return NOTHING
    return Q(**{f"{_prefix(field)}chain__startswith": viewer.person.subtree_prefix})


def is_below(viewer: Viewer, person: Person | None) -> bool:
    return person is not None and viewer.person is not None and viewer.person.manages(person)


def chain_of(
    person: Person | None, role: str = who.CHAIN, about: Person | Team | None = None
) -> list[Group]:
    """Inverse of below: everyone above the person in their management chain."""
    if person is None or not person.chain_ids:
        return []
    return [Group(role, about=about or person, ids=tuple(person.chain_ids))]


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


def team_mates_of(person: Person | None) -> list[Group]:
    """Inverse of team-mates: everyone in the person's team, the person included."""
    if person is None or person.team_id is None:
        return []
    return [Group(who.TEAM, about=person, team_id=person.team_id)]


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


def members_within(team: Team | None) -> list[Group]:
    """Inverse of within: everyone in the team or in a team within it."""
    return [] if team is None else [Group(who.WITHIN, about=team, within=team.path)]


def lead_of(team: Team | None) -> list[Group]:
    """Inverse of self on a team's lead: the lead."""
    if team is None or team.lead_id is None:
        return []
    return [Group(who.LEAD, about=team, ids=(team.lead_id,))]


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


def path_of(person: Person | None) -> str:
    """The team path HR must cover to cover the person ("": no team, only HR for all)."""
    return person.team.path if person is not None and person.team is not None else ""


def hr_covering(
    person: Person | None, *, also: tuple[str, ...] = (), managing: bool = False
) -> list[Group]:
    """Inverse of HR scope: HR whose scope covers the person (and the team paths `also`, e.g.
    a 360 cycle's scope it must run), only those who may manage people when `managing`."""
    if person is None:
        return []
    role = who.HR_MANAGING if managing else who.HR
    return [Group(role, covering=(path_of(person), *also), managing=managing)]


def hr_covering_team(
    team: Team | None, *, managing: bool = False, excluding: tuple[int, ...] = ()
) -> list[Group]:
    """Inverse of HR scope over a team: HR whose scope covers the team."""
    if team is None:
        return []
    role = who.HR_MANAGING if managing else who.HR
    return [Group(role, covering=(team.path,), managing=managing, excluding=excluding)]


def hr_with_scope(
    paths: tuple[str, ...] = (), *, managing: bool = False, excluding: tuple[int, ...] = ()
) -> list[Group]:
    """HR whose scope covers each of `paths` ("": HR for the whole organisation only; no paths:
    any HR), only those who may manage people when `managing`."""
    role = who.HR_MANAGING if managing else who.HR
    return [Group(role, covering=paths, managing=managing, excluding=excluding)]


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


def participants(obj: Model, roles: dict[str, str], about: Person | None = None) -> list[Group]:
    """Inverse of participants: the person at each field, in its role ({"giver": GIVER}),
    relative to `about` (by default, to themselves). A field that must name someone but does
    not yet (an example object, for My data) is the role alone, nobody named."""
    groups = []
    for name, role in roles.items():
        if getattr(obj, f"{name}_id") is None:
            if not obj._meta.get_field(name).null:
                groups.append(Group(role, about=about, example=True))
            continue
        person = getattr(obj, name)
        groups.append(Group(role, about=about or person, ids=(person.pk,)))
    return groups


def everyone() -> list[Group]:
    """Everyone signed in."""
    return [Group(who.EVERYONE, everyone=True)]


# --- Roles ----------------------------------------------------------------------------------------


def hr_manages_people(viewer: Viewer) -> bool:
    """HR who may add and change people (and so keep what belongs to the whole organisation)."""
    return viewer.hr_role is not None and viewer.hr_role.can_manage_people


# --- Leads of a part of the organisation --------------------------------------------------------


def led_within_q(viewer: Viewer, field: str = "") -> Q:
    """The team at `field` (or the row itself, for teams) is one the viewer leads, or lies
    within one they lead (their part of the organisation)."""
    if viewer.person is None:
        return NOTHING
    from django.db.models import Exists, F, OuterRef
    from django.db.models.lookups import StartsWith

    from people.models import Team

    led = Team.objects.filter(lead=viewer.person.pk).filter(
        StartsWith(OuterRef(f"{_prefix(field)}path"), F("path"))
    )
    return Q(Exists(led))


def is_led_within(viewer: Viewer, team: Team | None) -> bool:
    """The team is one the viewer leads or lies within one (a query: the leads above it)."""
    if viewer.person is None or team is None:
        return False
    from people.models import Team

    return Team.objects.filter(pk__in=ids_in(team.path), lead=viewer.person.pk).exists()


def leads_above(team: Team | None, *, excluding: tuple[int, ...] = ()) -> list[Group]:
    """Inverse of led-within: the leads of the team and of every team it is part of."""
    if team is None:
        return []
    return [Group(who.LEADS_ABOVE, about=team, leading=team.path, excluding=excluding)]
