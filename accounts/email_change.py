"""Changing someone's e-mail address: the one way it changes, whoever asks.

The address is the account: whoever reads its mailbox can reset the password. So HR (on the
person page), an administrator (in the admin) or anyone else only *asks* for a change:
- a one-time link, signed and expiring, goes to the new address; nothing changes until it is
  confirmed from there;
- the old address is told at once, with a link to cancel (also on the profile page);
- when someone other than the person asked, the change cannot take effect before the old
  address had `EMAIL_CHANGE_NOTICE_HOURS` to object, even when confirmed sooner: whoever
  typed a mailbox they control cannot confirm it before the person could say no.
  (`manage.py run_jobs` applies changes confirmed early once that time has passed.)
- when it takes effect, every session ends (the session hash includes the address, see
  `Person._get_session_auth_hash`) and every API token is revoked.

A person's address is never saved any other way: `refuse_unconfirmed_change` (a pre-save
signal) stops any code path that would.

A change someone else asked for (HR, an administrator, the server) is recorded in the audit log
twice, in the transactions that make them: when it is asked for and when it takes effect. A
person changing their own address acts without authority over anyone: it is not recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DEFERRED
from django.db.models.base import Deferred
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, EmailChange
from trust import audit

if TYPE_CHECKING:
    from people.models import Person

SALT = "accounts.email_change"
CONFIRM, CANCEL = "confirm", "cancel"


class UnconfirmedEmailChange(Exception):
    """Raised when code saves a new address without `accounts.email_change`."""


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def request_email_change(
    person: Person, new_email: str, *, by: Person | None
) -> EmailChange | None:
    """Ask to change `person`'s address to `new_email`; `by` is who asks (None: the server).

    Returns the pending change, or None when the address is the same. Any earlier open
    change of the person is cancelled. Raises ValidationError when someone else uses it.
    """
    from people.models import Person

    new_email = normalise(new_email)
    if new_email == normalise(person.email):
        return None
    if Person.objects.filter(email__iexact=new_email).exclude(pk=person.pk).exists():
        raise ValidationError(_("Someone in the organisation already uses this address."))
    now = timezone.now()
    by_themselves = by is not None and by.pk == person.pk
    wait = timedelta(0) if by_themselves else timedelta(hours=settings.EMAIL_CHANGE_NOTICE_HOURS)
    with transaction.atomic():
        EmailChange.objects.filter(person=person).open(now).update(cancelled_at=now)
        change = EmailChange.objects.create(
            person=person,
            old_email=person.email,
            new_email=new_email,
            requested_by=by,
            requested_at=now,
            takes_effect_at=now + wait,
        )
        if not by_themselves:
            _record("person.email_change_requested", change)
    from accounts.tasks import send_email_change_notices

    send_email_change_notices.enqueue(change.pk)
    return change


def email_change_pending_message(change: EmailChange) -> str:
    """What the person who asked is told (HR on the person page, the admin)."""
    return _(
        "The address changes to %(email)s only once confirmed from it, and not before "
        "%(date)s: a link went there, and %(old)s was told and may cancel."
    ) % {
        "email": change.new_email,
        "old": change.old_email,
        "date": date_format(timezone.localtime(change.takes_effect_at), "DATETIME_FORMAT"),
    }


def token_for(change: EmailChange, action: str) -> str:
    return signing.dumps([change.pk, action, change.new_email], salt=SALT, compress=True)


def change_for(token: str, action: str) -> EmailChange | None:
    """The open change a link's token names, or None: forged, expired, used or cancelled."""
    try:
        pk, token_action, new_email = signing.loads(
            token, salt=SALT, max_age=timedelta(days=settings.EMAIL_CHANGE_CONFIRM_DAYS)
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if token_action != action or not isinstance(pk, int):
        return None
    changes = EmailChange.objects.open().select_related("person", "requested_by")
    return changes.filter(pk=pk, new_email=new_email).first()


def confirm_email_change(change: EmailChange, now: datetime | None = None) -> bool:
    """Confirmed from the new address; True when it took effect now (else it waits)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = EmailChange.objects.select_for_update().open(now).filter(pk=change.pk).first()
        if locked is None:
            return False
        if locked.confirmed_at is None:
            locked.confirmed_at = now
            locked.save(update_fields=["confirmed_at"])
        if locked.takes_effect_at <= now:
            return _apply(locked, now)
    return False


def cancel_email_change(change: EmailChange, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(EmailChange.objects.open(now).filter(pk=change.pk).update(cancelled_at=now))


def apply_due_email_changes(now: datetime | None = None) -> int:
    """Apply the changes confirmed before their time, now that it has come (for the cron)."""
    now = now or timezone.now()
    due = EmailChange.objects.open(now).filter(confirmed_at__isnull=False, takes_effect_at__lte=now)
    applied = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            change = EmailChange.objects.select_for_update().open(now).filter(pk=pk).first()
            if change is not None and change.confirmed_at is not None:
                applied += _apply(change, now)
    return applied


def _apply(change: EmailChange, now: datetime) -> bool:
    from people.models import Person

    person = Person.objects.select_for_update().get(pk=change.person_id)
    taken = Person.objects.filter(email__iexact=change.new_email).exclude(pk=person.pk).exists()
    if taken or normalise(person.email) != normalise(change.old_email):
        change.cancelled_at = now  # someone else took the address, or it changed meanwhile
        change.save(update_fields=["cancelled_at"])
        return False
    person.email = change.new_email
    person._email_change_confirmed = True
    person.save(update_fields=["email"])  # ends every session: the session hash reads it
    person._email_change_confirmed = False
    ApiToken.objects.filter(person=person).active().update(revoked_at=now)
    change.applied_at = now
    change.save(update_fields=["applied_at"])
    if change.requested_by_id != change.person_id:
        _record("person.email_changed", change)
    return True


def _record(action: str, change: EmailChange) -> None:
    audit.record(
        action,
        actor=change.requested_by_id,
        subject=change.person_id,
        target=f"people.person:{change.person_id}",
        changes={"email": [change.old_email, change.new_email]},
    )


def save_erased_address(person: Person, placeholder: str) -> None:
    """Erasure (`trust.erasure`) saves a person who left with `placeholder`, an address no
    mailbox answers: the one change of address that is not confirmed, as nobody is there to
    confirm it and nothing may be sent to the old one any more."""
    person.email = placeholder
    person._email_change_confirmed = True
    try:
        person.save()
    finally:
        person._email_change_confirmed = False


def refuse_unconfirmed_change(
    sender: type[Person],
    instance: Person,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """pre_save of Person: a stored address changes only through `_apply`."""
    if raw or instance.pk is None or getattr(instance, "_email_change_confirmed", False):
        return
    if update_fields is not None and "email" not in update_fields:
        return
    stored = getattr(instance, "_stored_email", DEFERRED)
    if isinstance(stored, Deferred):  # not loaded with the address: ask the database
        stored = sender.objects.filter(pk=instance.pk).values_list("email", flat=True).first()
    if stored is not None and normalise(stored) != normalise(instance.email):
        raise UnconfirmedEmailChange(
            "A person's e-mail address changes only through accounts.email_change."
        )


def revoke_tokens_on_new_password(
    sender: type[Person], instance: Person, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Person: a new password (set, reset or changed) ends every API token.

    Django marks a password set since the last save in `_password` until the save is done;
    sessions end by themselves (their hash is derived from the password).
    """
    if raw or created or getattr(instance, "_password", None) is None:
        return
    ApiToken.objects.filter(person=instance).active().update(revoked_at=timezone.now())
