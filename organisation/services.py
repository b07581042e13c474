"""Changing the organisation's settings: each change checked against who may make it and
recorded in the audit log (`trust.audit`) with its before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from organisation import current
from organisation.forms import GeneralForm, ModulesForm, RetentionForm
from organisation.rules import ADMIN, HR, may
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
    """The organisation's name, language and time zone (administrators)."""
    row: OrgSettings | None = _save_recorded("organisation.settings_changed", viewer, form, ADMIN)
    return row


@transaction.atomic
def save_retention(viewer: Viewer, form: RetentionForm) -> TrustSettings | None:
    """How long the access log is kept and when leavers are anonymised (organisation-wide
    HR)."""
    row: TrustSettings | None = _save_recorded("trust.settings_changed", viewer, form, HR)
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
