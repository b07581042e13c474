"""The first run's writes: claiming the installation."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.email_change import normalise
from cadence.refusals import Refused
from firstrun import codes
from firstrun.models import FirstRun
from organisation import current
from people.models import Person
from trust import audit

log = logging.getLogger(__name__)


class AlreadyClaimed(Exception):
    """Someone administers the installation already: there is nothing to claim."""


def _address_in_use(email: str) -> bool:
    return Person.objects.filter(email__iexact=email).exists()


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
    if _address_in_use(email):
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
