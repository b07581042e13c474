"""Talent's main page: where each of its parts is, for whoever may use it. The parts are the
skills heatmaps (a manager's team, a leader's or HR's part of the organisation), key positions
and their succession, talent reviews and internal mobility (everyone: openings and one's own
wish to move)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.viewer import viewer_of


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "talent/index.html",
        {"is_manager": viewer.is_manager, "is_hr": viewer.is_hr},
    )
