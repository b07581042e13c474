"""The invitation link: a page to choose a password, then signed in (accounts.invitations).

The link opens a page with the form: mail scanners that follow links change nothing. A link
that does not work (forged, expired, used, or the person has left) says so, and nothing more.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import invitations


def accept_invitation(request, token):
    invitation = invitations.invitation_for(token)
    if invitation is None:
        return render(request, "accounts/invitation.html", {"invitation": None}, status=404)
    person = invitation.person
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        signed_in = invitations.accept(token, form)
        if signed_in is None:  # used meanwhile, from another tab say
            return render(request, "accounts/invitation.html", {"invitation": None}, status=404)
        login(request, signed_in, backend="accounts.backends.EmailBackend")
        messages.success(request, _("Welcome to Cadence: your password is saved."))
        return redirect("home")
    context = {"invitation": invitation, "person": person, "form": form}
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)
