"""The first run's pages: claiming a fresh installation with the set-up code (`/setup/`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.throttle import client_of
from cadence.refusals import Refused, show_refusal
from firstrun import codes, services
from firstrun.forms import ClaimForm

# --- Claiming the installation -----------------------------------------------------------------


@never_cache
def claim(request: HttpRequest) -> HttpResponse:
    """The first administrator's account, with the set-up code printed on the server. Gone
    (404) once anyone administers the installation."""
    if codes.administrator_exists():
        raise Http404
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.claim(
                data["code"],
                data["name"],
                data["email"],
                data["password1"],
                client=client_of(request),
            )
        except services.AlreadyClaimed as gone:
            raise Http404 from gone
        except Refused as refused:
            show_refusal(form, refused)
        else:
            login(request, person, backend="accounts.backends.EmailBackend")
            messages.success(request, _("Welcome to Cadence: you administer it now."))
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "firstrun/claim.html", {"form": form}, status=status)
