"""Every write of key positions and succession plans, for pages and API alike.

Each takes the viewer and parsed data, checks permission through `succession.rules` (whoever
manages the position: HR in scope, the leads of its part), then the domain's limits, then
writes. A candidate or an incumbent is chosen among the people the viewer may see
(`access.rules.visible`): anyone else is refused as if they did not exist, so that the power
to write names nobody the viewer could not see. Every change to a candidacy is kept in
`CandidacyChange`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can, visible
from cadence.refusals import Conflict, Refused, clean_text
from people.models import Person, Role, Team
from succession.models import (
    MAX_RANK,
    CandidacyChange,
    ChangeKind,
    KeyPosition,
    Readiness,
    SuccessionCandidate,
)
from succession.rules import CHANGE

if TYPE_CHECKING:
    from access.viewer import Viewer

MAX_LEVEL = 20


def _today() -> date:
    return timezone.localdate()


def _require(viewer: Viewer, obj: KeyPosition | SuccessionCandidate) -> None:
    if not can(viewer, CHANGE, obj):
        raise PermissionDenied(_("Only HR in scope and the leads of its part manage it."))


def _chosen(viewer: Viewer, person_id: int | None, field: str) -> Person | None:
    """The person among those the viewer may see who work here, else refused naming nobody."""
    if person_id is None:
        return None
    found = visible(viewer, Person.objects.current()).filter(pk=person_id, is_active=True).first()
    if found is None:
        raise Refused.on(field, _("Choose someone from the suggestions."))
    return found


def _position_fields(
    viewer: Viewer,
    *,
    team_id: int,
    role_id: int,
    level: int,
    title: str,
    incumbent_id: int | None,
    why_key: str,
) -> dict[str, Any]:
    errors: list[tuple[str, str]] = []
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not can(viewer, CHANGE, KeyPosition(team=team)):
        errors.append(("team_id", _("Choose a team in your part of the organisation.")))
    role = Role.objects.filter(pk=role_id).first()
    if role is None:
        errors.append(("role_id", _("Choose a role.")))
    if not 1 <= level <= MAX_LEVEL:
        errors.append(("level", _("A level from 1 to %(max)s.") % {"max": MAX_LEVEL}))
    try:
        title = clean_text(title, "title", 120)
    except Refused as refused:
        errors += refused.errors
    try:
        why_key = clean_text(why_key, "why_key", 5000, required=False)
    except Refused as refused:
        errors += refused.errors
    try:
        incumbent = _chosen(viewer, incumbent_id, "incumbent_id")
    except Refused as refused:
        errors += refused.errors
        incumbent = None
    if errors:
        raise Refused(errors)
    return {
        "team": team,
        "role": role,
        "level": level,
        "title": title,
        "incumbent": incumbent,
        "why_key": why_key,
    }


def create_position(viewer: Viewer, **data: Any) -> KeyPosition:
    """Mark a position as key: a role at a level in a team the viewer manages."""
    if viewer.person is None:
        raise PermissionDenied
    fields = _position_fields(viewer, **data)
    return KeyPosition.objects.create(created_by=viewer.person, **fields)


def update_position(viewer: Viewer, position: KeyPosition, **data: Any) -> KeyPosition:
    """Change a key position (moving it, only to a team the viewer manages too)."""
    _require(viewer, position)
    fields = _position_fields(viewer, **data)
    with transaction.atomic():
        locked = KeyPosition.objects.select_for_update().get(pk=position.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
    return locked


def archive_position(viewer: Viewer, position: KeyPosition, *, archived: bool) -> KeyPosition:
    """Archive a key position (no longer key: kept, with its plan, out of the lists) or bring
    it back."""
    _require(viewer, position)
    KeyPosition.objects.filter(pk=position.pk).update(
        archived_at=timezone.now() if archived else None
    )
    position.refresh_from_db(fields=["archived_at"])
    return position


# --- Candidates --------------------------------------------------------------------------------


def _state(candidacy: SuccessionCandidate) -> dict[str, Any]:
    return {
        "readiness": candidacy.readiness,
        "readiness_on": candidacy.readiness_on.isoformat() if candidacy.readiness_on else None,
        "rank": candidacy.rank,
        "emergency": candidacy.emergency,
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def _candidate_fields(
    *, readiness: str, readiness_on: date, rank: int, emergency: bool, notes: str
) -> dict[str, Any]:
    errors: list[tuple[str, str]] = []
    if readiness not in Readiness.values:
        errors.append(("readiness", _("Choose a readiness.")))
    if readiness_on > _today():
        errors.append(("readiness_on", _("The evidence cannot be from the future.")))
    elif readiness_on < _today() - timedelta(days=3650):
        errors.append(("readiness_on", _("Evidence from the last ten years, please.")))
    if not 1 <= rank <= MAX_RANK:
        errors.append(("rank", _("A rank from 1 to %(max)s.") % {"max": MAX_RANK}))
    try:
        notes = clean_text(notes, "notes", 5000, required=False)
    except Refused as refused:
        errors += refused.errors
    if errors:
        raise Refused(errors)
    return {
        "readiness": readiness,
        "readiness_on": readiness_on,
        "rank": rank,
        "emergency": emergency,
        "notes": notes,
    }


def _unset_emergency(viewer: Viewer, position: KeyPosition, keep: int | None) -> None:
    """The position's emergency successor is no longer (another is now), in the history."""
    others = SuccessionCandidate.objects.filter(position=position, emergency=True)
    if keep is not None:
        others = others.exclude(pk=keep)
    for other in others:
        other.emergency = False
        other.save(update_fields=["emergency"])
        CandidacyChange.objects.create(
            position=position,
            person_id=other.person_id,
            candidacy=other,
            kind=ChangeKind.CHANGED,
            changes={"emergency": [True, False]},
            by=viewer.person,
        )


