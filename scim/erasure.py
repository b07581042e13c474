"""What erasure (`trust.erasure`) does to SCIM provisioning's data: the identity provider's
names and ids for an erased person go with them; tokens and teams' ids are settings."""

from __future__ import annotations

from django.db.models import Q

from scim.models import ScimGroup, ScimToken, ScimUser
from trust.erasure import Delete, keep, register

register(Delete(ScimUser, lambda pk: Q(person=pk)))
keep(
    ScimToken,
    ("name", "digest", "hint"),
    "the organisation's provisioning settings: a token's name and digest, never the token",
)
keep(ScimGroup, ("external_id",), "a team's id at the organisation's identity provider")
