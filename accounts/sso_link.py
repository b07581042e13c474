"""A first sign-in with an identity provider configured in the app, confirmed by the person's
mailbox before their account is linked to the provider's (`sso.ToConfirm` says why).

The callback keeps the sign-in waiting in this browser's session (`start`) and e-mails an
eight-digit code to the person's address in Cadence, which only its mailbox can read (the
address itself changes only once confirmed from the new one, `accounts.email_change`). The
code is typed in the same browser (`confirm`): a code read in another browser signs nobody in
there, and the browser that started cannot go on without the mailbox. The session keeps only a
keyed hash of the code; it works `CONFIRM_SECONDS`, for `CONFIRM_TRIES` tries, once, and only
while the same provider is in force and the person may sign in.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from accounts import sso
from accounts.models import SsoLink
from cadence.links import site_link
from notifications.mail import SSO_LINK, send_email

if TYPE_CHECKING:
    from django.http import HttpRequest

    from people.models import Person

SESSION_KEY = "sso_link"
CONFIRM_SECONDS = 15 * 60
CONFIRM_TRIES = 5
DIGITS = 8

# What `confirm` found wrong with a code.
WRONG = "wrong"  # not the code: tries are left
GONE = "gone"  # nothing waits: never started, expired, too many tries, or no longer possible


@dataclass(frozen=True)
class Waiting:
    """A first sign-in waiting for its code, as the session keeps it."""

    person_id: int
    issuer: str
    subject: str
    until: float
    tries: int

    @property
    def tries_left(self) -> int:
        return CONFIRM_TRIES - self.tries


def _digest(code: str) -> str:
    return salted_hmac("accounts.sso_link.code", code, algorithm="sha256").hexdigest()


def _normal(code: str) -> str:
    return "".join(character for character in code if character.isdigit())


def start(request: HttpRequest, first: sso.ToConfirm, found: sso.Provider) -> None:
    """Keep the sign-in waiting in this session and e-mail its code to the person."""
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    request.session[SESSION_KEY] = {
        "person": first.person.pk,
        "issuer": first.issuer,
        "subject": first.subject,
        "code": _digest(code),
        "until": time.time() + CONFIRM_SECONDS,
        "tries": 0,
    }
    _send(first.person, found, code)


def _send(person: Person, found: sso.Provider, code: str) -> None:
    context = {
        "person": person,
        "provider": found.label,
        "code": f"{code[:4]} {code[4:]}",
        "minutes": CONFIRM_SECONDS // 60,
        "link": site_link(reverse("accounts:sso_confirm")),
    }
    with translation.override(person.effective_language), timezone.override(person.local_zone):
        subject = render_to_string("accounts/email/sso_link_subject.txt", context)
        body = render_to_string("accounts/email/sso_link.txt", context)
    send_email(person, SSO_LINK, subject, body)


def waiting(request: HttpRequest) -> Waiting | None:
    """The sign-in waiting in this session for its code, or None (an expired one is dropped)."""
    kept: Any = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    if float(kept.get("until") or 0) < time.time() or int(kept.get("tries") or 0) >= CONFIRM_TRIES:
        forget(request)
        return None
    return Waiting(
        person_id=int(kept["person"]),
        issuer=str(kept["issuer"]),
        subject=str(kept["subject"]),
        until=float(kept["until"]),
        tries=int(kept["tries"]),
    )


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def confirm(request: HttpRequest, code: str) -> Person | str:
    """The person signed in by this code, their account now linked; else WRONG or GONE."""
    from people.models import Person

    found = sso.provider()
    kept = waiting(request)
    if kept is None or found is None or found.from_environment:
        forget(request)
        return GONE
    expected = str(request.session[SESSION_KEY]["code"])
    if not hmac.compare_digest(_digest(_normal(code)), expected):
        request.session[SESSION_KEY] = {**request.session[SESSION_KEY], "tries": kept.tries + 1}
        return WRONG if kept.tries + 1 < CONFIRM_TRIES else _gone(request)
    forget(request)  # once only, whatever follows
    try:
        if sso.metadata(found).issuer != kept.issuer:
            return GONE  # the provider changed since: the code is for another one
    except sso.Refusal:
        return GONE
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=kept.person_id).first()
        linked = SsoLink.objects.filter(
            Q(subject=kept.subject) | Q(person_id=kept.person_id), issuer=kept.issuer
        )
        if person is None or not sso.can_sign_in(person) or linked.exists():
            return GONE
        sso.link_subject(person, kept.issuer, kept.subject, timezone.now())
    return person


def _gone(request: HttpRequest) -> str:
    forget(request)
    return GONE
