"""Administration → Single sign-on (administrators): the organisation's identity provider
(`accounts.sso`), the address to register at the provider, and "SSO only" mode. Set in the
environment (OIDC_ISSUER), the page only shows it. A demo installation shows example values,
and saves and sends nothing."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from access.viewer import viewer_of
from accounts import sso
from accounts.models import SsoLink, SsoSettings
from accounts.services import SsoChoice, save_sso_settings, unlink_sso
from cadence.refusals import form_saved
from cadence.sealing import SealError
from organisation.forms_sso import SsoForm, UnlinkForm
from organisation.rules import ADMIN, may
from organisation.views import settings_page

UNLINK = "unlink"

# What the demo shows while nothing is configured: a made-up Microsoft Entra ID tenant.
EXAMPLE = {
    "enabled": True,
    "provider_name": "Microsoft",
    "issuer": "https://login.microsoftonline.com/3f2c8d1e-0a4b-4c6d-9e8f-7a6b5c4d3e2f/v2.0",
    "client_id": "9b1c7e52-4d3a-4f8e-b6a2-1c0d9e8f7a6b",
    "scopes": "openid email profile",
    "sso_only": False,
}


def _initial(row: SsoSettings) -> dict:
    return {
        "enabled": row.enabled,
        "provider_name": row.provider_name,
        "issuer": row.issuer,
        "client_id": row.client_id,
        "scopes": row.scopes,
        "sso_only": row.sso_only,
        "break_glass": row.break_glass_id,
    }


def _secret_opens(row: SsoSettings) -> bool:
    try:
        sso.open_secret(row.client_secret_sealed)
    except SealError:
        return False
    return True


@login_required
def sso_page(request):
    viewer = viewer_of(request)
    if not may(viewer, ADMIN):
        raise PermissionDenied
    row = SsoSettings.objects.filter(pk=1).first() or SsoSettings(pk=1)
    environment = sso.provider() if settings.OIDC else None
    secret_stored = bool(bytes(row.client_secret_sealed or b""))
    demo = settings.DEMO and environment is None and not row.issuer
    # Two forms post here: the settings, and unlinking someone's account ("part": "unlink").
    unlinking = request.method == "POST" and request.POST.get("part") == UNLINK
    unlink = UnlinkForm(request.POST if unlinking else None)
    form = SsoForm(
        request.POST
        if request.method == "POST" and environment is None and not unlinking
        else None,
        initial=EXAMPLE if demo else _initial(row),
        secret_stored=secret_stored,
    )
    if unlinking:
        if form_saved(unlink, lambda data: unlink_sso(viewer, data["email"])):
            name = unlink.saved.name
            messages.success(
                request,
                _(
                    "%(name)s's account at the provider, if any, is unlinked: their next "
                    "sign-in links the account the provider then verifies for their address."
                )
                % {"name": name},
            )
            return redirect("organisation:sso")
    elif request.method == "POST":
        if environment is not None:
            raise PermissionDenied
        if settings.DEMO:
            messages.info(
                request, _("This is a demo installation: nothing was saved, nothing sent.")
            )
            return redirect("organisation:sso")
        if form_saved(form, lambda data: save_sso_settings(viewer, SsoChoice(**data))):
            messages.success(request, _("The single sign-on settings are saved."))
            return redirect("organisation:sso")
    in_force = sso.provider()
    context = {
        "form": form,
        "unlink": unlink,
        "environment": environment,
        "demo": demo,
        "in_force": in_force,
        "callback_url": request.build_absolute_uri(reverse("accounts:sso_callback")),
        "linked": (
            SsoLink.objects.filter(issuer__in=_issuers(in_force)).count() if in_force else 0
        ),
        "secret_unreadable": secret_stored and environment is None and not _secret_opens(row),
    }
    return settings_page(request, "organisation/sso.html", "organisation:sso", context)


def _issuers(found: sso.Provider) -> list[str]:
    """The issuer as configured and with a trailing slash, as providers may write it."""
    return [found.issuer, found.issuer + "/"]
