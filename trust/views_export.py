"""Export my data: one click prepares a ZIP of everything about me that I may see
(`trust.exporting`, built in the background), the page follows its progress (htmx polls the
status while it is being built) and offers the download until the link expires."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_safe

from access import catalogue
from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from cadence.refusals import Conflict
from trust import services_export
from trust.models import DataExport, ExportStatus
from trust.views import tabs_context


def export_context(viewer) -> dict:
    now = timezone.now()
    export = visible(viewer, DataExport).first()
    next_at = None
    if export is not None and export.status != ExportStatus.FAILED:
        next_at = export.requested_at + timedelta(minutes=settings.EXPORT_EVERY_MINUTES)
    stale = export is not None and services_export.is_stale(export, now)
    return {
        "export": export,
        "building": export is not None and export.in_progress and not stale,
        "stale": stale,
        "downloadable": export is not None and export.is_downloadable(now),
        "next_at": next_at if next_at is not None and next_at > now else None,
        "days": settings.EXPORT_DAYS,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export(request):
    viewer = viewer_of(request)
    if request.method == "POST":
        try:
            services_export.request_export(viewer, translation.get_language())
        except (Conflict, services_export.TooSoon) as refused:
            messages.error(request, str(refused))
        return redirect("trust:export")
    context = export_context(viewer)
    if request.headers.get("HX-Request"):
        return render(request, "trust/_export_status.html", context)
    context.update(tabs_context("trust:export"), kinds=catalogue.registered())
    return render(request, "trust/export.html", context)


@login_required
@require_safe
def export_download(request, export_id):
    export = get_visible_or_404(viewer_of(request), DataExport, export_id)
    if not export.is_downloadable(timezone.now()):
        raise Http404
    return zip_response(export)


def zip_response(export: DataExport) -> HttpResponse:
    """The export's ZIP as a download, never kept by a cache."""
    finished = timezone.localtime(export.finished_at or export.requested_at)
    response = HttpResponse(bytes(export.content), content_type="application/zip")
    name = f"cadence-export-{finished.date().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
