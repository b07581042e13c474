"""Every write of notifications: making one (from where the product also sends an e-mail),
its recipient marking it read or unread, and a person's e-mail preferences (the kinds of
e-mail they turn off, on their profile, through the API or from an e-mail's one-click
unsubscribe link: `notifications.mail`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can, visible
from cadence.refusals import Refused
from notifications import mail
from notifications.kinds import SENTENCES
from notifications.models import EmailOptOut, Notification
from notifications.rules import MARK

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

# A notification's values are short: a name, a topic, a date.
MAX_PARAM = 200


def notify(recipient: Person, kind: str, link: str = "", **params: Any) -> Notification:
    """Tell `recipient` in Cadence what the e-mail of the same event tells them. `params` are
    the sentence's values (dates as dates), only what the recipient may read; `link` a path
    on this site to where they act or read more."""
    if kind not in SENTENCES:
        raise ValueError(f"Unknown notification kind {kind!r}")
    stored = {}
    for key, value in params.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif value is None:
            value = ""
        stored[key] = str(value)[:MAX_PARAM]
    if not link.startswith("/") or link.startswith("//"):
        link = ""
    return Notification.objects.create(recipient=recipient, kind=kind, params=stored, link=link)


def mark(viewer: Viewer, notification: Notification, *, read: bool) -> Notification:
    """Mark one of the viewer's notifications read or unread."""
    if not can(viewer, MARK, notification):
        raise PermissionDenied
    with transaction.atomic():
        notification.read_at = timezone.now() if read else None
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def mark_all_read(viewer: Viewer, before: datetime | None = None) -> int:
    """Mark every unread notification of the viewer read (or those made up to `before`: what
    they have seen); returns how many."""
    unread = visible(viewer, Notification, MARK).filter(read_at__isnull=True)
    if before is not None:
        unread = unread.filter(created_at__lte=before)
    return unread.update(read_at=timezone.now())


# --- E-mail preferences -------------------------------------------------------------------------


def set_email_preferences(
    viewer: Viewer, off: Iterable[str], among: Iterable[str] | None = None
) -> frozenset[str]:
    """Turn off the optional kinds of e-mail in `off` and on the others of `among` (the kinds
    offered, `mail.offered`; by default every optional kind): e-mail of a kind turned off is no
    longer sent, what Cadence tells in-app still is. Returns the kinds now off. A kind not
    among them (essential, unknown, not offered) is refused (on `off.<n>`)."""
    me = viewer.person
    if me is None:
        raise PermissionDenied
    off = list(off)
    scope = set(mail.OPTIONAL if among is None else among) & set(mail.OPTIONAL)
    errors = [
        (f"off.{n}", _("“%(kind)s” is not a kind of e-mail you can turn off.") % {"kind": kind})
        for n, kind in enumerate(off)
        if kind not in scope
    ]
    if errors:
        raise Refused(errors)
    wanted_off = set(off)
    with transaction.atomic():
        EmailOptOut.objects.filter(person=me, kind__in=scope - wanted_off).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(person=me, kind=kind) for kind in sorted(wanted_off)],
            ignore_conflicts=True,  # off already (or turned off at this very moment)
        )
    return mail.turned_off(me)


def unsubscribe(token: str) -> tuple[Person, mail.EmailKind]:
    """Turn off the kind of e-mail an unsubscribe link names, for the person it names, without
    signing in (RFC 8058): the signed token is the permission (`PermissionDenied` when it names
    nobody: forged, tampered with, or for an address that is no longer theirs). Doing it twice
    changes nothing."""
    found = mail.unsubscribing(token)
    if found is None:
        raise PermissionDenied
    person, kind = found
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(person=person, kind=kind.key)], ignore_conflicts=True
    )
    return found
