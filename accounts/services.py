"""Changing how people sign in: the single sign-on settings (`accounts.sso`), by administrators,
checked and recorded in the audit log (never the client secret itself)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import sso
from accounts.models import SsoLink, SsoSettings
from cadence.env import OIDC_SCOPES, url_problem
from cadence.refusals import Refused
from organisation.rules import ADMIN, may
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

# The fields of the settings the audit log names, with their values as stored.
AUDITED = ("enabled", "provider_name", "issuer", "client_id", "scopes", "sso_only", "break_glass")


@dataclass(frozen=True)
class SsoChoice:
    """The single sign-on settings as an administrator gives them."""

    enabled: bool
    provider_name: str
    issuer: str
    client_id: str
    client_secret: str  # "": keep the one stored
    scopes: str
    sso_only: bool
    break_glass: Person | None


def _stored(row: SsoSettings) -> dict[str, Any]:
    return {
        "enabled": row.enabled,
        "provider_name": row.provider_name,
        "issuer": row.issuer,
        "client_id": row.client_id,
        "scopes": row.scopes,
        "sso_only": row.sso_only,
        "break_glass": row.break_glass_id,
    }


def _checked(choice: SsoChoice, has_secret: bool) -> dict[str, Any]:
    """The settings to store, once they hold together; else `Refused` naming each field."""
    issuer = sso.normalise_issuer(choice.issuer)
    client_id = choice.client_id.strip()
    scopes = " ".join(choice.scopes.split()) or OIDC_SCOPES
    errors: list[tuple[str, str]] = []
    problem = url_problem(issuer) if issuer else ""
    if problem:
        errors.append(
            ("issuer", _("This address does not work: %(problem)s.") % {"problem": problem})
        )
    if not {"openid", "email"} <= set(scopes.split()):
        errors.append(("scopes", _("The scopes must include openid and email.")))
    if choice.enabled:
        if not issuer:
            errors.append(("issuer", _("Give the provider's issuer address.")))
        if not client_id:
            errors.append(("client_id", _("Give the client ID the provider gave Cadence.")))
        if not has_secret:
            errors.append(("client_secret", _("Give the client secret the provider gave Cadence.")))
    if choice.sso_only and not choice.enabled:
        errors.append(("sso_only", _("Single sign-on must be on for passwords to be off.")))
    person = choice.break_glass
    if choice.sso_only and person is None:
        errors.append(
            (
                "break_glass",
                _("Choose the administrator who keeps a password, should the provider fail."),
            )
        )
    if person is not None and not (person.is_staff and person.is_active and not person.has_left):
        errors.append(("break_glass", _("Choose an administrator who can sign in.")))
    if errors:
        raise Refused(errors)
    return {
        "enabled": choice.enabled,
        "provider_name": choice.provider_name.strip(),
        "issuer": issuer,
        "client_id": client_id,
        "scopes": scopes,
        "sso_only": choice.sso_only,
        "break_glass": person.pk if person is not None else None,
    }


def save_sso_settings(
    viewer: Viewer,
    choice: SsoChoice,
    *,
    discover: Callable[[str], sso.Metadata] = sso.discover,
) -> SsoSettings:
    """Save the single sign-on settings (administrators). Switched on, the provider's discovery
    document is read first (`discover`): an address that leads nowhere, or to another issuer, is
    refused, before anyone depends on it. Refused while the environment sets single sign-on
    (OIDC_ISSUER), and in a demo installation (nothing is stored, nothing sent)."""
    if not may(viewer, ADMIN):
        raise PermissionDenied
    if settings.OIDC:
        raise Refused.on(
            "", _("Single sign-on is set on the server (OIDC_ISSUER): change it there.")
        )
    if settings.DEMO:
        raise Refused.on("", _("This is a demo installation: nothing was saved, nothing sent."))
    stored = SsoSettings.objects.filter(pk=1).first()
    has_secret = bool(choice.client_secret) or bool(stored and bytes(stored.client_secret_sealed))
    after = _checked(choice, has_secret)
    if choice.enabled:
        try:
            discover(after["issuer"])
        except sso.Refusal as refusal:
            raise Refused.on(
                "issuer",
                _("Cadence could not read the provider's OpenID configuration (%(reason)s).")
                % {"reason": refusal.detail or refusal.reason},
            ) from refusal
    with transaction.atomic():
        row = SsoSettings.objects.get_or_create(pk=1)[0]
        row = SsoSettings.objects.select_for_update().get(pk=1)
        before = _stored(row)
        for name, value in after.items():
            setattr(row, "break_glass_id" if name == "break_glass" else name, value)
        changed = audit.changes(before, after)
        if choice.client_secret:
            row.client_secret_sealed = sso.seal_secret(choice.client_secret)
            changed["client_secret"] = [None, "replaced"]
        row.save()
        if changed:
            audit.record("accounts.sso_changed", actor=viewer.person, target=row, changes=changed)
    for issuer in {before["issuer"], after["issuer"]} - {""}:
        cache.delete(sso.document_key("discovery", sso.normalise_issuer(issuer)))
    return row


def passwords_back_on(by: Person | None = None) -> bool:
    """Switch "SSO only" off in the stored settings (`manage.py passwords_on`: on the server,
    for when nobody can sign in any more). Whether it was on."""
    with transaction.atomic():
        row = SsoSettings.objects.select_for_update().filter(pk=1).first()
        if row is None or not row.sso_only:
            return False
        row.sso_only = False
        row.save(update_fields=["sso_only", "updated_at"])
        audit.record(
            "accounts.sso_changed", actor=by, target=row, changes={"sso_only": [True, False]}
        )
    return True


def unlink_sso(viewer: Viewer, email: str) -> Person:
    """Forget which account at the identity provider signs a person in (administrators): for
    when the provider made them a new account (a new subject), which their link would refuse.
    Their next sign-in links again, by the address the provider verifies. Recorded in the audit
    log when there was a link. The answer is the same whether there was one or not: whether
    someone signs in with the provider is theirs to know, not the administrator's. `Refused` on
    "email" only when nobody in Cadence has that address."""
    from people.models import Person

    if not may(viewer, ADMIN):
        raise PermissionDenied
    if settings.DEMO:
        raise Refused.on("", _("This is a demo installation: nothing was saved, nothing sent."))
    with transaction.atomic():
        person = Person.objects.filter(email__iexact=email.strip()).first()
        links = list(SsoLink.objects.select_for_update().filter(person=person) if person else [])
        if person is None:
            raise Refused.on("email", _("Nobody in Cadence has this address."))
        for link in links:
            audit.record(
                "account.sso_unlinked",
                actor=viewer.person,
                subject=person,
                target=link,
                changes={"issuer": [link.issuer, None], "subject": [link.subject, None]},
            )
            link.delete()
    return person
