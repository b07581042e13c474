"""Every write to people and teams, one function each, called by the pages (and any later API).

A service takes the viewer and data already parsed (by a form; `PersonData` and `TeamData` are
what the forms' fields give) and:
1. checks permission first, through people.rules (`PermissionDenied`: the pages answer 403), so
   that someone who may not write learns nothing about whether the data would do;
2. takes the row locks where two HR people could race: the person edited and their new manager
   (a manager loop made of two edits at once), the team and its new parent (a loop of teams);
3. checks the domain's rules on the data (a manager loop, a reporting line running through the
   editor, a team moved under itself, a leave date before the start date, an address in use)
   and raises `Refused` with (field, message) pairs, field named as the form names it: pages
   show them as the form's errors;
4. writes, and records the change in the audit log (`trust.audit`, in the same transaction:
   field by field, before and after). A manager change tells the person (Person.save,
   `people.reporting`); an address is only asked for (`accounts.email_change`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.email_change import normalise, request_email_change
from cadence import events
from cadence.refusals import Refused
from organisation import current
from organisation.services import following_moves
from people import audit as person_audit
from people import importing
from people.models import ImportMapping, Person, Role, Team
from people.reporting import (
    LEAD_REFUSAL,
    REFUSAL,
    SELF_MOVE_REFUSAL,
    TEAM_MATE_REFUSAL,
    runs_through_editor,
)
from people.rules import (
    can_add_team,
    can_edit_person,
    can_edit_team,
    can_import_people,
    can_manage_people,
)
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer
    from accounts.models import EmailChange


def _errors_of(error: ValidationError) -> list[tuple[str, str]]:
    """A model's clean() refusal as (field, message) pairs."""
    if hasattr(error, "error_dict"):
        return [
            ("" if field == "__all__" else field, message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in error.messages]


def _editor(viewer: Viewer) -> Person:
    if viewer.person is None:
        raise PermissionDenied
    return viewer.person


# --- People -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    """What HR sets on a person (the person form's fields, parsed)."""

    name: str
    email: str
    job_title: str = ""
    level: int | None = None
    team: Team | None = None
    manager: Person | None = None
    start_date: date | None = None
    role_name: str = ""

    @classmethod
    def of(cls, cleaned_data: Mapping[str, Any]) -> PersonData:
        return cls(
            name=cleaned_data["name"],
            email=cleaned_data["email"],
            job_title=cleaned_data.get("job_title") or "",
            level=cleaned_data.get("level"),
            team=cleaned_data.get("team"),
            manager=cleaned_data.get("manager"),
            start_date=cleaned_data.get("start_date"),
            role_name=cleaned_data.get("role_name") or "",
        )


@dataclass(frozen=True)
class PersonEdited:
    person: Person
    email_change: EmailChange | None  # the address asked for, pending its confirmation


def _lock_people(*ids: int | None) -> dict[int, Person]:
    """The people's rows, as stored, held until the transaction ends (in id order, so that two
    writers taking the same rows cannot deadlock)."""
    wanted = sorted({pk for pk in ids if pk is not None})
    locked = Person.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {person.pk: person for person in locked}


def address_in_use(email: str, person_id: int | None = None) -> bool:
    """Whether someone else (not `person_id`) already has this address, whatever its case."""
    others = Person.objects.filter(email__iexact=email)
    return (others.exclude(pk=person_id) if person_id else others).exists()


def _check_person(
    editor: Person,
    person: Person,
    email: str,
    stored: tuple[int | None, int | None] = (None, None),
) -> list[tuple[str, str]]:
    """The domain's rules on `person` with the new data set on it (its manager the locked
    row), given its (manager id, team id) as `stored`; `email` is the address asked for."""
    stored_manager_id, stored_team_id = stored
    errors: list[tuple[str, str]] = []
    changes_address = person.pk is None or normalise(email) != normalise(person.email)
    if changes_address and address_in_use(normalise(email), person.pk):
        errors.append(("email", _("Someone in the organisation already uses this address.")))
    manager = person.manager
    if manager is not None and manager.pk != stored_manager_id:
        # Above the new manager: their chain as stored (were the person in it, that would be
        # a cycle, which Person.clean refuses).
        ids = [*manager.chain_ids, manager.pk]
        above: dict[Hashable, Hashable | None] = dict(zip(ids[1:], ids[:-1], strict=True))
        if runs_through_editor(editor.pk, manager.pk, lambda key: above.get(key)):
            errors.append(("manager", str(REFUSAL)))
    moved = person.pk is not None and person.team_id != stored_team_id
    if moved and person.pk == editor.pk:
        errors.append(("team", str(SELF_MOVE_REFUSAL)))
    elif moved and person.team_id is not None and person.team_id == editor.team_id:
        errors.append(("team", str(TEAM_MATE_REFUSAL)))
    try:
        person.clean()  # no manager loop, no leave date before the start date
    except ValidationError as error:
        errors += _errors_of(error)
    return errors


def _apply(person: Person, data: PersonData, locked: Mapping[int, Person]) -> None:
    """Set everything but the address (which changes only once confirmed); the manager is the
    locked row, as stored now."""
    person.name = data.name
    person.job_title = data.job_title
    person.level = data.level
    person.team = data.team
    person.manager = locked.get(data.manager.pk, data.manager) if data.manager else None
    person.start_date = data.start_date


def _role(name: str) -> Role | None:
    name = name.strip()
    return Role.objects.get_or_create(name=name)[0] if name else None


def add_person(viewer: Viewer, data: PersonData) -> Person:
    """HR who may manage people adds someone, in a team within their scope. They sign in
    once invited (no password until then)."""
    if not can_manage_people(viewer):
        raise PermissionDenied
    editor = _editor(viewer)
    with transaction.atomic():
        # In the organisation's time zone until they choose their own.
        person = Person(email=normalise(data.email), time_zone=current.settings().time_zone)
        _apply(person, data, _lock_people(data.manager.pk if data.manager else None))
        errors = _check_person(editor, person, data.email)
        if errors:
            raise Refused(errors)
        if not can_edit_person(viewer, person):
            raise Refused.on("team", _("Choose a team within your part of the organisation."))
        person.role = _role(data.role_name)
        person.set_unusable_password()
        person.save()
        added = {"email": person.email, **person_audit.state(person)}
        audit.record(
            "person.added", actor=editor, subject=person, target=person, changes=audit.added(added)
        )
        events.emit(events.PERSON_ADDED, person.pk)
    return person


def edit_person(viewer: Viewer, person: Person, data: PersonData) -> PersonEdited:
    """HR who may manage `person` changes them. A new address is only asked for: it changes
    once confirmed from it (`accounts.email_change`), which the result's `email_change` says."""
    editor = _editor(viewer)
    # Moved into the pilot scope: their rhythm starts today (`following_moves`).
    with transaction.atomic(), following_moves():
        locked = _lock_people(person.pk, data.manager.pk if data.manager else None)
        stored = locked.get(person.pk)
        if stored is None or not can_edit_person(viewer, stored):
            raise PermissionDenied
        before = (stored.manager_id, stored.team_id)
        was = person_audit.state(stored)
        _apply(stored, data, locked)
        errors = _check_person(editor, stored, data.email, before)
        if errors:
            raise Refused(errors)
        if not can_edit_person(viewer, stored):
            raise Refused.on("team", _("This team is outside your part of the organisation."))
        stored.role = _role(data.role_name)
        stored.save()  # a new manager is told (people.reporting)
        changed = audit.changes(was, person_audit.state(stored))
        if changed:
            audit.record(
                "person.changed", actor=editor, subject=stored, target=stored, changes=changed
            )
        change = request_email_change(stored, data.email, by=editor)  # recorded there
    return PersonEdited(stored, change)


def mark_leaving(viewer: Viewer, person: Person, leave_date: date) -> Person:
    """HR who may manage `person` sets their last working day: their data stays, they can no
    longer sign in after it."""
    with transaction.atomic():
        stored = _lock_people(person.pk).get(person.pk)
        if stored is None or not can_edit_person(viewer, stored):
            raise PermissionDenied
        if stored.start_date and leave_date < stored.start_date:
            raise Refused.on("leave_date", _("The leave date is before the start date."))
        was = stored.leave_date
        stored.leave_date = leave_date
        stored.save(update_fields=["leave_date"])
        if was != leave_date:
            audit.record(
                "person.left",
                actor=viewer.person,
                subject=stored,
                target=stored,
                changes={"leave_date": [was, leave_date]},
            )
            events.emit(events.PERSON_LEFT, stored.pk)
    return stored


# --- Teams --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamData:
    """What HR sets on a team (the team form's fields, parsed)."""

    name: str
    parent: Team | None = None
    lead: Person | None = None

    @classmethod
    def of(cls, cleaned_data: Mapping[str, Any]) -> TeamData:
        return cls(
            name=cleaned_data["name"],
            parent=cleaned_data.get("parent"),
            lead=cleaned_data.get("lead"),
        )


def _lock_teams(*ids: int | None) -> dict[int, Team]:
    """The teams' rows, as stored, held until the transaction ends (in id order). A move
    rewrites the paths below the team moved, so a writer holding a team's row also waits for
    a move above it to finish and reads its path as it is after."""
    wanted = sorted({pk for pk in ids if pk is not None})
    locked = Team.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {team.pk: team for team in locked}


def _lead_refusal(
    editor: Person, lead: Person | None, stored_lead_id: int | None
) -> list[tuple[str, str]]:
    if lead is not None and lead.pk == editor.pk and lead.pk != stored_lead_id:
        return [("lead", str(LEAD_REFUSAL))]
    return []


def add_team(viewer: Viewer, data: TeamData) -> Team:
    """Organisation-wide HR who may manage people adds a team, anywhere in the tree."""
    if not can_add_team(viewer):
        raise PermissionDenied
    editor = _editor(viewer)
    with transaction.atomic():
        parent = None
        if data.parent is not None:
            parent = _lock_teams(data.parent.pk).get(data.parent.pk)
            if parent is None:
                raise Refused.on("parent", _("This team no longer exists."))
        errors = _lead_refusal(editor, data.lead, None)
        if errors:
            raise Refused(errors)
        team = Team(name=data.name, parent=parent, lead=data.lead)
        team.save()  # works out its path from the parent's, as locked
        audit.record(
            "team.added", actor=editor, target=team, changes=audit.added(_team_state(team))
        )
    return team


def edit_team(viewer: Viewer, team: Team, data: TeamData) -> Team:
    """HR who may manage the team renames it, gives it a lead, or moves it (with everything
    below it: the paths are worked out again) under a team they may also change, or to the top
    when their scope is the whole organisation."""
    editor = _editor(viewer)
    # Its people moved into the pilot scope with it: their rhythm starts today.
    with transaction.atomic(), following_moves():
        new_parent_id = data.parent.pk if data.parent else None
        locked = _lock_teams(team.pk, new_parent_id)
        stored = locked.get(team.pk)
        if stored is None or not can_edit_team(viewer, stored):
            raise PermissionDenied
        parent = locked.get(new_parent_id) if new_parent_id is not None else None
        if new_parent_id is not None and parent is None:
            raise Refused.on("parent", _("This team no longer exists."))
        moves = new_parent_id != stored.parent_id
        stored_lead_id = stored.lead_id
        was = _team_state(stored)
        stored.name, stored.parent, stored.lead = data.name, parent, data.lead
        errors = _lead_refusal(editor, data.lead, stored_lead_id)
        try:
            stored.clean()  # not under itself, nor under one of its sub-teams (locked paths)
        except ValidationError as error:
            errors += _errors_of(error)
        if errors:
            raise Refused(errors)
        if moves and not can_edit_team(viewer, parent):
            raise Refused.on("parent", _("Choose a team within your part of the organisation."))
        stored.save()  # moves the paths of the whole subtree along
        changed = audit.changes(was, _team_state(stored))
        if changed:
            audit.record("team.changed", actor=editor, target=stored, changes=changed)
    return stored


def _team_state(team: Team) -> dict[str, Any]:
    """The team's fields as the audit log stores them (teams and people by id)."""
    return {"name": team.name, "parent": team.parent_id, "lead": team.lead_id}


# --- The CSV import -----------------------------------------------------------------------------


def apply_import(
    viewer: Viewer,
    source: bytes | str,
    *,
    expected: str | None,
    file_name: str = "",
    reader: importing.Reader = importing.parse,
) -> importing.Plan:
    """Organisation-wide HR who may manage people applies a CSV import: planned again inside
    the transaction that writes it, and written only when valid and, with `expected`, the same
    plan as the one confirmed (else it comes back with `stale` set). The plan says which: its
    `errors` (row by row), `stale`, or `applied`. `reader`: how the file is read (the Cadence
    CSV, or an HR system's export: `people.presets.reader`)."""
    if not can_import_people(viewer):
        raise PermissionDenied
    return importing.import_people(
        source, expected=expected, editor=_editor(viewer), file_name=file_name, reader=reader
    )


# --- Import column mappings ---------------------------------------------------------------------


@dataclass(frozen=True)
class MappingData:
    """A column mapping as its form parses it (`people.forms_import.ImportMappingForm`)."""

    name: str
    system: str
    columns: Mapping[str, str]
    date_format: str
    manager_key: str
    inactive_statuses: str = ""
    leaver_statuses: str = ""


def _mapping_state(mapping: ImportMapping) -> dict[str, Any]:
    return {
        "name": mapping.name,
        "system": mapping.system,
        "columns": dict(mapping.columns),
        "date_format": mapping.date_format,
        "manager_key": mapping.manager_key,
        "inactive_statuses": mapping.inactive_statuses,
        "leaver_statuses": mapping.leaver_statuses,
    }


@transaction.atomic
def save_import_mapping(viewer: Viewer, data: MappingData) -> ImportMapping:
    """Those who may import save how to read a system's export: Workday's one mapping, or
    another system's by its name (a name saved again changes that mapping). Recorded in the
    audit log, before and after, as the organisation's other settings are."""
    if not can_import_people(viewer):
        raise PermissionDenied
    mappings = ImportMapping.objects.select_for_update()
    if data.system == ImportMapping.System.WORKDAY:
        stored = mappings.filter(system=data.system).first()
    else:
        stored = mappings.filter(name=data.name).first()
        if stored is not None and stored.system == ImportMapping.System.WORKDAY:
            raise Refused.on("name", _("This is the name of the Workday mapping."))
    named = mappings.filter(name=data.name)
    if stored is not None:
        named = named.exclude(pk=stored.pk)
    if named.exists():
        raise Refused.on("name", _("Another mapping has this name."))
    before = _mapping_state(stored) if stored is not None else {}
    mapping = stored or ImportMapping()
    mapping.name = data.name
    mapping.system = data.system
    mapping.columns = dict(data.columns)
    mapping.date_format = data.date_format
    mapping.manager_key = data.manager_key
    mapping.inactive_statuses = data.inactive_statuses
    mapping.leaver_statuses = data.leaver_statuses
    mapping.save()
    after = _mapping_state(mapping)
    changed = audit.changes(before, after) if stored is not None else audit.added(after)
    if changed:
        audit.record(
            "people.import_mapping_saved", actor=viewer.person, target=mapping, changes=changed
        )
    return mapping


@transaction.atomic
def delete_import_mapping(viewer: Viewer, mapping_id: int) -> None:
    """Those who may import remove a saved mapping (recorded in the audit log); one already
    gone is no error."""
    if not can_import_people(viewer):
        raise PermissionDenied
    mapping = ImportMapping.objects.select_for_update().filter(pk=mapping_id).first()
    if mapping is None:
        return
    state = _mapping_state(mapping)
    target = audit.target_of(mapping)
    mapping.delete()
    audit.record(
        "people.import_mapping_deleted",
        actor=viewer.person,
        target=target,
        changes={key: [value, None] for key, value in state.items() if value not in ("", {})},
    )
