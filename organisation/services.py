"""Changing the organisation's settings: each change checked against who may make it and
recorded in the audit log (`trust.audit`) with its before and after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from organisation import current, scope
from organisation.forms import (
    GeneralForm,
    ModulesForm,
    PilotForm,
    RetentionForm,
    TalentSettingsForm,
)
from organisation.models import PilotArrival, PilotTeam
from organisation.rules import ADMIN, HR, may
from people.models import Person
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer
    from organisation.models import OrgSettings
    from trust.models import TrustSettings


def _save_recorded(action: str, viewer: Viewer, form: Any, part: str) -> Any:
    """Save a settings form for those who administer its part, with an audit entry of what
    changed. None when the form has errors."""
    if not may(viewer, part):
        raise PermissionDenied
    if not form.is_valid():
        return None
    before = {name: form.initial.get(name) for name in form.changed_data}
    row = form.save()
    if form.changed_data:
        audit.record(
            action,
            actor=viewer.person,
            target=row,
            changes={name: [before[name], form.cleaned_data[name]] for name in form.changed_data},
        )
    return row


@transaction.atomic
def save_general(viewer: Viewer, form: GeneralForm) -> OrgSettings | None:
    """The organisation's name, language, time zone and week start (administrators)."""
    row: OrgSettings | None = _save_recorded("organisation.settings_changed", viewer, form, ADMIN)
    return row


@transaction.atomic
def save_retention(viewer: Viewer, form: RetentionForm) -> TrustSettings | None:
    """How long the access log is kept and when leavers are anonymised (organisation-wide
    HR)."""
    row: TrustSettings | None = _save_recorded("trust.settings_changed", viewer, form, HR)
    return row


@transaction.atomic
def save_talent_settings(viewer: Viewer, form: TalentSettingsForm) -> OrgSettings | None:
    """Whether people see their own finalised talent review placement (organisation-wide
    HR, as the other privacy settings)."""
    row: OrgSettings | None = _save_recorded("organisation.settings_changed", viewer, form, HR)
    return row


@transaction.atomic
def save_modules(viewer: Viewer, form: ModulesForm) -> OrgSettings | None:
    """Which modules are on (administrators). None when the form has errors."""
    if not may(viewer, ADMIN):
        raise PermissionDenied
    if not form.is_valid():
        return None
    row = current.row()
    before = sorted(row.modules_off or [])
    after = form.modules_off()
    if before != after:
        row.modules_off = after
        row.save(update_fields=["modules_off", "updated_at"])
        audit.record(
            "organisation.modules_changed",
            actor=viewer.person,
            target=row,
            changes={"modules_off": [before, after]},
        )
    return row


# --- The pilot scope ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PilotChange:
    """What saving the pilot did: the people who joined the scope and those who left it."""

    joined: int = 0
    left: int = 0


def _people_inside(pilot: bool, paths: list[str]) -> set[int]:
    """The people working here today inside a scope (everyone without a pilot)."""
    people = Person.objects.current()
    if pilot:
        people = people.filter(scope.paths_q("team__path", paths))
    return set(people.values_list("pk", flat=True))


@transaction.atomic
def save_pilot(viewer: Viewer, form: PilotForm) -> PilotChange | None:
    """The pilot scope (organisation-wide HR): on or off, and its teams. A team added joins
    the pilot today, in the organisation's calendar; a team kept keeps its day. The pairs
    that join the scope are scheduled from today (`conversations.scheduling.follow_scope`), so
    that nothing from before counts as overdue; those that leave it have their open rhythm
    conversations called off, everything else of theirs kept. None when the form has
    errors."""
    if not may(viewer, HR):
        raise PermissionDenied
    if not form.is_valid():
        return None
    row = current.row()
    kept = {p.team_id: p for p in PilotTeam.objects.select_related("team").select_for_update()}
    chosen = {team.pk: team for team in form.cleaned_data["teams"]}
    pilot = bool(form.cleaned_data["pilot"])
    before_paths = [p.team.path for p in kept.values()]
    before = _people_inside(row.pilot, before_paths)
    changes: dict[str, list[Any]] = {}
    if row.pilot != pilot:
        changes["pilot"] = [row.pilot, pilot]
        row.pilot = pilot
        row.save(update_fields=["pilot", "updated_at"])
    if set(kept) != set(chosen):
        names = sorted(p.team.name for p in kept.values()), sorted(t.name for t in chosen.values())
        changes["pilot_teams"] = [", ".join(names[0]), ", ".join(names[1])]
    today = scope.organisation_today()
    PilotTeam.objects.filter(team_id__in=set(kept) - set(chosen)).delete()
    for pk in set(chosen) - set(kept):
        PilotTeam.objects.create(team=chosen[pk], since=today)
    if not changes:
        return PilotChange()
    audit.record("organisation.pilot_changed", actor=viewer.person, target=row, changes=changes)
    # Read the new scope at once in this process (the saves above forgot it too), and again
    # after the commit, should another request have read it in between.
    current.forget()
    transaction.on_commit(current.forget)
    after = _people_inside(pilot, [team.path for team in chosen.values()])
    if current.settings().is_on("conversations"):
        from conversations.scheduling import follow_scope

        follow_scope(before, after, today)
    return PilotChange(joined=len(after - before), left=len(before - after))


@contextmanager
def following_moves() -> Iterator[None]:
    """Around a write that may move people across the pilot scope's edge (a person's new
    team, a team moved, a CSV import: `people.services`, `people.importing`), in its
    transaction. Whoever it brings inside joins the scope today (`PilotArrival`): their
    rhythm starts today, not on the day their new team joined the pilot, so nothing from
    before counts as overdue. The pairs it brings in or takes out are scheduled or called off
    at once (`conversations.scheduling.follow_scope`), as when the pilot widens. Nothing
    without a pilot."""
    org = current.settings()
    if not org.pilot:
        yield
        return
    paths = list(org.pilot_paths)
    before = _people_inside(True, paths)
    yield
    after = _people_inside(True, paths)
    if before == after:
        return
    today = scope.organisation_today()
    PilotArrival.objects.bulk_create(
        [PilotArrival(person_id=pk, since=today) for pk in sorted(after - before)],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["since"],
    )
    if org.is_on("conversations"):
        from conversations.scheduling import follow_scope

        follow_scope(before, after, today)
