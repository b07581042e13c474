"""Background tasks of accounts: the e-mail that goes with a change of address, invitations, and
the notice that an administrator revoked someone's API tokens."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cadence.links import site_link
from notifications.mail import EMAIL_CHANGE, INVITATION, TOKENS_REVOKED, send_email


def _send(change, template: str, to: str, context: dict) -> None:
    person = change.person
    language = person.effective_language
    with translation.override(language), timezone.override(person.local_zone):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}.txt", context)
    send_email(person, EMAIL_CHANGE, subject, body, to=to)


@task()
def send_email_change_notices(change_id: int) -> bool:
    """Send the confirmation link to the new address and the notice to the old one."""
    from accounts.email_change import CANCEL, CONFIRM, token_for
    from accounts.models import EmailChange

    change = (
        EmailChange.objects.open()
        .select_related("person", "requested_by")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        return False
    context = {
        "change": change,
        "person": change.person,
        "by": change.requested_by,
        "by_themselves": change.requested_by_id == change.person_id,
        "confirm_link": site_link(
            reverse("accounts:confirm_email", args=[token_for(change, CONFIRM)])
        ),
        "cancel_link": site_link(
            reverse("accounts:cancel_email", args=[token_for(change, CANCEL)])
        ),
        "profile_link": site_link(reverse("accounts:profile")),
    }
    from notifications import kinds
    from notifications.services import notify

    notify(change.person, kinds.EMAIL_CHANGE, reverse("accounts:profile"), email=change.new_email)
    _send(change, "email_change_confirm", change.new_email, context)
    _send(change, "email_change_notice", change.old_email, context)
    return True


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """E-mail the invitation's link to choose a password, in the person's language."""
    from accounts import sso
    from accounts.invitations import token_for
    from accounts.models import Invitation

    invitation = (
        Invitation.objects.select_related("person", "sent_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.used_at is not None:
        return False
    person = invitation.person
    if not person.is_active or person.has_left:
        return False  # someone who has left is not invited
    context = {
        "person": person,
        "by": invitation.sent_by,
        "invitation": invitation,
        "link": site_link(reverse("accounts:invitation", args=[token_for(invitation)])),
        "sign_in_link": site_link(reverse("accounts:login")),
        # "SSO only" (`accounts.sso`): no password to choose, the provider to sign in with.
        "passwords_off": None if sso.password_allowed(person) else sso.passwords_off(),
    }
    language = person.effective_language
    with translation.override(language), timezone.override(person.local_zone):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation.txt", context)
    send_email(person, INVITATION, subject, body)
    return True


@task()
def announce_tokens_revoked(person_id: int, by_id: int, names: list[str]) -> bool:
    """Tell a person, in Cadence and by e-mail in their language, that an administrator revoked
    API tokens of theirs (`names`): a script of theirs stops working, and they should know why.
    Nobody is told who has left or may not sign in: their tokens did not work anyway."""
    from notifications import kinds
    from notifications.services import notify
    from people.models import Person

    person = Person.objects.filter(pk=person_id).first()
    if person is None or not person.is_active or person.has_left or not names:
        return False
    by = Person.objects.filter(pk=by_id).first()
    by_name = by.name if by is not None else ""
    link = reverse("accounts:profile") + "#tokens"
    if len(names) == 1:
        notify(person, kinds.TOKEN_REVOKED, link, by=by_name, name=names[0])
    else:
        notify(person, kinds.TOKENS_REVOKED, link, by=by_name, count=len(names))
    context = {
        "person": person,
        "by": by,
        "names": names,
        "profile_link": site_link(link),
    }
    with translation.override(person.effective_language), timezone.override(person.local_zone):
        subject = render_to_string("accounts/email/tokens_revoked_subject.txt", context)
        body = render_to_string("accounts/email/tokens_revoked.txt", context)
    send_email(person, TOKENS_REVOKED, subject, body)
    return True
