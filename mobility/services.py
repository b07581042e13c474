"""Every write of internal mobility, shared by the pages and the API: one function per write.

Each takes the viewer and parsed data, checks permission through `mobility.rules`, checks the
domain's limits (`Refused`, on the field as the API names it) and writes. Showing interest in
an opening tells HR whose scope covers the person (`mobility.tasks`), never the person's own
manager unless they let their manager see their wish to move.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can, visible
from cadence.refusals import Conflict, Refused, clean_text
from growth import queries as growth_queries
from mobility import rules
from mobility.models import (
    MAX_INTERESTS,
    MAX_NOTE,
    Audience,
    Interest,
    MobilityPreference,
    Opening,
    OpeningStatus,
)
from mobility.rules import CHANGE, WITHDRAW
from people.models import Person, Role, Team

if TYPE_CHECKING:
    from access.viewer import Viewer

MAX_LEVEL = 20
OPENING_FIELDS = (
    "title",
    "role_id",
    "level",
    "team_id",
    "description",
    "hiring_manager_id",
    "closes_on",
    "status",
)


# --- Open to a move -----------------------------------------------------------------------------


def save_preference(
    viewer: Viewer,
    *,
    open_to_move: bool,
    audience: str,
    tracks: Sequence[str] = (),
    roles: Sequence[int] = (),
    teams: Sequence[int] = (),
    note: str = "",
) -> MobilityPreference:
    """The viewer's own wish to move: whether they are open to one, whom they let see it and
    what interests them (track keys, role ids, team ids)."""
    me = viewer.person
    if me is None:
        raise PermissionDenied
    errors: list[tuple[str, str]] = []
    if audience not in Audience.values:
        errors.append(("audience", _("Choose who may see it.")))
    tracks = list(dict.fromkeys(tracks))
    roles = list(dict.fromkeys(roles))
    teams = list(dict.fromkeys(teams))
    framework = growth_queries.current()
    known = {track.key for track in framework.tracks} if framework else set()
    if any(key not in known for key in tracks):
        errors.append(("tracks", _("Choose career tracks of the framework.")))
    if Role.objects.filter(pk__in=roles).count() != len(roles):
        errors.append(("roles", _("Choose roles of the organisation.")))
    if Team.objects.filter(pk__in=teams).count() != len(teams):
        errors.append(("teams", _("Choose teams of the organisation.")))
    for name, chosen in (("tracks", tracks), ("roles", roles), ("teams", teams)):
        if len(chosen) > MAX_INTERESTS:
            errors.append((name, _("At most %(count)s.") % {"count": MAX_INTERESTS}))
    try:
        note = clean_text(note, "note", MAX_NOTE, required=False)
    except Refused as refused:
        errors += refused.errors
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        preference, _created = MobilityPreference.objects.select_for_update().get_or_create(
            person=me
        )
        if not can(viewer, CHANGE, preference):  # pragma: no cover - one's own, always
            raise PermissionDenied
        preference.open_to_move = open_to_move
        preference.audience = audience
        preference.tracks, preference.roles, preference.teams = tracks, roles, teams
        preference.note = note
        preference.updated_at = timezone.now()
        preference.save()
    return preference


# --- Openings -----------------------------------------------------------------------------------


def _opening_fields(viewer: Viewer, values: dict[str, Any], opening: Opening) -> None:
    """Set the opening's fields from `values` (each known field: as the API names it),
    refusing each it refuses."""
    errors: list[tuple[str, str]] = []
    was = opening.hiring_manager_id
    for name, value in values.items():
        try:
            if name == "title":
                opening.title = clean_text(value or "", "title", 200)
            elif name == "description":
                opening.description = clean_text(value or "", "description", 10000, required=False)
            elif name == "role_id":
                role = Role.objects.filter(pk=value).first() if value else None
                if role is None:
                    raise Refused.on("role_id", _("Choose a role."))
                opening.role = role
            elif name == "level":
                if value is None or not 1 <= value <= MAX_LEVEL:
                    raise Refused.on(
                        "level", _("Give a level from 1 to %(max)s.") % {"max": MAX_LEVEL}
                    )
                opening.level = value
            elif name == "team_id":
                team = Team.objects.filter(pk=value).first() if value else None
                if team is None or not rules.may_post_for(viewer, team):
                    raise Refused.on("team_id", _("Choose a team you may post openings for."))
                opening.team = team
            elif name == "hiring_manager_id":
                opening.hiring_manager_id = value
            elif name == "closes_on":
                opening.closes_on = value
            elif name == "status":
                if value not in OpeningStatus.values:
                    raise Refused.on("status", _("Choose a status."))
                opening.status = value
            else:  # pragma: no cover - a caller's typo
                raise ValueError(f"not a field of an opening: {name}")
        except Refused as refused:
            errors += refused.errors
    if not any(field == "team_id" for field, _message in errors) and opening.team_id:
        errors += _hiring_manager_errors(viewer, opening)
    if (
        opening.pk is not None
        and opening.hiring_manager_id != was
        and Interest.objects.filter(opening=opening.pk).exists()
    ):
        # Whoever showed interest was told who would see it: the hiring manager then.
        errors.append(
            (
                "hiring_manager_id",
                _(
                    "People have shown interest, told who the hiring manager is: post a new "
                    "opening to change it."
                ),
            )
        )
    if opening.closes_on is not None and opening.closes_on < opening.opened_on:
        errors.append(("closes_on", _("It cannot close before it opened.")))
    if errors:
        raise Refused(errors)


def _hiring_manager_errors(viewer: Viewer, opening: Opening) -> list[tuple[str, str]]:
    """HR names the hiring manager (anyone working here); a team's lead is it themselves."""
    if not rules.names_hiring_manager(viewer, opening.team):
        assert viewer.person is not None
        opening.hiring_manager = viewer.person
        return []
    if opening.hiring_manager_id is None:
        lead = opening.team.lead
        if lead is None:
            return [("hiring_manager_id", _("Name the hiring manager: the team has no lead."))]
        opening.hiring_manager = lead
        return []
    found = (
        visible(viewer, Person.objects.current())
        .filter(pk=opening.hiring_manager_id, is_active=True)
        .first()
    )
    if found is None:
        return [("hiring_manager_id", _("Choose someone who works here."))]
    opening.hiring_manager = found
    return []


