"""SCIM Users: people as an identity provider sees them, and its writes to them.

Every write becomes a one-row plan of the CSV import (`people.importing`) applied by the
import's own `import_people`: the checks (a manager who left, a reporting line that would
form a cycle), the chains, the manager-change announcements, the audit log's entries and the
webhooks' events are the import's, so that provisioning and a file of the same data give the
same organisation. A request that changes nothing writes nothing (the plan is unchanged), so
repeating it is harmless.

The provider reads every person (name, address, job title, team, manager, whether their
account is on): it is the organisation's directory, given the token by an administrator, as
the server's shell reads it for `import_people`. Nothing else of anyone is served.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from scim2_models import (
    Context,
    Email,
    EnterpriseUser,
    InvalidValueException,
    Manager,
    Meta,
    MutabilityException,
    Name,
    NotFoundException,
    PatchOp,
    UniquenessException,
)

from people import importing
from people.models import Person
from scim.discovery import UserResource
from scim.models import ScimToken, ScimUser
from trust import audit

ENTERPRISE = EnterpriseUser.__schema__
SOURCE = "scim"  # the import's format, in the audit log


def people() -> QuerySet[Person]:
    """Everyone the provider may see: people not anonymised by an erasure."""
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .select_related("scim", "team")
        .order_by("pk")
    )


def get(person_id: int) -> Person:
    found = people().filter(pk=person_id).first()
    if found is None:
        raise NotFoundException(detail=f"No user {person_id}.")
    return found


def user_name_of(person: Person) -> str:
    link = _link(person)
    return link.user_name if link is not None else person.email


def _link(person: Person) -> ScimUser | None:
    try:
        return person.scim
    except ScimUser.DoesNotExist:
        return None


def to_scim(person: Person, base: str) -> Any:
    """The person as a SCIM User with the enterprise extension."""
    link = _link(person)
    user = UserResource(
        id=str(person.pk),
        external_id=(link.external_id or None) if link else None,
        user_name=user_name_of(person),
        display_name=person.name,
        title=person.job_title or None,
        active=person.is_active and not person.has_left,
        emails=[Email(value=person.email, type=Email.Type.work, primary=True)],
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=person.date_joined,
            location=f"{base}Users/{person.pk}",
        ),
    )
    extension = EnterpriseUser(department=person.team.name if person.team else None)
    if person.manager_id is not None:
        extension.manager = Manager.model_validate(
            {"value": str(person.manager_id), "$ref": f"{base}Users/{person.manager_id}"}
        )
    user[EnterpriseUser] = extension
    return user


# --- Reading what the provider sends ------------------------------------------------------------


def _with_manager_refs(payload: dict[str, Any], base: str) -> dict[str, Any]:
    """Entra ID and Okta send a manager as its id alone: the RFC's `$ref` is added, from it."""
    extension = payload.get(ENTERPRISE)
    if isinstance(extension, dict) and "manager" in extension:
        extension["manager"] = _manager_value(extension["manager"], base)
    return payload


def _manager_value(value: Any, base: str) -> Any:
    if isinstance(value, str | int):
        value = {"value": str(value)}
    if isinstance(value, dict) and value.get("value") and not value.get("$ref"):
        value = {**value, "$ref": f"{base}Users/{value['value']}"}
    if isinstance(value, dict) and not value.get("value"):
        return None
    return value


def parse(payload: dict[str, Any], base: str, context: Context) -> Any:
    try:
        return UserResource.model_validate(_with_manager_refs(payload, base), scim_ctx=context)
    except ValueError as error:
        raise InvalidValueException(detail=first_error(error)) from None


