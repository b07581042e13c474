"""The skills pages of Talent: a manager's team heatmap, the organisation heatmap (leaders for
their part, HR for their scope) with its skill concentration. They parse, ask
`talent.rules`, read `talent.queries` and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from access.viewer import viewer_of
from talent import queries, rules


@login_required
def team(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not rules.sees_team_heatmap(viewer):
        raise PermissionDenied
    heatmap = queries.team_heatmap(
        viewer,
        sort=request.GET.get("sort", "name")[:60],
        category=request.GET.get("category", "")[:60],
        below_only=request.GET.get("below") == "1",
    )
    return render(request, "talent/skills/team.html", {"viewer": viewer, "heatmap": heatmap})


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    paths = rules.led_paths(viewer)
    if not rules.sees_organisation_heatmap(viewer, paths):
        raise PermissionDenied
    category = request.GET.get("category", "")[:60]
    try:
        under = queries.team_to_show(request.GET.get("under"))
    except LookupError:
        raise Http404 from None
    heatmap = queries.organisation_heatmap(
        viewer,
        paths,
        category=category,
        under=under,
        start=queries.start_of(request.GET.get("start")),
    )
    return render(
        request, "talent/skills/organisation.html", {"viewer": viewer, "heatmap": heatmap}
    )
