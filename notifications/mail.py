"""Every e-mail Cadence sends goes out through `send_email`: the one place that decides whether
its person wants it, and that marks what they may turn off.

Each e-mail is of a kind (`EMAILS`). A kind is either essential (a password reset, an
invitation, a change of address, a revoked token, a change of manager or of HR roles: what
someone must know to keep their account and their data safe), always sent and without an
unsubscribe link; or optional, which its person may turn off on their profile, through the API
(`/api/v1/notifications/email-preferences`) or in one click from the e-mail itself. What the
product tells in Cadence (`notifications.services.notify`) is always told: turning an e-mail
off turns off the e-mail only.

An optional e-mail carries `List-Unsubscribe` with the address of its unsubscribe link and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a mail program's "unsubscribe"
button posts there and that kind is off, without signing in. The link's token is signed, names
the person and the kind, and stops working when their address changes (a mailbox that is no
longer theirs cannot change their preferences). The same link, opened in a browser, shows a page
with a button: a mail scanner that follows links changes nothing. The footer of the e-mail says
which kind it is and links there too.

    send_email(person, mail.FEEDBACK_RECEIVED, subject, body)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cadence.links import site_link

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: StrOrPromise  # what the profile's form offers to turn off: "Feedback you receive"
    essential: bool = False  # always sent, no unsubscribe link
    module: str = ""  # offered on the form while this module is on (`cadence.modules`)
    hr_only: bool = False  # sent to HR only: offered to HR only


# Optional: each may be turned off.
WEEKLY_DIGEST = "weekly_digest"
FEEDBACK_RECEIVED = "feedback_received"
FEEDBACK_REQUESTS = "feedback_requests"
REVIEW_REMINDERS = "review_reminders"
REPORT_RELEASED = "report_released"
CONVERSATION_REMINDERS = "conversation_reminders"
ACTION_ITEMS = "action_items"
MANAGER_REMINDERS = "manager_reminders"
ASSESSMENTS = "assessments"
SURVEYS = "surveys"
MOBILITY_INTEREST = "mobility_interest"
# Essential: always sent.
PASSWORD_RESET = "password_reset"  # noqa: S105 - a kind of e-mail, not a secret
INVITATION = "invitation"
EMAIL_CHANGE = "email_change"
TOKENS_REVOKED = "tokens_revoked"
HR_ROLE = "hr_role"
MANAGER_CHANGED = "manager_changed"
SSO_LINK = "sso_link"

EMAILS: dict[str, EmailKind] = {
    kind.key: kind
    for kind in (
        EmailKind(WEEKLY_DIGEST, _("A weekly digest: what waits for you, what happened")),
        EmailKind(FEEDBACK_RECEIVED, _("Feedback and praise you receive"), module="feedback"),
        EmailKind(
            FEEDBACK_REQUESTS,
            _("Requests for your feedback, and their reminders"),
            module="feedback",
        ),
        EmailKind(REVIEW_REMINDERS, _("Reminders of 360 reviews to write"), module="reviews"),
        EmailKind(REPORT_RELEASED, _("Your 360 report, once released"), module="reviews"),
        EmailKind(
            CONVERSATION_REMINDERS,
            _("Conversations coming up or overdue"),
            module="conversations",
        ),
        EmailKind(ACTION_ITEMS, _("Action items due"), module="conversations"),
        EmailKind(
            MANAGER_REMINDERS,
            _("Reminders your manager sends you from My team"),
            module="conversations",
        ),
        EmailKind(ASSESSMENTS, _("Steps of your competency assessments"), module="growth"),
        EmailKind(SURVEYS, _("Surveys open for your answers, and reminders"), module="surveys"),
        EmailKind(
            MOBILITY_INTEREST,
            _("Colleagues interested in an internal opening"),
            module="talent",
            hr_only=True,
        ),
        EmailKind(PASSWORD_RESET, _("Resetting your password"), essential=True),
        EmailKind(INVITATION, _("Your invitation to Cadence"), essential=True),
        EmailKind(EMAIL_CHANGE, _("Changes of your sign-in address"), essential=True),
        EmailKind(TOKENS_REVOKED, _("API tokens of yours revoked"), essential=True),
        EmailKind(HR_ROLE, _("HR roles given, changed or taken back"), essential=True),
        EmailKind(MANAGER_CHANGED, _("A change of your manager"), essential=True),
        EmailKind(
            SSO_LINK, _("Codes to confirm a first sign-in with single sign-on"), essential=True
        ),
    )
}
OPTIONAL = tuple(key for key, kind in EMAILS.items() if not kind.essential)


def kind_of(key: str) -> EmailKind:
    try:
        return EMAILS[key]
    except KeyError:
        raise ValueError(f"Unknown kind of e-mail {key!r}") from None


def offered(viewer: Viewer) -> list[EmailKind]:
    """The optional kinds the viewer's form offers: of the modules switched on, HR's to HR."""
    from organisation import current

    org = current.settings()
    return [
        kind
        for key, kind in EMAILS.items()
        if key in OPTIONAL
        and (not kind.module or org.is_on(kind.module))
        and (not kind.hr_only or viewer.is_hr)
    ]


# --- Preferences --------------------------------------------------------------------------------


def turned_off(person: Person) -> frozenset[str]:
    """The kinds the person turned off (one query)."""
    from notifications.models import EmailOptOut

    return frozenset(EmailOptOut.objects.filter(person=person).values_list("kind", flat=True))


def wants(person: Person, kind: str) -> bool:
    """Does the person want e-mail of this kind? Essential ones always; an optional one unless
    they turned it off (one query)."""
    if kind_of(kind).essential:
        return True
    from notifications.models import EmailOptOut

    return not EmailOptOut.objects.filter(person=person, kind=kind).exists()


# --- The unsubscribe link -----------------------------------------------------------------------

SALT = "notifications.unsubscribe"


def _address_mark(email: str) -> str:
    """A short keyed digest of the address: the token stops working when the address changes,
    and the address itself is not in the link."""
    return salted_hmac(SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:16]


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, algorithm="sha256")


def unsubscribe_token(person: Person, kind: str) -> str:
    """The same for the same person, kind and address: no time in it, as a link in an old
    e-mail must still work (RFC 8058)."""
    if kind_of(kind).essential:
        raise ValueError(f"An essential e-mail ({kind}) has no unsubscribe link")
    return _signer().sign_object([person.pk, kind, _address_mark(person.email)])


def unsubscribe_link(person: Person, kind: str) -> str:
    """The absolute address of the unsubscribe link (`site_link`): the page with a button, and
    where a mail program's one-click POST goes."""
    token = unsubscribe_token(person, kind)
    return site_link(reverse("notifications:unsubscribe", kwargs={"token": token}))


