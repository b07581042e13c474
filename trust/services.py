"""The trust module's writes for HR: placing and lifting a legal hold, and anonymising one
person who left on request. Each checks permission first (`trust.rules`), locks the person's
row, and records what it did in the audit log, in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence.refusals import Refused, clean_text
from people.models import Person
from trust import audit, erasure
from trust.rules import can_erase, can_hold

if TYPE_CHECKING:
    from access.viewer import Viewer

REASON_MAX = 300


def set_legal_hold(viewer: Viewer, person: Person, *, hold: bool, reason: str) -> Person:
    """Place (`hold`) or lift a legal hold on `person`, saying why: while it is on, nothing
    about them is anonymised. The reason is kept on the person while the hold lasts, and in
    the audit log for both."""
    if viewer.person is None or not can_hold(viewer, person):
        raise PermissionDenied
    reason = clean_text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        stored = Person.objects.select_for_update().filter(pk=person.pk).first()
        if stored is None or not can_hold(viewer, stored):
            raise PermissionDenied
        if stored.anonymised_at is not None:
            raise Refused.on("", _("This person is anonymised already: there is nothing to hold."))
        if stored.legal_hold == hold:
            message = _("The hold is on already.") if hold else _("There is no hold to lift.")
            raise Refused.on("", message)
        stored.legal_hold = hold
        stored.legal_hold_reason = reason if hold else ""
        stored.legal_hold_since = timezone.now() if hold else None
        stored.save(update_fields=["legal_hold", "legal_hold_reason", "legal_hold_since"])
        changes = {"legal_hold": [not hold, hold], "reason": reason}
        if hold:
            audit.record(
                "person.legal_hold_placed", actor=viewer.person, subject=stored, changes=changes
            )
        else:
            audit.record(
                "person.legal_hold_lifted", actor=viewer.person, subject=stored, changes=changes
            )
    return stored


def erase_on_request(viewer: Viewer, person: Person, *, confirmation: str) -> erasure.Erasure:
    """HR anonymises `person`, who left, now rather than after the retention period, having
    typed their name to confirm. The audit log records who did it ("person.erased")."""
    if viewer.person is None or not can_erase(viewer, person):
        raise PermissionDenied
    if " ".join(confirmation.split()).casefold() != " ".join(person.name.split()).casefold():
        raise Refused.on("confirmation", _("Type the name exactly as it is shown."))
    try:
        return erasure.erase(person, by=viewer.person)
    except erasure.NotErasable as refusal:
        raise Refused.on("", refusal.message) from refusal
