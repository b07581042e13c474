"""The skills pages of Talent: a manager's team heatmap, the organisation heatmap (leaders for
their part, HR for their scope) with its skill concentration. They parse, ask
`talent.rules`, read `talent.queries` and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from access.viewer import viewer_of
from cadence.ids import id_in
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
    under = None
    if request.GET.get("under"):
        under = queries.team_to_show(id_in(request.GET, "under"))
        if under is None:
            raise Http404
    heatmap = queries.organisation_heatmap(
        viewer,
        paths,
        category=request.GET.get("category", "")[:60],
        under=under,
        after=_place(request, "after"),
        before=_place(request, "before"),
    )
    return render(
        request,
        "talent/skills/organisation.html",
        {"viewer": viewer, "heatmap": heatmap, "query": _without_place(request)},
    )


def _place(request: HttpRequest, name: str) -> str | None:
    """A place in the tree a page of groups starts after or ends before (`after=` alone: after
    the people without a team, who come first); None when not asked."""
    value = request.GET.get(name)
    return None if value is None else value[: queries.MAX_PLACE]


def _without_place(request: HttpRequest) -> str:
    """The page's query string without where it starts: the pages' links add theirs."""
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    return query.urlencode()
