"""SCIM Groups: the teams an identity provider provisions, and their members.

A group is a team linked to the provider (`ScimGroup`): creating one links the top-level team
already named so (the first synchronisation matches it, and its people stay) or adds a team at
the top. Members are the
team's people: adding someone moves them into the team and removing them takes them out of
it, each as a one-row plan of the CSV import (`people.importing`), as a person's team is set
by a file. Deleting a group empties and unlinks the team; Cadence keeps the team itself, with
what hangs on it (its history, its goals and surveys).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from scim2_models import (
    Context,
    Group,
    GroupMember,
    InvalidValueException,
    Meta,
    NotFoundException,
    PatchOp,
    UniquenessException,
)

from cadence.ids import IdConverter, parse_id
from people.models import Person, Team, ids_in
from scim import users
from scim.models import ScimGroup, ScimToken
from trust import audit

# RFC 7643 §3.1: an `id` is unique across all of a service provider's resources, so a group's
# is not a bare number as a user's is (user 7 and the group of team 7 were both "7", and a root
# search answered two resources with the same id).
GROUP_ID_PREFIX = "team-"


def group_id(team_pk: int) -> str:
    return f"{GROUP_ID_PREFIX}{team_pk}"


def team_pk(value: str) -> int | None:
    """The team of a group's `id` ("team-7"); None for anything else."""
    number = value.removeprefix(GROUP_ID_PREFIX)
    return parse_id(number) if value.startswith(GROUP_ID_PREFIX) else None


class GroupIdConverter(IdConverter):
    """`Groups/<group:team_id>`: a group's id ("team-7") as its team's pk, bounded as every id
    in an address is (`IdConverter`). A bare number is read too, for a provider that linked a
    group when its id was the team's pk."""

    regex = f"(?:{GROUP_ID_PREFIX})?[0-9]+"

    def to_python(self, value: str) -> int:
        number = team_pk(value) or parse_id(value)
        if number is None:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value: int) -> str:
        return group_id(value)


def teams() -> QuerySet[Team]:
    """The teams provisioned as groups, with their members (one query for a whole page)."""
    members = Prefetch("members", queryset=Person.objects.order_by("pk").only("pk", "team_id"))
    return (
        Team.objects.filter(scim__isnull=False)
        .select_related("scim")
        .prefetch_related(members)
        .order_by("pk")
    )


def get(team_id: int) -> Team:
    found = teams().filter(pk=team_id).first()
    if found is None:
        raise NotFoundException(detail=f"No group {team_id}.")
    return found


def to_scim(team: Team, base: str) -> Any:
    return Group(
        id=group_id(team.pk),
        external_id=team.scim.external_id or None,
        display_name=team.name,
        members=[
            GroupMember.model_validate(
                {"value": str(p.pk), "$ref": f"{base}Users/{p.pk}", "type": "User"}
            )
            for p in team.members.all()
        ],
        meta=Meta(resource_type="Group", location=f"{base}Groups/{group_id(team.pk)}"),
    )


def parse(payload: dict[str, Any], context: Context) -> Any:
    try:
        return Group.model_validate(payload, scim_ctx=context)
    except ValueError as error:
        raise InvalidValueException(detail=users.first_error(error)) from None


def parse_patch(payload: dict[str, Any]) -> Any:
    try:
        return PatchOp[Group].model_validate(payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    except ValueError as error:
        raise InvalidValueException(detail=users.first_error(error)) from None


def _label(team: Team) -> str:
    """The team's path of names, as the import's `team` column finds it."""
    names = dict(Team.objects.filter(pk__in=ids_in(team.path)).values_list("pk", "name"))
    return "/".join(names[pk] for pk in ids_in(team.path))


def _member_ids(group: Any) -> set[int]:
    wanted = set()
    for member in group.members or []:
        value = str(member.value or "")
        if not value.isdigit():
            raise InvalidValueException(detail=f"members: no user {value}.")
        wanted.add(int(value))
    found = set(users.people().filter(pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        missing = ", ".join(str(pk) for pk in sorted(wanted - found))
        raise InvalidValueException(detail=f"members: no user {missing}.")
    return wanted


def _set_members(token: ScimToken, team: Team, wanted: set[int], *, only_add=False) -> None:
    """Move the wanted people into the team and (unless `only_add`) the others out, in one
    plan of the import."""
    current = set(Person.objects.filter(team=team).values_list("pk", flat=True))
    label = _label(team)
    changing = wanted - current if only_add else wanted ^ current
    moved = Person.objects.filter(pk__in=changing).order_by("pk")
    rows = [
        {"email": p.email, "name": p.name, "team": label if p.pk in wanted else ""} for p in moved
    ]
    if rows:
        users.apply_rows(token, rows)


def _rename(team: Team, name: str) -> None:
    if team.name == name:
        return
    was = team.name
    team.name = name
    team.save(update_fields=["name"])
    audit.record("team.changed", target=team, changes={"name": [was, name]})


@transaction.atomic
def create(token: ScimToken, group: Any) -> Team:
    name = (group.display_name or "").strip()
    if not name or len(name) > 120:
        raise InvalidValueException(detail="displayName: a team's name, 1 to 120 characters.")
    wanted = _member_ids(group)
    same = list(Team.objects.filter(name__iexact=name, parent__isnull=True))
    if any(ScimGroup.objects.filter(team=team).exists() for team in same):
        raise UniquenessException(detail=f"A group named {name} exists.")
    if same:
        team = same[0]
    else:
        team = Team(name=name)
        team.save()
        audit.record("team.added", target=team, changes=audit.added({"name": name}))
    ScimGroup.objects.create(team=team, external_id=group.external_id or "")
    audit.record("team.scim_linked", target=team, changes={"token": token.pk})
    # A team linked keeps its people: providers make a group empty, then add its members.
    _set_members(token, team, wanted, only_add=True)
    return team


@transaction.atomic
def replace(token: ScimToken, team: Team, group: Any) -> Team:
    name = (group.display_name or "").strip()
    if not name or len(name) > 120:
        raise InvalidValueException(detail="displayName: a team's name, 1 to 120 characters.")
    wanted = _member_ids(group)
    _rename(team, name)
    if (group.external_id or "") != team.scim.external_id:
        team.scim.external_id = group.external_id or ""
        team.scim.save(update_fields=["external_id"])
    _set_members(token, team, wanted)
    return team


def patch(token: ScimToken, team: Team, operations: Any, base: str) -> Team:
    group = to_scim(team, base)
    operations.patch(group)
    return replace(token, team, group)


@transaction.atomic
def delete(token: ScimToken, team: Team) -> None:
    _set_members(token, team, set())
    ScimGroup.objects.filter(team=team).delete()
    audit.record("team.scim_unlinked", target=team, changes={"token": token.pk})
