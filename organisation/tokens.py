"""API tokens administered in the app (the Tokens tab): every working token of the installation,
and revoking them, for administrators.

Only a token's digest and its first characters (`hint`, to tell tokens apart) are stored, so
nothing here can show a secret. A revocation by an administrator is recorded in the audit log
(`token.revoked`, one entry per token) and its owner is told in Cadence and by e-mail
(`accounts.tasks.announce_tokens_revoked`), as for the other changes someone else makes to
one's account. People revoke their own tokens on their profile, as before.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from access.rules import visible
from accounts.models import ApiToken
from organisation.rules import ADMIN, may
from people.models import Person
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer


def listed(viewer: Viewer) -> QuerySet[ApiToken]:
    """The working tokens of the people the viewer may see (`access.rules`: for an
    administrator who is not HR, everyone working here; the tokens of people who left no
    longer work), with their owner's name and e-mail address and nothing else of them."""
    return (
        ApiToken.objects.active()
        .filter(person__in=visible(viewer, Person))
        .select_related("person")
        .only("name", "hint", "created_at", "last_used_at", "person__name", "person__email")
    )


def revoke(viewer: Viewer, tokens: QuerySet[ApiToken]) -> list[ApiToken]:
    """Revoke those of `tokens` that still work, each recorded in the audit log; their owners
    are told (not the administrator about their own). The tokens revoked."""
    if not may(viewer, ADMIN):
        raise PermissionDenied
    by = viewer.person
    assert by is not None
    with transaction.atomic():
        # Locked, so that a token its owner revokes meanwhile is not recorded twice.
        locked = ApiToken.objects.active().filter(pk__in=tokens.values("pk"))
        found = list(locked.select_for_update().only("person", "name").order_by("pk"))
        if not found:
            return []
        ApiToken.objects.filter(pk__in=[t.pk for t in found]).update(revoked_at=timezone.now())
        audit.append(
            [
                audit.new_entry(
                    "token.revoked",
                    actor=by,
                    subject=token.person_id,
                    target=token,
                    changes={"token": token.name},
                )
                for token in found
            ]
        )
        names: dict[int, list[str]] = defaultdict(list)
        for token in found:
            names[token.person_id].append(token.name)
        from accounts.tasks import announce_tokens_revoked

        for person_id, revoked in names.items():
            if person_id != by.pk:
                announce_tokens_revoked.enqueue(person_id=person_id, by_id=by.pk, names=revoked)
    return found