def unsubscribing(token: str) -> tuple[Person, EmailKind] | None:
    """The person and the optional kind a token names, or None: forged, tampered with, for an
    essential kind, or for an address that is no longer theirs."""
    from people.models import Person

    try:
        pk, kind, mark = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(kind, str) or not isinstance(mark, str):
        return None
    if kind not in OPTIONAL:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None or not constant_time_compare(mark, _address_mark(person.email)):
        return None
    return person, EMAILS[kind]


# --- Sending ------------------------------------------------------------------------------------


def footer(person: Person, kind: str) -> str:
    """What an optional e-mail says at its end, in the person's language: which kind it is, and
    where to turn it off."""
    context = {
        "kind": EMAILS[kind],
        "unsubscribe_link": unsubscribe_link(person, kind),
        "preferences_link": site_link(reverse("accounts:profile") + "#email"),
    }
    with translation.override(person.effective_language):
        return render_to_string("notifications/email/_footer.txt", context)


def send_email(
    person: Person,
    kind: str,
    subject: str,
    body: str,
    *,
    html: str = "",
    to: str = "",
) -> bool:
    """Send one e-mail of `kind` to `person` (at `to`, by default their address), unless it is
    optional and they turned it off; True when it went out. An optional e-mail gets the
    unsubscribe headers (RFC 2369, RFC 8058) and the footer (the plain text's; an `html`
    alternative carries its own, from `unsubscribe_link`)."""
    if not wants(person, kind):
        return False
    address = to or person.email
    if not address:
        return False
    headers: dict[str, str] = {}
    if not EMAILS[kind].essential:
        headers["List-Unsubscribe"] = f"<{unsubscribe_link(person, kind)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        body = f"{body.rstrip()}\n\n{footer(person, kind).strip()}\n"
    message = EmailMultiAlternatives(" ".join(subject.split()), body, None, [address])
    message.extra_headers.update(headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return True