def parse_patch(payload: dict[str, Any], base: str) -> Any:
    for operation in payload.get("Operations") or []:
        if not isinstance(operation, dict):
            continue
        path = str(operation.get("path") or "")
        if path.lower() == f"{ENTERPRISE}:manager".lower():
            operation["value"] = _manager_value(operation.get("value"), base)
        elif isinstance(operation.get("value"), dict):
            _with_manager_refs(operation["value"], base)
    try:
        return PatchOp[UserResource].model_validate(
            payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
    except ValueError as error:
        raise InvalidValueException(detail=first_error(error)) from None


def first_error(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            where = ".".join(str(part) for part in found[0].get("loc", ()))
            return f"{where}: {found[0].get('msg')}" if where else str(found[0].get("msg"))
    return str(error)


def _email_of(user: Any) -> str:
    """The work address: the primary one, else a work one, else the first; else the user
    name when it is an address."""
    emails = [email for email in user.emails or [] if email.value]
    for wanted in (
        lambda e: e.primary,
        lambda e: (e.type or "").lower() == "work",
        lambda e: True,
    ):
        for email in emails:
            if wanted(email):
                return str(email.value).strip()
    if user.user_name and "@" in user.user_name:
        return str(user.user_name).strip()
    raise InvalidValueException(detail="Cadence needs the person's work e-mail address (emails).")


def _name_of(user: Any) -> str:
    if user.display_name and user.display_name.strip():
        return str(user.display_name).strip()
    name: Name | None = user.name
    if name is not None:
        if name.formatted and name.formatted.strip():
            return str(name.formatted).strip()
        parts = [name.given_name, name.middle_name, name.family_name]
        joined = " ".join(part.strip() for part in parts if part and part.strip())
        if joined:
            return joined
    raise InvalidValueException(detail="Cadence needs the person's name (displayName or name).")


def _manager_email(manager: Manager | None) -> str:
    if manager is None or not manager.value:
        return ""
    value = str(manager.value)
    found = Person.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise InvalidValueException(detail=f"manager: no user {value}.")
    return found.email.lower()


def _row(user: Any, person: Person | None) -> dict[str, str]:
    """The import's columns the request sets, as the Cadence CSV writes them."""
    row = {"email": _email_of(user), "name": _name_of(user), "job_title": user.title or ""}
    if user.active is not None:
        row["active"] = "yes" if user.active else "no"
    extension = user[EnterpriseUser]
    if extension is not None:
        department = extension.department or ""
        stored = person.team.name if person is not None and person.team else ""
        if department != stored:  # unchanged: not looked up again (a name may repeat)
            row["team"] = department
        if "manager" in extension.model_fields_set:
            row["manager_email"] = _manager_email(extension.manager)
    return row


# --- Writing ------------------------------------------------------------------------------------


def _check_user_name(user_name: str, person: Person | None) -> None:
    """A user name belongs to one person: their link's, or, unlinked, their address."""
    taken = ScimUser.objects.filter(user_name__iexact=user_name)
    addresses = Person.objects.filter(email__iexact=user_name, scim__isnull=True)
    if person is not None:
        taken, addresses = taken.exclude(person=person), addresses.exclude(pk=person.pk)
    if taken.exists() or addresses.exists():
        raise UniquenessException(detail=f"userName {user_name} is taken.")


def apply_rows(token: ScimToken, rows: list[dict[str, str]]) -> None:
    """Plan the rows as the CSV import plans a file and apply them; a refused plan changes
    nothing."""
    columns = {name for row in rows for name in row}
    parsed = importing.ParsedFile(
        columns=[name for name in importing.COLUMN_NAMES if name in columns],
        rows=[(number, row) for number, row in enumerate(rows, 2)],
        source=SOURCE,
    )
    plan = importing.import_people(parsed, file_name=f"SCIM · {token.name}")
    if not plan.is_valid:
        raise InvalidValueException(detail=" ".join(_said(error) for error in plan.errors))


# The import's columns by the SCIM attribute that sets them, for the import's errors.
ATTRIBUTES = {
    "email": "emails",
    "name": "displayName",
    "job_title": "title",
    "team": "department",
    "manager_email": "manager",
    "active": "active",
}


def _said(error: importing.RowError) -> str:
    """An import's error as the provider sent the attribute (a row number means nothing)."""
    column = ATTRIBUTES.get(error.column or "", error.column)
    return f"{column}: {error.message}" if column else error.message


def _apply_one(token: ScimToken, row: dict[str, str]) -> Person:
    apply_rows(token, [row])
    return people().get(email__iexact=row["email"])


def _link_to(person: Person, user: Any, token: ScimToken) -> None:
    link = _link(person) or ScimUser(person=person)
    external_id = user.external_id or ""
    if link.pk is not None and (link.user_name, link.external_id) == (user.user_name, external_id):
        return
    changed = audit.changes(
        {"user_name": link.user_name if link.pk else None, "external_id": link.external_id},
        {"user_name": user.user_name, "external_id": external_id},
    )
    link.user_name, link.external_id = user.user_name, external_id
    link.save()
    # The provider's names for the person, as the SSO link is logged: never their values.
    audit.record(
        "person.scim_linked",
        subject=person,
        target=f"people.person:{person.pk}",
        changes={"fields": sorted(changed), "token": token.pk},
    )


def create(token: ScimToken, user: Any) -> Person:
    """A new person, or someone already in Cadence by their address whom the provider has
    not provisioned yet (the first synchronisation matches them rather than failing). The
    same request sent twice at once: one makes the person, the other is a conflict."""
    try:
        return _create(token, user)
    except IntegrityError:
        raise UniquenessException(detail="This user was just provisioned.") from None


@transaction.atomic
def _create(token: ScimToken, user: Any) -> Person:
    email = _email_of(user)
    existing = people().filter(email__iexact=email).first()
    if existing is not None and _link(existing) is not None:
        raise UniquenessException(detail=f"A user with the address {email} exists.")
    _check_user_name(user.user_name, existing)
    person = _apply_one(token, _row(user, existing))
    _link_to(person, user, token)
    return person


@transaction.atomic
def replace(token: ScimToken, person: Person, user: Any) -> Person:
    """PUT: the person as the request describes them. Left out: the title is cleared; the
    department and manager, which providers often do not send, are kept."""
    _check_user_name(user.user_name, person)
    row = _row(user, person)
    if row["email"].lower() != person.email.lower():
        raise MutabilityException(
            detail="The e-mail address changes only when the person confirms it in Cadence."
        )
    row["email"] = person.email
    person = _apply_one(token, row)
    _link_to(person, user, token)
    return person


def patch(token: ScimToken, person: Person, operations: Any, base: str) -> Person:
    """PATCH: the operations applied to the person as served, then saved as a PUT is."""
    user = to_scim(person, base)
    user.active = person.is_active  # a leaver's account stays as it is unless the patch says
    operations.patch(user)
    if user[EnterpriseUser] is None:  # removed as a whole: no department, no manager
        user[EnterpriseUser] = EnterpriseUser(department=None, manager=None)
    return replace(token, person, user)


def deactivate(token: ScimToken, person: Person) -> None:
    """DELETE: their account is turned off, as `active: false` does; Cadence keeps the person
    and their history (an erasure is HR's decision, `trust.erasure`)."""
    apply_rows(token, [{"email": person.email, "name": person.name, "active": "no"}])
