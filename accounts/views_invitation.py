"""The invitation link: a page to choose a password, then signed in (accounts.invitations).

The link opens a page with the form: mail scanners that follow links change nothing. A link
that no longer works says why when it can, and what to do (`invitations.link_of`): used (a
password is chosen: sign in) or expired (ask HR for a new one, or "Forgot your password?"),
both 410 Gone; anything else (forged, the person has left) only that it does not work (404).
While passwords are off ("SSO only", `accounts.sso`) the page chooses no password: it welcomes the
person and leads them to the identity provider.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import invitations, sso

# What a link that no longer works answers: a page saying why, with this status.
STATUS = {invitations.USED: 410, invitations.GONE: 410, invitations.BROKEN: 404}


def _no_longer_works(request, state: str):
    context = {"invitation": None, "state": state, "days": settings.INVITATION_DAYS}
    return render(request, "accounts/invitation.html", context, status=STATUS[state])


def accept_invitation(request, token):
    link = invitations.link_of(token)
    if link.invitation is None:
        return _no_longer_works(request, link.state)
    person = link.invitation.person
    passwords_off = sso.passwords_off()
    if passwords_off is not None and not sso.is_break_glass(passwords_off, person):
        # SSO only: nobody chooses a password; the invitation leads to the provider instead.
        context = {"invitation": link.invitation, "person": person, "passwords_off": passwords_off}
        status = 200 if request.method in ("GET", "HEAD") else 403
        return render(request, "accounts/invitation.html", context, status=status)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        signed_in = invitations.accept(token, form)
        if signed_in is None:  # used meanwhile, from another tab say
            return _no_longer_works(request, invitations.link_of(token).state)
        login(request, signed_in, backend="accounts.backends.EmailBackend")
        messages.success(request, _("Welcome to Cadence: your password is saved."))
        return redirect("home")
    context = {"invitation": link.invitation, "person": person, "form": form, "sso": sso.provider()}
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)
