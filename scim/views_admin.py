"""Administration → SCIM provisioning (administrators): the address to give the identity
provider, the working tokens (in a demo, an example one), making one (its secret shown on the
answer to the form, once, never again) and revoking one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access.viewer import viewer_of
from cadence.shortcuts import require
from organisation.rules import ADMIN, may
from organisation.tabs import tabs_for
from scim import services
from scim.forms import RevokeForm, TokenForm
from scim.models import ScimToken
from scim.services import issue_token, revoke_token

TAB = "scim_admin:settings"
# What the demo shows while no token is made: a made-up token of Entra ID's (never stored).
EXAMPLE = ScimToken(pk=0, name="Microsoft Entra ID", hint="scim_Xq3v9T")
REVOKE = "revoke"


@login_required
def settings_scim(request):
    viewer = viewer_of(request)
    require(may(viewer, ADMIN))
    revoking = request.method == "POST" and request.POST.get("part") == REVOKE
    form = TokenForm(request.POST if request.method == "POST" and not revoking else None)
    secret = None
    if revoking:
        revoke = RevokeForm(request.POST)
        if revoke.is_valid() and revoke_token(viewer, revoke.cleaned_data["token"]):
            messages.success(request, _("The token is revoked: it stops working at once."))
        return redirect(TAB)
    may_issue = services.may_issue(viewer)
    if request.method == "POST" and not may_issue:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        if settings.DEMO:
            messages.info(
                request, _("This is a demo installation: nothing was saved, nothing sent.")
            )
            return redirect(TAB)
        _token, secret = issue_token(viewer, form.cleaned_data["name"])
        form = TokenForm()
    tokens = list(ScimToken.objects.filter(revoked_at__isnull=True))
    demo = settings.DEMO and not tokens
    context = {
        "form": form,
        "secret": secret,
        "tokens": [EXAMPLE] if demo else tokens,
        "demo": demo,
        "may_issue": may_issue,
        "base_url": request.build_absolute_uri(reverse("scim:root")),
    }
    context |= {"tabs": tabs_for(viewer), "current_tab": TAB}
    return render(request, "scim/settings.html", context)
