"""Making and revoking SCIM tokens: administrators only, each recorded in the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from access.viewer import Viewer
from cadence.shortcuts import require
from organisation.rules import ADMIN, may
from people.rules import can_import_people
from scim.models import ScimToken
from trust import audit


def may_issue(viewer: Viewer) -> bool:
    """An administrator who may also import people: a token writes what the CSV import writes
    (people, teams, reporting lines), and a reporting line is a read right (a manager reads
    what is shared with them). Administering alone gives no read right, so it gives no token."""
    return may(viewer, ADMIN) and can_import_people(viewer)


def issue_token(viewer: Viewer, name: str) -> tuple[ScimToken, str]:
    """A new token and its secret, to be shown once: only its digest is kept."""
    require(may_issue(viewer))
    with transaction.atomic():
        token, raw = ScimToken.issue(name, viewer.person)
        audit.record("scim.token_issued", actor=viewer.person, target=token)
    return token, raw


def revoke_token(viewer: Viewer, token_id: int) -> ScimToken | None:
    """The token stops working at once; None when there is no such working token."""
    require(may(viewer, ADMIN))
    with transaction.atomic():
        token = ScimToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or token.revoked_at is not None:
            return None
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("scim.token_revoked", actor=viewer.person, target=token)
    return token
