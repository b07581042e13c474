"""One action of a plan: the owner edits it; the owner or the manager moves its status; the
manager comments and confirms support. The status and coaching forms answer htmx with the
action's fragment (the plan page and a conversation's agenda both show it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404
from access.viewer import Viewer, viewer_of
from cadence.refusals import Refused, form_saved, show_refusal
from organisation import current
from plans import services
from plans.forms import ActionForm, CoachForm, StatusForm
from plans.models import PlanAction
from plans.rules import CHANGE, COACH, MOVE


def _load(viewer: Viewer, action_id: int, action: str = "view") -> PlanAction:
    return get_visible_or_404(
        viewer,
        PlanAction,
        action_id,
        action,
        queryset=PlanAction.objects.select_related("plan__person", "support_confirmed_by"),
    )


def _back(request: HttpRequest, action: PlanAction) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return fragment(request, action)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("plans:plan", plan_id=action.plan_id)


def fragment(request: HttpRequest, action: PlanAction, **forms: object) -> HttpResponse:
    viewer = viewer_of(request)
    context = {
        "action": action,
        "today": timezone.localdate(),
        "currency": current.settings().currency,
        "may_change": can(viewer, CHANGE, action),
        "coaching": can(viewer, COACH, action),
        "next": request.POST.get("next", ""),
        **forms,
    }
    return render(request, "plans/_action.html", context)


@login_required
def edit(request: HttpRequest, action_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    action = _load(viewer, action_id, CHANGE)
    currency = current.settings().currency
    if request.method == "POST":
        form = ActionForm(request.POST, instance=PlanAction(), currency=currency)
        if form_saved(form, lambda data: services.change_action(viewer, action, data)):
            messages.success(request, _("Action saved."))
            return redirect("plans:mine")
    else:
        form = ActionForm(instance=action, currency=currency)
    return render(request, "plans/action_edit.html", {"action": action, "form": form})


@login_required
@require_POST
def status(request: HttpRequest, action_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    action = _load(viewer, action_id, MOVE)
    form = StatusForm(request.POST)
    if form_saved(form, lambda data: services.set_action_status(viewer, action, data["status"])):
        return _back(request, action)
    return fragment(request, action, status_form=form)


@login_required
@require_POST
def coach(request: HttpRequest, action_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    action = _load(viewer, action_id, COACH)
    form = CoachForm(request.POST)
    if form.is_valid():
        try:
            services.coach_action(viewer, action, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            return _back(request, action)
    return fragment(request, action, coach_form=form)
