"""The settings pages (Administration): each tab for those who administer its part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.viewer import viewer_of
from cadence.modules import BY_KEY, SWITCHABLE
from organisation import current, services
from organisation.forms import GeneralForm, ModulesForm, RetentionForm
from organisation.rules import ADMIN, HR, may
from organisation.tabs import tabs_for
from trust.models import TrustSettings


def _page(request, template: str, tab: str, context: dict):
    viewer = viewer_of(request)
    return render(
        request,
        template,
        {"tabs": tabs_for(viewer), "current_tab": tab, **context},
    )


@login_required
def index(request):
    """The first settings tab the viewer administers."""
    tabs = tabs_for(viewer_of(request))
    if not tabs:
        raise PermissionDenied
    return redirect(tabs[0][0])


@login_required
def general(request):
    viewer = viewer_of(request)
    if not may(viewer, ADMIN):
        raise PermissionDenied
    form = GeneralForm(request.POST or None, instance=current.row())
    if request.method == "POST" and services.save_general(viewer, form) is not None:
        messages.success(request, _("The organisation's settings are saved."))
        return redirect("organisation:general")
    return _page(request, "organisation/general.html", "organisation:general", {"form": form})


@login_required
def modules(request):
    viewer = viewer_of(request)
    if not may(viewer, ADMIN):
        raise PermissionDenied
    off = frozenset(current.row().modules_off or ())
    form = ModulesForm(request.POST or None, off=off)
    if request.method == "POST" and services.save_modules(viewer, form) is not None:
        messages.success(request, _("The modules are saved."))
        return redirect("organisation:modules")
    rows = [
        (module, form[module.key], BY_KEY[module.within].label if module.within else "")
        for module in SWITCHABLE
    ]
    return _page(
        request, "organisation/modules.html", "organisation:modules", {"form": form, "rows": rows}
    )


@login_required
def privacy(request):
    """Retention periods, and where each module's privacy settings are."""
    viewer = viewer_of(request)
    if not may(viewer, HR):
        raise PermissionDenied
    form = RetentionForm(request.POST or None, instance=TrustSettings.load())
    if request.method == "POST" and services.save_retention(viewer, form) is not None:
        messages.success(request, _("The retention periods are saved."))
        return redirect("organisation:privacy")
    org = current.settings()
    return _page(
        request,
        "organisation/privacy.html",
        "organisation:privacy",
        {"form": form, "feedback_on": org.is_on("feedback")},
    )