def post_opening(
    viewer: Viewer,
    *,
    title: str,
    role_id: int | None,
    level: int | None,
    team_id: int | None,
    description: str = "",
    hiring_manager_id: int | None = None,
    closes_on: date | None = None,
) -> Opening:
    """HR posts for a team in their scope (naming its hiring manager; by default the team's
    lead), a team's lead for their team (as its hiring manager)."""
    me = viewer.person
    if me is None or not rules.may_post(viewer):
        raise PermissionDenied(_("Only HR and team leads post openings."))
    opening = Opening(posted_by=me, opened_on=timezone.localdate())
    _opening_fields(
        viewer,
        {
            "title": title,
            "role_id": role_id,
            "level": level,
            "team_id": team_id,
            "description": description,
            "hiring_manager_id": hiring_manager_id,
            "closes_on": closes_on,
        },
        opening,
    )
    opening.save()
    return opening


def change_opening(viewer: Viewer, opening: Opening, changes: dict[str, Any]) -> Opening:
    """Whoever may change the opening (HR covering its team, its hiring manager) changes any of
    `OPENING_FIELDS`; moving it to another team asks that they may post for that team."""
    if not can(viewer, CHANGE, opening):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Opening.objects.select_for_update(of=("self",))
            .select_related("team__lead")
            .get(pk=opening.pk)
        )
        if "team_id" in changes and changes["team_id"] == locked.team_id:
            changes = {k: v for k, v in changes.items() if k != "team_id"}
        _opening_fields(viewer, changes, locked)
        locked.updated_at = timezone.now()
        locked.save()
    return locked


def close_opening(viewer: Viewer, opening: Opening) -> Opening:
    return change_opening(viewer, opening, {"status": OpeningStatus.CLOSED})


# --- Interest -----------------------------------------------------------------------------------


def express_interest(viewer: Viewer, opening: Opening, note: str = "") -> Interest:
    """The viewer shows interest in an open opening (once): HR whose scope covers them and
    the opening's hiring manager see it; HR is told."""
    me = viewer.person
    if me is None:
        raise PermissionDenied
    if opening.hiring_manager_id == me.pk:
        raise Refused.on("", _("You are this opening's hiring manager."))
    note = clean_text(note, "note", MAX_NOTE, required=False)
    with transaction.atomic():
        locked = Opening.objects.select_for_update().get(pk=opening.pk)
        if not locked.is_open:
            raise Conflict(_("This opening is closed."))
        try:
            with transaction.atomic():
                interest = Interest.objects.create(person=me, opening=locked, note=note)
        except IntegrityError:
            raise Conflict(_("You already showed interest in this opening.")) from None
        from mobility.tasks import tell_hr

        tell_hr.enqueue(interest.pk)  # queued with the write (one transaction)
    return interest


def withdraw_interest(viewer: Viewer, interest: Interest) -> None:
    if not can(viewer, WITHDRAW, interest):
        raise PermissionDenied
    Interest.objects.filter(pk=interest.pk).delete()
