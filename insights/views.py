"""Insights' pages: the index (which pages the viewer has), a manager's page (their team), a
leader's (their part of the organisation, a team at a time), HR's (their scope), each chart's
data as CSV, and HR's "compute now". They ask `insights.rules`, read `insights.queries` (only
snapshots) and render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.viewer import viewer_of
from cadence.csv_safe import row as safe_row
from insights import queries, rules, services


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "insights/index.html",
        {
            "viewer": viewer,
            "team_page": rules.may_open(viewer, rules.MANAGER_PAGE),
            "leader_page": rules.may_open(viewer, rules.LEADER_PAGE),
            "hr_page": rules.may_open(viewer, rules.HR_PAGE),
        },
    )


def _page(request: HttpRequest, page: str) -> HttpResponse:
    viewer = viewer_of(request)
    if not rules.may_open(viewer, page):
        raise PermissionDenied
    found = queries.page_of(viewer, page, request.GET)
    return render(
        request,
        "insights/page.html",
        {
            "viewer": viewer,
            "insights": found,
            "page": page,
            "url_name": f"insights:{page}",
            "csv_name": f"insights:{page}_csv",
            "query": request.GET.urlencode(),
            "computes": page == rules.HR_PAGE and rules.computes_on_demand(viewer),
        },
    )


@login_required
def team(request: HttpRequest) -> HttpResponse:
    return _page(request, rules.MANAGER_PAGE)


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    return _page(request, rules.LEADER_PAGE)


@login_required
def hr(request: HttpRequest) -> HttpResponse:
    return _page(request, rules.HR_PAGE)


def _csv(request: HttpRequest, page: str, kind: str) -> HttpResponse:
    viewer = viewer_of(request)
    if not rules.may_open(viewer, page):
        raise PermissionDenied
    found = queries.page_of(viewer, page, request.GET, kinds=[kind])
    if not found.blocks:
        raise Http404
    block = found.blocks[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    variant = f"-{block.variant}" if block.variant else ""
    name = f"insights-{kind}-{found.scope.replace(':', '-')}{variant}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([str(c.label) for c in block.chart.columns])
    for cells in block.table():
        writer.writerow(safe_row(["" if cell is None else cell for cell in cells]))
    return response


@login_required
def team_csv(request: HttpRequest, kind: str) -> HttpResponse:
    return _csv(request, rules.MANAGER_PAGE, kind)


@login_required
def organisation_csv(request: HttpRequest, kind: str) -> HttpResponse:
    return _csv(request, rules.LEADER_PAGE, kind)


@login_required
def hr_csv(request: HttpRequest, kind: str) -> HttpResponse:
    return _csv(request, rules.HR_PAGE, kind)


@login_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    if services.request_compute(viewer_of(request)):
        messages.success(
            request,
            _("The figures are being computed again; they will be here within a few minutes."),
        )
    else:
        messages.info(
            request,
            _(
                "The figures are already waiting to be computed; they will be here within a "
                "few minutes."
            ),
        )
    return redirect("insights:hr")
