"""The links of an e-mail change: confirm from the new address, cancel from the old one (or
from the profile). Links open a page with a button: mail scanners that follow links change
nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import email_change
from accounts.models import EmailChange


def confirm_email(request, token):
    change = email_change.change_for(token, email_change.CONFIRM)
    context = {"action": "confirm", "change": change}
    if change is not None and request.method == "POST":
        context["applied"] = email_change.confirm_email_change(change)
        context["done"] = True
    return render(request, "accounts/email_change.html", context, status=200 if change else 404)


def cancel_email(request, token):
    change = email_change.change_for(token, email_change.CANCEL)
    context = {"action": "cancel", "change": change}
    if change is not None and request.method == "POST":
        email_change.cancel_email_change(change)
        context["done"] = True
    return render(request, "accounts/email_change.html", context, status=200 if change else 404)


@login_required
@require_POST
def cancel_my_email_change(request):
    for change in EmailChange.objects.filter(person=request.user).open():
        email_change.cancel_email_change(change)
        messages.success(
            request,
            _("The change to %(email)s is cancelled: your address stays as it is.")
            % {"email": change.new_email},
        )
    return redirect("accounts:profile")
