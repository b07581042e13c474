"""Granting, changing and revoking HR roles: the one way they change, for the admin and for
`manage.py grant_hr` on the server.

HR reads 360 reports and employment details, so a grant is a read right. Two rules keep an
administrator from quietly giving it to themselves:
- nobody grants, widens or otherwise changes a role of their own (revoking it is allowed);
- in the admin, a grant or change needs someone else with organisation-wide HR to tell;
- every grant, change and revocation is announced by e-mail to the person and to everyone with
  organisation-wide HR, who can object. The first HR of an installation is granted on the
  server (`grant_hr`), where nobody acts through the web; that is announced too;
- one exception, `grant_first_hr`: during the first run of a fresh installation, while nobody
  has organisation-wide HR, its administrator names the first HR person (someone else) in the
  first-run guide (`firstrun`); announced and recorded like every grant;
- and recorded in the audit log (`trust.audit`), in the same transaction: who, for whom, the
  scope and the right to manage people before and after.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from access.models import HRRole
from people.models import Person, Team
from trust import audit
from trust.actions import ORGANISATION

GRANTED, CHANGED, REVOKED = "granted", "changed", "revoked"


def check_grant(person: Person | None, by: Person | None) -> None:
    """Refuse a grant or change of `person`'s role made by `person` themselves, and one made
    in the admin (`by` set) when nobody else with organisation-wide HR would be told: an
    administrator could otherwise make an account of their own HR with no one to notice."""
    if by is None or person is None:
        return
    if by.pk == person.pk:
        raise ValidationError(
            _(
                "You cannot grant or change a role of your own: ask another administrator, or "
                "run “manage.py grant_hr” on the server."
            ),
            code="own_role",
        )
    from access.tasks import recipients

    # Someone other than the person granted and the one granting: they could both be the
    # same administrator (a second account on a mailbox of their own).
    if not [hr for hr in recipients(person)[1:] if hr.pk != by.pk]:
        raise ValidationError(
            _(
                "Nobody else has organisation-wide HR to be told of this: grant it on the "
                "server with “manage.py grant_hr”."
            ),
            code="first_hr",
        )


@transaction.atomic
def grant_hr(
    person: Person,
    *,
    scope: Team | None = None,
    can_manage_people: bool = True,
    by: Person | None = None,
) -> HRRole:
    """Give `person` HR for `scope` (None: the whole organisation), or change their role to it.

    `by` is the administrator acting, or None on the server. Announced unless nothing changed.
    """
    check_grant(person, by)
    return _grant(person, scope, can_manage_people, by)


def _hr_ever_revoked() -> bool:
    from trust.models import AuditEntry

    return AuditEntry.objects.filter(action=f"hr_role.{REVOKED}").exists()


@transaction.atomic
def grant_first_hr(person: Person, *, by: Person) -> HRRole:
    """The first run's exception to "a grant made through the web needs someone else with
    organisation-wide HR to tell": on a fresh installation, before its first-run guide is
    finished (`OrgSettings.set_up_at`) and while nobody has organisation-wide HR, the
    administrator `by` gives organisation-wide HR, with the right to manage people, to
    `person`, who must be someone else. There is nobody yet who could be told, and whoever
    claimed the installation showed the set-up code printed on the server (`firstrun`), where
    `grant_hr` would do the same. The grant is announced to the person by e-mail and recorded
    in the audit log, as every grant.

    Refused (`ValidationError`) once anyone has organisation-wide HR or the organisation is
    set up: from then on the rules above hold (the admin, or `grant_hr` on the server)."""
    from organisation.models import OrgSettings

    if not by.is_staff or not by.is_active:
        raise PermissionDenied
    if by.pk == person.pk:
        raise ValidationError(
            _(
                "You cannot grant a role of your own: name someone else, or run "
                "“manage.py grant_hr” with your address on the server."
            ),
            code="own_role",
        )
    if not person.is_active or person.has_left:
        raise ValidationError(
            _("%(name)s cannot sign in: name someone who works here.") % {"name": person.name},
            code="cannot_sign_in",
        )
    # The settings' row locked: two administrators naming an HR person at once are taken one
    # after the other, and the second finds the first's grant.
    OrgSettings.objects.get_or_create(pk=1)  # a row to lock, also before anything was set
    settings_row = OrgSettings.objects.select_for_update().get(pk=1)
    # Past the first run once the guide is finished, or once an HR role was ever revoked: the
    # last organisation-wide HR revoked does not reopen the exception (an administrator alone
    # must not give HR's read rights to someone nobody else is told of).
    if settings_row.set_up_at is not None or _hr_ever_revoked():
        raise ValidationError(
            _(
                "The organisation is set up: HR roles are granted in the admin, or on the server "
                "with “manage.py grant_hr”."
            ),
            code="set_up",
        )
    if HRRole.objects.filter(scope__isnull=True).exists():
        raise ValidationError(
            _(
                "Someone has organisation-wide HR already: further HR roles are granted in the "
                "admin, where they are told of it."
            ),
            code="hr_exists",
        )
    return _grant(person, None, True, by)


def _grant(
    person: Person, scope: Team | None, can_manage_people: bool, by: Person | None
) -> HRRole:
    """Give or change the role, record it and announce it (the checks are the callers')."""
    role = HRRole.objects.select_for_update().filter(person=person).first()
    was = _state(role)
    if role is None:
        role = HRRole.objects.create(
            person=person, scope=scope, can_manage_people=can_manage_people
        )
        kind = GRANTED
    elif role.scope_id == (scope.pk if scope else None) and (
        role.can_manage_people == can_manage_people
    ):
        return role
    else:
        role.scope = scope
        role.can_manage_people = can_manage_people
        role.save(update_fields=["scope", "can_manage_people"])
        kind = CHANGED
    _record(kind, role, by, audit.changes(was, _state(role)))
    _announce(kind, role, by)
    return role


@transaction.atomic
def revoke_hr(person: Person, *, by: Person | None = None) -> bool:
    """End `person`'s HR role; True when there was one. Anyone may give up their own."""
    role = HRRole.objects.select_for_update().filter(person=person).first()
    if role is None:
        return False
    target = audit.target_of(role)  # before the delete forgets its id
    role.delete()
    _record(REVOKED, role, by, audit.changes(_state(role), _state(None)), target)
    _announce(REVOKED, role, by)
    return True


def _state(role: HRRole | None) -> dict[str, object]:
    """The role as the audit log stores it (no role: both None)."""
    if role is None:
        return {"scope": None, "can_manage_people": None}
    return {"scope": role.scope_id or ORGANISATION, "can_manage_people": role.can_manage_people}


def _record(
    kind: str,
    role: HRRole,
    by: Person | None,
    changes: dict[str, list[object]],
    target: str | None = None,
) -> None:
    """The entry names the role by id, which the admin's history of it uses too: erasing the
    person finds that history by it, not by a name (`people.erasure`)."""
    audit.record(
        f"hr_role.{kind}",
        actor=by,
        subject=role.person_id,
        target=target or audit.target_of(role),
        changes=changes,
    )


def _announce(kind: str, role: HRRole, by: Person | None) -> None:
    from access.tasks import announce_hr_role

    announce_hr_role.enqueue(
        kind=kind,
        person_id=role.person_id,
        by_id=by.pk if by is not None else None,
        scope_id=role.scope_id,
        can_manage_people=role.can_manage_people,
    )
