"""Every e-mail Cadence sends goes through `notifications.mail.send_email`, by the real path
that sends it: each optional kind is not sent to whoever turned it off (while Cadence still
tells them in-app) and carries its own unsubscribe link; each essential kind is always sent,
without one. A module that sent e-mail another way would fail the first test."""

import ast
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail as outbox
from django.urls import reverse
from django.utils import timezone

from notifications import mail
from notifications.models import EmailOptOut, Notification

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SENDING = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}


def product_modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "node_modules", "build", "var") or "tests" in parts:
            continue
        if "migrations" in parts or parts[0] == "bench":
            continue
        yield path


def test_nothing_but_notifications_mail_sends_email():
    found = []
    for path in product_modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "notifications/mail.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
                found += [f"{relative}: {a.name}" for a in node.names if a.name in SENDING]
            elif isinstance(node, ast.ImportFrom) and node.module == "django.core":
                found += [f"{relative}: mail" for a in node.names if a.name == "mail"]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
                found += [f"{relative}: {name}" for name in names if name == "django.core.mail"]
    assert found == []


def test_the_password_reset_goes_through_it_too():
    from django.contrib.auth.forms import PasswordResetForm

    from accounts.forms import ResetForm

    assert ResetForm.send_mail is not PasswordResetForm.send_mail


# --- Each kind, by its real path ----------------------------------------------------------------


@dataclass
class Case:
    send: object  # () -> None: what sends it
    to: str  # the address it goes to
    person: object  # whose e-mail it is
    notification: str | None = None  # what Cadence tells in-app besides, if anything


def feedback_received(cast, client, configured):
    from feedback import tasks
    from feedback.tests.factories import give

    feedback = give(cast.dave, cast.alice)
    send = lambda: tasks.deliver(feedback.pk)  # noqa: E731
    return Case(send, cast.alice.email, cast.alice, "feedback_received")


def feedback_requests(cast, client, configured):
    from feedback import reminders
    from feedback.models import FeedbackAsk
    from feedback.tests.factories import make_request

    ask = FeedbackAsk.objects.get(request=make_request(cast.dave, [cast.alice]))
    return Case(
        lambda: reminders.deliver_ask(ask.pk, reminders.NEW_REQUEST),
        cast.alice.email,
        cast.alice,
        "request_received",
    )


def review_reminders(cast, client, configured):
    from feedback import reminders
    from feedback.tests.factories import add_participant, invite, make_cycle

    invitation = invite(add_participant(make_cycle(), cast.dave), cast.alice)
    return Case(
        lambda: reminders.deliver_review(invitation.pk),
        cast.alice.email,
        cast.alice,
        "review_reminder",
    )


def report_released(cast, client, configured):
    from feedback.tasks_reports import send_report_released
    from feedback.tests.factories import add_participant, make_cycle

    participant = add_participant(
        make_cycle(status="closed"), cast.alice, released_at=timezone.now(), released_by=cast.bob
    )
    return Case(
        lambda: send_report_released.call(participant.pk),
        cast.alice.email,
        cast.alice,
        "report_released",
    )


def _reminder(cast, kind, **fields):
    from conversations import reminders
    from conversations.models import Reminder

    key = f"{kind}:test"
    reminder = Reminder.objects.create(key=key, kind=kind, recipient=cast.alice, **fields)
    return lambda: reminders.deliver(reminder.pk)


def conversation_reminders(cast, client, configured):
    from conversations.tests.factories import make_conversation

    conversation = make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=1))
    send = _reminder(cast, "upcoming", conversation=conversation)
    return Case(send, cast.alice.email, cast.alice, "conversation_upcoming")


def action_items(cast, client, configured):
    from conversations.tests.factories import add_action, held, make_conversation

    today = timezone.localdate()
    conversation = held(make_conversation(cast.alice, due=today - timedelta(days=10)))
    item = add_action(conversation, cast.alice, due=today)
    send = _reminder(cast, "action_due", conversation=conversation, action_item=item)
    return Case(send, cast.alice.email, cast.alice, "action_due")


def manager_reminders(cast, client, configured):
    return Case(_reminder(cast, "nudge_goals"), cast.alice.email, cast.alice)


def assessments(cast, client, configured):
    from growth import tasks
    from growth.tests.helpers import rated
    from growth.tests.routes import starter_version

    starter_version(cast)
    assessment = rated(cast)
    return Case(
        lambda: tasks.deliver("assessment_started", assessment.pk, cast.alice.pk),
        cast.alice.email,
        cast.alice,
        "assessment_started",
    )


def surveys(cast, client, configured):
    from surveys import rounds, tasks
    from surveys.models import Invitation
    from surveys.tests.factories import make_survey

    found = rounds.open_round(make_survey(team=cast.engineering))
    invitation = Invitation.objects.get(round=found, person=cast.alice)
    return Case(
        lambda: tasks.deliver("survey_open", invitation.pk),
        cast.alice.email,
        cast.alice,
        "survey_open",
    )


def mobility_interest(cast, client, configured):
    from mobility import tasks
    from mobility.models import Interest
    from mobility.tests.routes import platform_opening

    interest = Interest.objects.create(person=cast.dave, opening=platform_opening(cast))
    return Case(lambda: tasks.deliver(interest.pk), cast.erin.email, cast.erin, "mobility_interest")


def weekly_digest(cast, client, configured):
    from feedback.tests.factories import make_request
    from notifications import digest
    from organisation import current

    configured.WEEKLY_DIGEST = True
    make_request(cast.dave, [cast.alice])  # waits for her
    start = current.settings().week_of(timezone.localdate())
    at = time(settings.WEEKLY_DIGEST_HOUR, 30)
    now = datetime.combine(start, at, tzinfo=cast.alice.local_zone)
    return Case(lambda: digest.send_due(now), cast.alice.email, cast.alice)


