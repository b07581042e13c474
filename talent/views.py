"""Talent's main page: where each of its parts is, for whoever may use it. The parts are the
skills heatmaps (a manager's team, a leader's or HR's part of the organisation), key positions
and their succession, talent reviews and internal mobility (everyone: openings and one's own
wish to move)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.viewer import viewer_of
from talent import rules

# Each part's card is its own template, `talent/_part_<part>.html`, given `viewer`; a part
# that needs more than the viewer's booleans adds it to `index`'s context in one query at most.


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "talent/index.html",
        {
            "viewer": viewer,
            # The skills card: the team heatmap for managers, the organisation's for leaders
            # and HR (a query: the teams the viewer leads).
            "skills_team": rules.sees_team_heatmap(viewer),
            "skills_organisation": rules.sees_organisation_heatmap(viewer),
        },
    )
