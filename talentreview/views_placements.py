"""A placement's page (where someone stands, why, its history and their response, for whoever
may see it; changed by the manager in draft and by HR in the meeting), the person's response,
and "my placements" (when the organisation lets people see their own)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404, shown, visible, who_sees
from access.viewer import Viewer, viewer_of
from cadence.refusals import Conflict, form_saved
from talentreview import services
from talentreview.forms import PlacementForm, ResponseForm
from talentreview.models import Placement, PlacementChange, Response
from talentreview.rules import ADJUST, PLACE, RESPOND, reads_history

PLACEMENTS = Placement.objects.select_related("review__scope", "person__team", "placed_by")


def _page(request: HttpRequest, viewer: Viewer, placement: Placement, **forms: Any) -> HttpResponse:
    me = viewer.person
    history = list(
        visible(viewer, PlacementChange.objects.filter(placement=placement)).select_related(
            "changed_by"
        )
    )
    response = visible(viewer, Response.objects.filter(placement=placement)).first()
    shown(viewer, [*history, *([response] if response is not None else [])])
    changes = can(viewer, PLACE, placement) or can(viewer, ADJUST, placement)
    responds = can(viewer, RESPOND, placement)
    initial = {
        "performance": placement.performance,
        "potential": placement.potential,
        "rationale": placement.rationale,
    }
    context = {
        "placement": placement,
        "review": placement.review,
        "history": history,
        "reads_history": reads_history(viewer, placement),
        "response": response,
        "mine": me is not None and placement.person_id == me.pk,
        "who_sees": who_sees(placement, me),
        "form": (forms.get("form") or PlacementForm(initial=initial)) if changes else None,
        "response_form": (
            forms.get("response_form")
            or ResponseForm(initial={"text": response.text if response else ""})
        )
        if responds
        else None,
    }
    return render(request, "talentreview/placement.html", context)


@login_required
def placement(request: HttpRequest, placement_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, Placement, placement_id, queryset=PLACEMENTS)
    if request.method != "POST":
        return _page(request, viewer, found)
    if not (can(viewer, PLACE, found) or can(viewer, ADJUST, found)):
        raise PermissionDenied
    form = PlacementForm(request.POST)
    try:
        saved = form_saved(
            form,
            lambda data: services.change_placement(
                viewer,
                found,
                performance=data["performance"],
                potential=data["potential"],
                rationale=data["rationale"],
            ),
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
        return redirect("talentreview:placement", found.pk)
    if saved:
        messages.success(request, _("The placement is saved."))
        return redirect("talentreview:placement", found.pk)
    return _page(request, viewer, found, form=form)


@login_required
@require_POST
def respond(request: HttpRequest, placement_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, Placement, placement_id, RESPOND, queryset=PLACEMENTS)
    form = ResponseForm(request.POST)
    if form_saved(form, lambda data: services.respond(viewer, found, text=data["text"])):
        messages.success(request, _("Your response is saved."))
        return redirect("talentreview:placement", found.pk)
    return _page(request, viewer, found, response_form=form)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My own placements, where the organisation lets me see them (finalised reviews)."""
    viewer = viewer_of(request)
    me = viewer.person
    assert me is not None
    placements = list(
        visible(viewer, PLACEMENTS.filter(person=me), RESPOND).order_by("-review__finalised_at")
    )
    return render(request, "talentreview/mine.html", {"placements": placements})