def add_candidate(
    viewer: Viewer, position: KeyPosition, *, person_id: int, **data: Any
) -> SuccessionCandidate:
    """Name someone in the position's succession plan. Naming them as the emergency successor
    makes the one before no longer so."""
    _require(viewer, position)
    if position.archived:
        raise Refused.on("", _("This key position is archived."))
    person = _chosen(viewer, person_id, "person_id")
    assert person is not None
    if viewer.person is not None and person.pk == viewer.person.pk:
        raise Refused.on("person_id", _("You cannot name yourself in a succession plan."))
    if person.pk == position.incumbent_id:
        raise Refused.on("person_id", _("They hold the position already."))
    fields = _candidate_fields(**data)
    try:
        with transaction.atomic():
            KeyPosition.objects.select_for_update().get(pk=position.pk)
            if SuccessionCandidate.objects.filter(position=position, person=person).exists():
                raise Refused.on("person_id", _("They are in this succession plan already."))
            if fields["emergency"]:
                _unset_emergency(viewer, position, None)
            candidacy = SuccessionCandidate.objects.create(
                position=position, person=person, recorded_by=viewer.person, **fields
            )
            CandidacyChange.objects.create(
                position=position,
                person=person,
                candidacy=candidacy,
                kind=ChangeKind.NAMED,
                changes=_diff({}, _state(candidacy)),
                by=viewer.person,
            )
    except IntegrityError:  # named at the same time by someone else
        raise Conflict(_("Someone changed this succession plan meanwhile.")) from None
    return candidacy


def update_candidate(
    viewer: Viewer, candidacy: SuccessionCandidate, **data: Any
) -> SuccessionCandidate:
    """Change a candidacy's readiness, its evidence's date, rank, emergency flag or notes."""
    _require(viewer, candidacy)
    fields = _candidate_fields(**data)
    try:
        with transaction.atomic():
            KeyPosition.objects.select_for_update().get(pk=candidacy.position_id)
            locked = SuccessionCandidate.objects.select_for_update().filter(pk=candidacy.pk).first()
            if locked is None:
                raise Conflict(_("This candidate was removed meanwhile."))
            before = _state(locked)
            notes_changed = locked.notes != fields["notes"]
            if fields["emergency"] and not locked.emergency:
                _unset_emergency(viewer, candidacy.position, locked.pk)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.recorded_by = viewer.person
            locked.recorded_at = timezone.now()
            locked.save()
            changes: dict[str, Any] = _diff(before, _state(locked))
            if notes_changed:
                changes["notes"] = [None, "changed"]
            if changes:
                CandidacyChange.objects.create(
                    position_id=locked.position_id,
                    person_id=locked.person_id,
                    candidacy=locked,
                    kind=ChangeKind.CHANGED,
                    changes=changes,
                    by=viewer.person,
                )
    except IntegrityError:
        raise Conflict(_("Someone changed this succession plan meanwhile.")) from None
    return locked


def remove_candidate(viewer: Viewer, candidacy: SuccessionCandidate) -> None:
    """Take someone out of the succession plan (the history keeps that they were in it)."""
    _require(viewer, candidacy)
    with transaction.atomic():
        CandidacyChange.objects.create(
            position_id=candidacy.position_id,
            person_id=candidacy.person_id,
            candidacy=None,
            kind=ChangeKind.REMOVED,
            changes={key: [value, None] for key, value in _state(candidacy).items()},
            by=viewer.person,
        )
        SuccessionCandidate.objects.filter(pk=candidacy.pk).delete()