def password_reset(cast, client, configured):
    url = reverse("accounts:password_reset")
    return Case(lambda: client.post(url, {"email": cast.alice.email}), cast.alice.email, cast.alice)


def invitation(cast, client, configured):
    from accounts.models import Invitation
    from accounts.tasks import send_invitation_email

    found = Invitation.objects.create(person=cast.alice, sent_by=cast.erin, sent_at=timezone.now())
    return Case(lambda: send_invitation_email.call(found.pk), cast.alice.email, cast.alice)


def email_change(cast, client, configured):
    from accounts import email_change
    from accounts.tasks import send_email_change_notices

    change = email_change.request_email_change(cast.alice, "alice@new.example", by=cast.erin)
    return Case(
        lambda: send_email_change_notices.call(change.pk),
        "alice@new.example",
        cast.alice,
        "email_change",
    )


def tokens_revoked(cast, client, configured):
    from accounts.tasks import announce_tokens_revoked

    return Case(
        lambda: announce_tokens_revoked.call(cast.alice.pk, cast.frank.pk, ["script"]),
        cast.alice.email,
        cast.alice,
        "token_revoked",
    )


def hr_role(cast, client, configured):
    from access.tasks import announce_hr_role

    return Case(
        lambda: announce_hr_role.call("granted", cast.dave.pk, cast.erin.pk, None, False),
        cast.dave.email,
        cast.dave,
        "hr_granted",
    )


def manager_changed(cast, client, configured):
    from people.tasks import notify_manager_changed

    return Case(
        lambda: notify_manager_changed.call(cast.alice.pk, cast.bob.pk, cast.carol.pk),
        cast.alice.email,
        cast.alice,
        "manager_changed",
    )


def sso_link(cast, client, configured):
    from accounts import sso, sso_link

    class Browser:  # the callback's request: only its session is used
        def __init__(self):
            self.session = {}

    found = sso.Provider("https://idp.example", "c", "openid", name="", sso_only=False)
    first = sso.ToConfirm(cast.alice, found.issuer, "alice-at-idp")
    return Case(lambda: sso_link.start(Browser(), first, found), cast.alice.email, cast.alice)


CASES = {
    mail.WEEKLY_DIGEST: weekly_digest,
    mail.FEEDBACK_RECEIVED: feedback_received,
    mail.FEEDBACK_REQUESTS: feedback_requests,
    mail.REVIEW_REMINDERS: review_reminders,
    mail.REPORT_RELEASED: report_released,
    mail.CONVERSATION_REMINDERS: conversation_reminders,
    mail.ACTION_ITEMS: action_items,
    mail.MANAGER_REMINDERS: manager_reminders,
    mail.ASSESSMENTS: assessments,
    mail.SURVEYS: surveys,
    mail.MOBILITY_INTEREST: mobility_interest,
    mail.PASSWORD_RESET: password_reset,
    mail.INVITATION: invitation,
    mail.EMAIL_CHANGE: email_change,
    mail.TOKENS_REVOKED: tokens_revoked,
    mail.HR_ROLE: hr_role,
    mail.MANAGER_CHANGED: manager_changed,
    mail.SSO_LINK: sso_link,
}


def test_every_kind_has_its_case():
    assert set(CASES) == set(mail.EMAILS)


def sent_to(address):
    return [message for message in outbox.outbox if address in message.to]


@pytest.fixture
def case(request, cast, client, settings):
    found = CASES[request.param](cast, client, settings)
    outbox.outbox.clear()
    Notification.objects.all().delete()
    return found


@pytest.mark.parametrize("case", mail.OPTIONAL, indirect=True)
def test_an_optional_kind_goes_out_with_its_own_unsubscribe_link(case, request):
    kind = request.node.callspec.params["case"]
    case.send()
    [message] = sent_to(case.to)
    token = message.extra_headers["List-Unsubscribe"].rsplit("/", 2)[-2]
    assert mail.unsubscribing(token) == (case.person, mail.EMAILS[kind])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("case", mail.OPTIONAL, indirect=True)
def test_an_optional_kind_turned_off_is_not_sent_but_still_told_in_cadence(case, request):
    kind = request.node.callspec.params["case"]
    EmailOptOut.objects.create(person=case.person, kind=kind)
    case.send()
    assert sent_to(case.to) == []
    if case.notification:
        assert Notification.objects.filter(recipient=case.person, kind=case.notification).exists()


@pytest.mark.parametrize("case", mail.OPTIONAL, indirect=True)
def test_turning_another_kind_off_changes_nothing_for_this_one(case, request):
    kind = request.node.callspec.params["case"]
    for other in mail.OPTIONAL:
        if other != kind:
            EmailOptOut.objects.create(person=case.person, kind=other)
    case.send()
    assert len(sent_to(case.to)) == 1


ESSENTIAL = [key for key in mail.EMAILS if key not in mail.OPTIONAL]


@pytest.mark.parametrize("case", ESSENTIAL, indirect=True)
def test_an_essential_kind_always_goes_out_without_an_unsubscribe_link(case):
    for kind in mail.OPTIONAL:
        EmailOptOut.objects.create(person=case.person, kind=kind)
    case.send()
    [message] = sent_to(case.to)
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/notifications/unsubscribe/" not in message.body
    if case.notification:
        assert Notification.objects.filter(recipient=case.person, kind=case.notification).exists()
