"""The first run's writes: claiming the installation, naming the first HR person, ticking and
putting away the checklist, finishing the guide. The guide's other steps save through the
settings' own services (`organisation.services`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import grants
from accounts import invitations
from accounts.email_change import normalise
from cadence.refusals import Refused
from firstrun import checklist, codes
from firstrun.models import FirstRun
from organisation import current
from organisation.models import OrgSettings
from organisation.rules import HR, may
from people.models import Person
from people.services import address_in_use
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer

log = logging.getLogger(__name__)


class AlreadyClaimed(Exception):
    """Someone administers the installation already: there is nothing to claim."""


@transaction.atomic
def claim(code: str, name: str, email: str, password: str, *, client: str = "") -> Person:
    """The first administrator's account, for whoever shows the set-up code printed on the
    server; the code dies with it. `AlreadyClaimed` once anyone administers the installation;
    `Refused` for a wrong or expired code, or an address in use."""
    row = FirstRun.objects.select_for_update().filter(pk=1).first()
    if codes.administrator_exists():
        raise AlreadyClaimed
    if not codes.works(row, code):
        log.warning("A set-up code that does not work was entered (client %s).", client or "?")
        raise Refused.on(
            "code",
            _(
                "This set-up code does not work: it may be mistyped, older than a day, or "
                "replaced by a newer one. Print a new one on the server with "
                "“manage.py setup_code”."
            ),
        )
    assert row is not None
    email = normalise(email)
    if address_in_use(email):
        raise Refused.on("email", _("Someone in Cadence already has this address."))
    # An administrator with every permission in the Django admin, as `createsuperuser` makes.
    person = Person(
        email=email,
        name=name.strip(),
        time_zone=current.settings().time_zone,
        is_staff=True,
        is_superuser=True,
    )
    person.set_password(password)
    person.save()
    row.code_hash = ""
    row.claimed_at = timezone.now()
    row.claimed_by = person
    row.save()
    audit.record(
        "firstrun.claimed",
        actor=person,
        subject=person,
        target=person,
        changes=audit.added({"email": person.email, "name": person.name, "is_staff": True}),
    )
    return person


@transaction.atomic
def name_first_hr(viewer: Viewer, name: str, email: str) -> Person:
    """The administrator names the first person with organisation-wide HR (`grants.
    grant_first_hr`, refused once anyone has it): someone in Cadence already, by address, or a
    new account, which is invited to choose a password. `Refused` on the form's fields."""
    if not viewer.is_admin or viewer.person is None:
        raise PermissionDenied
    admin = viewer.person
    email = normalise(email)
    person = Person.objects.filter(email__iexact=email).first()
    added = person is None
    if person is None:
        person = Person(email=email, name=name.strip(), time_zone=current.settings().time_zone)
        person.set_unusable_password()
        person.save()
        audit.record(
            "account.added",
            actor=admin,
            subject=person,
            target=person,
            changes=audit.added({"email": person.email, "name": person.name}),
        )
    try:
        grants.grant_first_hr(person, by=admin)
    except ValidationError as error:
        on = "email" if error.code in ("own_role", "cannot_sign_in") else ""
        raise Refused.on(on, error.messages[0]) from error
    if added or not person.has_usable_password():
        invitations.invite([person], by=admin)
    return person


def _row() -> FirstRun:
    return FirstRun.objects.select_for_update().get_or_create(pk=1)[0]


@transaction.atomic
def confirm(viewer: Viewer, key: str) -> None:
    """Tick a step whose choice leaves no trace of its own (every module kept on, Cadence for
    everyone, the default rhythm), by someone whose part of the settings it is."""
    step = checklist.BY_KEY.get(key)
    if step is None or not checklist.may_confirm(viewer, step):
        raise PermissionDenied
    row = _row()
    if key not in row.confirmed:
        row.confirmed = sorted({*row.confirmed, key})
        row.save(update_fields=["confirmed"])


@transaction.atomic
def dismiss(viewer: Viewer) -> bool:
    """Put the checklist away for everyone, once every step is done; False before."""
    if not (viewer.is_admin or may(viewer, HR)):
        raise PermissionDenied
    state = checklist.load()
    if state is None or not checklist.Checklist(checklist.items(viewer, state)).complete:
        return False
    row = _row()
    if row.dismissed_at is None:
        row.dismissed_at = timezone.now()
        row.save(update_fields=["dismissed_at"])
    return True


@transaction.atomic
def finish(viewer: Viewer) -> None:
    """The administrator is done with the guide: the organisation is set up
    (`OrgSettings.set_up_at`), and what is left stays on HR's checklist."""
    if not viewer.is_admin:
        raise PermissionDenied
    row = OrgSettings.objects.select_for_update().get_or_create(pk=1)[0]
    if row.set_up_at is not None:
        return
    row.set_up_at = timezone.now()
    row.save(update_fields=["set_up_at", "updated_at"])
    audit.record("organisation.set_up", actor=viewer.person, target=row)
