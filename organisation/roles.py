"""HR roles administered in the app (the Roles tab): who has one, and granting, changing and
revoking them for administrators.

Every change goes through `access.grants`, so that its rules hold here as in the Django admin
and on the server: nobody grants or widens a role of their own, a grant needs someone else with
organisation-wide HR to be told, and every change is announced by e-mail and audited. This
module only adds who may use the page (`organisation.rules.ADMIN`) and says no the way pages
do (`cadence.refusals.Refused`). Administering roles gives the administrator no read right:
what they may see stays `access.rules`' alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from access import grants
from access.models import HRRole
from access.rules import visible
from cadence.refusals import Refused
from organisation.rules import ADMIN, may
from people.models import Person, Team

if TYPE_CHECKING:
    from access.viewer import Viewer


def _require(viewer: Viewer) -> Person:
    if not may(viewer, ADMIN):
        raise PermissionDenied
    assert viewer.person is not None
    return viewer.person


def listed(viewer: Viewer) -> QuerySet[HRRole]:
    """The HR roles of the people the viewer may see (`access.rules`: for an administrator who
    is not HR, everyone working here, not those who left, who cannot sign in anyway), with what
    the page shows: the person's name and e-mail address, and the scope."""
    return (
        HRRole.objects.filter(person__in=visible(viewer, Person))
        .select_related("person", "scope")
        .only("can_manage_people", "person__name", "person__email", "scope__name", "scope__path")
        .order_by(Lower("person__name"), "pk")
    )


def nobody_else_told(viewer: Viewer) -> bool:
    """No one but the viewer has organisation-wide HR to be told of a grant: every grant on the
    page would be refused (`grants.check_grant`), and the first HR is granted on the server."""
    from access.tasks import recipients

    assert viewer.person is not None
    # The HR that `recipients` lists besides its person, who is the viewer here.
    return not recipients(viewer.person)[1:]


def refusal(viewer: Viewer, person: Person) -> str | None:
    """Why any change of `person`'s role by the viewer would be refused (their own role, or
    nobody else with organisation-wide HR to tell), for the page to say before it is tried;
    None when it may be made."""
    try:
        grants.check_grant(person, viewer.person)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def is_last_organisation_wide(role: HRRole) -> bool:
    """Is `role` the last organisation-wide HR of someone working here? Then, once it is
    revoked, the next grant has to be made on the server."""
    from access.tasks import recipients

    return role.scope_id is None and not recipients(role.person)[1:]


def _refused(error: ValidationError) -> Refused:
    return Refused([("", message) for message in error.messages])


def grant(viewer: Viewer, person: Person, *, scope: Team | None, can_manage_people: bool) -> HRRole:
    """Give `person` an HR role. Someone who has one already has it changed on its own page,
    so that a grant never silently widens a role."""
    by = _require(viewer)
    if HRRole.objects.filter(person=person).exists():
        raise Refused.on(
            "person",
            _("%(name)s already has an HR role: change it in the list.") % {"name": person.name},
        )
    try:
        return grants.grant_hr(person, scope=scope, can_manage_people=can_manage_people, by=by)
    except ValidationError as error:
        raise _refused(error) from None


def change(
    viewer: Viewer, role: HRRole, *, scope: Team | None, can_manage_people: bool
) -> tuple[HRRole, bool]:
    """Change the scope or the right to manage people of `role`; (the role, whether anything
    changed)."""
    by = _require(viewer)
    before = (role.scope_id, role.can_manage_people)
    try:
        role = grants.grant_hr(role.person, scope=scope, can_manage_people=can_manage_people, by=by)
    except ValidationError as error:
        raise _refused(error) from None
    return role, (role.scope_id, role.can_manage_people) != before


def revoke(viewer: Viewer, role: HRRole) -> bool:
    """End `role` (one's own too: giving a role up is allowed); False when it had already
    ended."""
    by = _require(viewer)
    return grants.revoke_hr(role.person, by=by)
