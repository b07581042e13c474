"""My data's "Changes about me": the audit log's entries about the signed-in person, newest
first, with who made each change and what it was before and after."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from access.viewer import viewer_of
from cadence.api_kit import signed_in
from cadence.keyset import BadCursor
from trust.queries import Filters, entries
from trust.views import tabs_context
from trust.views_audit import page_of

SALT = "trust.changes"


@login_required
@require_safe
def changes(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    me = signed_in(viewer)
    cursor = request.GET.get("cursor") or ""
    try:
        rows, older = page_of(
            viewer, entries(viewer, Filters(subject=me.pk)), cursor, SALT, own=True
        )
    except BadCursor:
        return HttpResponseBadRequest(_("This page of changes does not exist."))
    context = {
        **tabs_context("trust:changes"),
        "rows": rows,
        "older": older,
        "first_page": not cursor,
        "show_subject": False,
    }
    return render(request, "trust/changes.html", context)
