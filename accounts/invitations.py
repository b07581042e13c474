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
says why (`OutsidePilot`), the import and the Invitations tab skip them and say how many.

Every invitation sent, whichever page or command sent it, goes through `invite`, which records
it in the audit log ("person.invited").

HR follows who has not accepted yet (`not_accepted`: never signed in) on the Invitations tab
and in the API, each person in one of three states: not invited, invited (the last link still
works) or expired, and invites them one at a time (`send_invitation`) or many at once
(`send_invitations`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from access.viewer import Viewer
from accounts.models import Invitation
from cadence.ids import MAX_ID
from cadence.refusals import Conflict
from organisation import scope
from people.models import Person
from people.rules import can_invite, can_invite_people, invitable
from trust import audit

if TYPE_CHECKING:
    from django.contrib.auth.forms import SetPasswordForm

SALT = "accounts.invitation"


class OutsidePilot(Conflict):
    """The person is outside the pilot scope: Cadence does not run for them yet (the API's
    409). `str()` is the message for HR."""

    def __init__(self, person: Person) -> None:
        super().__init__(
            _(
                "%(name)s is outside the pilot teams: Cadence does not run for them yet, so they "
                "get no invitation. Invite them once their team joins the pilot."
            )
            % {"name": person.name}
        )


def send_invitation(viewer: Viewer, person: Person) -> Invitation:
    """HR or an administrator invites `person`: the e-mail is sent by a background task.
    `OutsidePilot` for someone outside the pilot scope."""
    if not can_invite(viewer, person):
        raise PermissionDenied
    if not scope.in_scope(person):
        raise OutsidePilot(person)
    return invite([person], by=viewer.person)[0]


@transaction.atomic
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
    by_id = {person.pk: person for person in inside}
    audit.append(
        [
            audit.new_entry(
                "person.invited",
                actor=by,
                subject=invitation.person_id,
                target=invitation,
                # The address the link went to: the sign-in it lets someone choose a password for.
                changes=audit.added({"email": by_id[invitation.person_id].email}),
            )
            for invitation in invitations
        ]
    )
    from accounts.tasks import send_invitation_email

    for invitation in invitations:
        send_invitation_email.enqueue(invitation.pk)
    return invitations


# --- Who has not accepted ------------------------------------------------------------------------

NOT_INVITED, WAITING, EXPIRED = "not_invited", "waiting", "expired"
# Each state's label, where one person's state is shown.
STATE_LABELS: dict[str, StrOrPromise] = {
    NOT_INVITED: gettext_lazy("Not invited"),
    WAITING: gettext_lazy("Invited"),
    EXPIRED: gettext_lazy("Expired"),
}


def _expired_before() -> datetime:
    """An invitation sent before then has expired (`Invitation.expires_at`)."""
    return timezone.now() - timedelta(days=settings.INVITATION_DAYS)


def not_accepted(viewer: Viewer) -> QuerySet[Person]:
    """The people the viewer may invite (`people.rules.invitable`) who have not accepted: they
    never signed in. Each with `last_invited_at` (None: never invited), their team loaded (for
    `organisation.scope.in_scope`), in name order."""
    last = Invitation.objects.filter(person=OuterRef("pk")).order_by("-sent_at").values("sent_at")
    return (
        invitable(viewer)
        .filter(last_login__isnull=True)
        .annotate(last_invited_at=Subquery(last[:1]))
        .select_related("team")
        .order_by("name", "pk")
    )


def _state_q(state: str) -> Q:
    if state == NOT_INVITED:
        return Q(last_invited_at__isnull=True)
    if state == WAITING:
        return Q(last_invited_at__gt=_expired_before())
    if state == EXPIRED:
        return Q(last_invited_at__lte=_expired_before())
    raise ValueError(f"No such state: {state!r}")


def in_state(people: QuerySet[Person], state: str) -> QuerySet[Person]:
    """`not_accepted` people narrowed to one state (NOT_INVITED, WAITING or EXPIRED)."""
    return people.filter(_state_q(state))


def state_of(person: Person) -> str:
    """A `not_accepted` person's state, from their `last_invited_at`."""
    sent: datetime | None = getattr(person, "last_invited_at", None)
    if sent is None:
        return NOT_INVITED
    return WAITING if sent > _expired_before() else EXPIRED


def counts(people: QuerySet[Person]) -> dict[str, int]:
    """How many `not_accepted` people are in each state (one query)."""
    return people.order_by().aggregate(
        **{state: Count("pk", filter=_state_q(state)) for state in STATE_LABELS}
    )


@dataclass(frozen=True)
class Sent:
    """What `send_invitations` did."""

    invitations: list[Invitation]
    outside: int  # outside the pilot: not invited
    skipped: int  # asked for, but not the viewer's to invite or no longer waiting (signed in)

    @property
    def sent(self) -> int:
        return len(self.invitations)


def send_invitations(
    viewer: Viewer, *, ids: Collection[int] | None = None, state: str | None = None
) -> Sent:
    """HR or an administrator invites, in one go, people who have not accepted and whom they
    may invite: those with `ids`, or everyone in `state` (NOT_INVITED: "invite everyone not
    invited yet"). Those outside the pilot are not invited, only counted; so are the ids that
    are not (or no longer) in the viewer's list."""
    if not can_invite_people(viewer):
        raise PermissionDenied
    people = not_accepted(viewer)
    if ids is not None:
        wanted = set(ids)
        chosen = list(people.filter(pk__in=wanted))
        skipped = len(wanted) - len(chosen)
    else:
        chosen = list(in_state(people, state or NOT_INVITED))
        skipped = 0
    inside = [person for person in chosen if scope.in_scope(person)]  # team loaded: no query
    return Sent(invite(inside, by=viewer.person), len(chosen) - len(inside), skipped)


def last_invitation(person: Person) -> Invitation | None:
    return Invitation.objects.filter(person=person).select_related("sent_by").first()


def _state(person: Person) -> str:
    """Changes when the person chooses a password or signs in: the link then stops working."""
    last_login = "" if person.last_login is None else person.last_login.isoformat()
    value = f"{person.pk}\x00{person.password}\x00{last_login}\x00{person.email}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def token_for(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, _state(invitation.person)], salt=SALT)


OPEN, USED, GONE, BROKEN = "open", "used", "gone", "broken"


@dataclass(frozen=True)
class Link:
    """What an invitation link's token leads to: its `state`, and the invitation (OPEN only).

    - OPEN: it works: the page to choose a password;
    - USED: the person has a password now, chosen with this link or another, or has signed in
      since: they sign in (or reset a forgotten password);
    - GONE: it expired unused: HR sends a new one, or "Forgot your password?" does;
    - BROKEN: anything else (forged, cut short, for someone who left or cannot sign in, whose
      address changed since): it says only that it does not work.
    """

    state: str
    invitation: Invitation | None = None


def link_of(token: str, *, lock: bool = False) -> Link:
    """What `token` leads to. With `lock`, the invitation and the person stay locked until the
    transaction ends."""
    try:
        pk, state = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return Link(BROKEN)
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID or not isinstance(state, str):
        return Link(BROKEN)
    invitations = Invitation.objects.select_related("person")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(pk=pk).first()
    if invitation is None:
        return Link(BROKEN)
    person = invitation.person
    if not person.is_active or person.has_left:
        return Link(BROKEN)
    if invitation.used_at is not None or not constant_time_compare(state, _state(person)):
        has_account = person.last_login is not None or person.has_usable_password()
        return Link(USED if invitation.used_at is not None or has_account else BROKEN)
    if invitation.expires_at <= timezone.now():
        return Link(GONE)
    return Link(OPEN, invitation)


def invitation_for(token: str, *, lock: bool = False) -> Invitation | None:
    """The invitation a link's token names while it works (`link_of` says OPEN), or None:
    forged, expired, used, or the person chose a password or signed in since, left, or cannot
    sign in."""
    return link_of(token, lock=lock).invitation


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
