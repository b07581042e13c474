"""HR's assessment rounds: start one for a team within their scope (or the organisation), and
follow its progress as counts only (started, self-assessments shared, managers' shared, levels
agreed): never a rating."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from cadence.refusals import form_saved
from growth import queries, services
from growth.forms_assessments import RoundForm
from growth.models import AssessmentRound
from growth.rules import round_teams, starts_rounds


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not starts_rounds(viewer):
        raise PermissionDenied
    teams, whole = round_teams(viewer)
    form = RoundForm(request.POST or None, teams=teams, whole=whole)
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.start_round(
            viewer, name=data["name"], team_id=data["team"], due_date=data["due_date"]
        ),
        {"team_id": "team"},
    ):
        return redirect("growth:round", form.saved.pk)  # type: ignore[attr-defined]
    listed = list(visible(viewer, AssessmentRound).select_related("scope")[:100])
    return render(request, "growth/rounds.html", {"form": form, "rounds": listed})


@login_required
def round_progress(request: HttpRequest, round_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(
        viewer, AssessmentRound, round_id, queryset=AssessmentRound.objects.select_related("scope")
    )
    # Counts only: the assessments HR in scope may know exist, none of their ratings.
    counts = queries.round_progress(viewer, found)
    return render(request, "growth/round.html", {"round": found, "counts": counts})
