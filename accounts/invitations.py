"""Invitations: the e-mail that lets someone added to Cadence choose their password.

People added by HR (the person form) or by the CSV import have no password. An invitation
e-mail carries a link to choose one; it is sent on import (for the people added, unless the
importer turns it off) or on request from the person page (HR who may manage that person, or an
administrator), and shows there as "last invited".

The link:
- is signed (`django.core.signing`) and names the invitation and a digest of the person's
  password and last sign-in, so that it stops working once a password is chosen (by this or
  any other link) or the person signs in: it works once;
- expires `settings.INVITATION_DAYS` after it was sent, counted from the stored invitation;
- never works for someone who has left or cannot sign in;
- opens a page with the form: mail scanners that follow links change nothing. Choosing a
  password signs the person in.

Nothing here says whether an address exists: invitations are sent to people HR chose, never to
an address typed by a visitor.

During a pilot, nobody outside its scope is invited (`organisation.scope`): the person page
says why (`OutsidePilot`), the import skips them and says how many.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from access.viewer import Viewer
from accounts.models import Invitation
from organisation import scope
from people.rules import can_invite

if TYPE_CHECKING:
    from django.contrib.auth.forms import SetPasswordForm

    from people.models import Person

SALT = "accounts.invitation"


class OutsidePilot(Exception):
    """The person is outside the pilot scope: Cadence does not run for them yet. `str()` is
    the message for HR."""

    def __init__(self, person: Person) -> None:
        self.message = _(
            "%(name)s is outside the pilot teams: Cadence does not run for them yet, so they "
            "get no invitation. Invite them once their team joins the pilot."
        ) % {"name": person.name}
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def send_invitation(viewer: Viewer, person: Person) -> Invitation:
    """HR or an administrator invites `person`: the e-mail is sent by a background task.
    `OutsidePilot` for someone outside the pilot scope."""
    if not can_invite(viewer, person):
        raise PermissionDenied
    if not scope.in_scope(person):
        raise OutsidePilot(person)
    return invite([person], by=viewer.person)[0]


def invite(people: Iterable[Person], *, by: Person | None) -> list[Invitation]:
    """Record and send an invitation to each person (who may sign in) inside the pilot scope;
    no permission check: for callers that checked already (the import, the person page
    through `send_invitation`). Split off those outside first (`organisation.scope.inside`)
    to say how many were not invited."""
    now = timezone.now()
    inside, _outside = scope.inside(people)
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(person=person, sent_by=by, sent_at=now)
            for person in inside
            if person.is_active and not person.has_left
        ]
    )
    if invitations and invitations[0].pk is None:  # databases that return no ids from bulk inserts
        invitations = list(
            Invitation.objects.filter(
                sent_at=now, person__in=[i.person_id for i in invitations]
            ).select_related("person")
        )
    from accounts.tasks import send_invitation_email

    for invitation in invitations:
        send_invitation_email.enqueue(invitation.pk)
    return invitations


def last_invitation(person: Person) -> Invitation | None:
    return Invitation.objects.filter(person=person).select_related("sent_by").first()


def _state(person: Person) -> str:
    """Changes when the person chooses a password or signs in: the link then stops working."""
    last_login = "" if person.last_login is None else person.last_login.isoformat()
    value = f"{person.pk}\x00{person.password}\x00{last_login}\x00{person.email}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def token_for(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, _state(invitation.person)], salt=SALT)


def invitation_for(token: str, *, lock: bool = False) -> Invitation | None:
    """The invitation a link's token names, or None: forged, expired, used, or the person
    chose a password or signed in since, left, or cannot sign in. With `lock`, the invitation
    and the person stay locked until the transaction ends."""
    try:
        pk, state = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(state, str):
        return None
    invitations = Invitation.objects.select_related("person")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(pk=pk).first()
    if invitation is None:
        return None
    person = invitation.person
    usable = (
        invitation.used_at is None
        and invitation.expires_at > timezone.now()
        and person.is_active
        and not person.has_left
        and constant_time_compare(state, _state(person))
    )
    return invitation if usable else None


def accept(token: str, form: SetPasswordForm[Person]) -> Person | None:
    """Save the password chosen in `form` (valid) for the person the link invites; None when
    the link stopped working meanwhile (used from another tab, say)."""
    with transaction.atomic():
        invitation = invitation_for(token, lock=True)
        if invitation is None:
            return None
        form.user = invitation.person
        form.save()
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return invitation.person
