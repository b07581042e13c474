"""The competency framework: read it, download it as YAML, and (organisation-wide HR) import a
new version or start from our starter framework."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.viewer import viewer_of
from cadence.refusals import Conflict, Refused
from growth import document, queries, services
from growth.forms import ImportForm, PublishForm
from growth.models import FrameworkVersion
from growth.rules import publishes_framework
from organisation import current


@login_required
def framework(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    loaded = queries.current()
    categories = []
    if loaded is not None:
        categories = [
            (label, list(group))
            for label, group in groupby(
                sorted(
                    loaded.competencies,
                    key=lambda c: _category_order(loaded.competencies, c.category),
                ),
                key=lambda c: c.category_label,
            )
        ]
    context = {
        "framework": loaded,
        "categories": categories,
        "versions": queries.versions() if loaded else [],
        "may_publish": publishes_framework(viewer),
    }
    return render(request, "growth/framework.html", context)


def _category_order(competencies: list, category: str) -> int:
    """Categories in the order their first competency comes."""
    return next(i for i, c in enumerate(competencies) if c.category == category)


@login_required
def export(request: HttpRequest, number: int) -> HttpResponse:
    """A version as the YAML file an import reads (the current one: importing it changes
    nothing)."""
    loaded = queries.load(FrameworkVersion.objects.filter(number=number).first())
    if loaded is None:
        raise Http404(_("There is no such version of the framework."))
    response = HttpResponse(
        document.write(loaded.document()), content_type="application/yaml; charset=utf-8"
    )
    name = f"competency-framework-v{loaded.version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _require_publisher(request: HttpRequest) -> None:
    if not publishes_framework(viewer_of(request)):
        raise PermissionDenied


@login_required
def import_framework(request: HttpRequest) -> HttpResponse:
    """Upload or paste → the problems, or a preview of the changes → publish."""
    _require_publisher(request)
    if request.method == "POST" and "publish" in request.POST:
        return _publish(request)
    if request.method != "POST":
        return _upload_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    return _checked(request, form, form.cleaned_data["text"])


def _checked(request: HttpRequest, form: ImportForm, text: str, note: str = "") -> HttpResponse:
    try:
        prepared = services.prepare(text)
    except document.Invalid as invalid:
        return _upload_page(request, form, problems=invalid.problems, status=400)
    publish = PublishForm(initial={"text": text, "base": prepared.base, "note": note})
    context = {"prepared": prepared, "changes": prepared.changes, "form": publish}
    return render(request, "growth/import_preview.html", context)


def _upload_page(
    request: HttpRequest,
    form: ImportForm,
    problems: list[document.Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "problems": problems or [], "current": queries.current_version()}
    return render(request, "growth/import.html", context, status=status)


def _publish(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This preview is no longer complete: check the file again."))
        return redirect("growth:import")
    data = form.cleaned_data
    try:
        version = services.publish(
            viewer_of(request), data["text"], note=data["note"], base=data["base"]
        )
    except Conflict as conflict:
        messages.warning(request, str(conflict))
        return _checked(request, ImportForm(), data["text"], data["note"])
    except Refused as refused:
        for _field, message in refused.errors:
            messages.error(request, message)
        return _upload_page(request, ImportForm(initial={"text": data["text"]}), status=400)
    messages.success(
        request, _("Version %(number)s of the framework is published.") % {"number": version.number}
    )
    return redirect("growth:framework")


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Version 1 from our starter framework, in the organisation's language."""
    try:
        services.start_from_starter(viewer_of(request), current.settings().language)
    except Conflict:
        messages.warning(request, _("The organisation has a framework already."))
    else:
        messages.success(
            request,
            _(
                "The starter framework is published as version 1. Add your job roles to its "
                "tracks: download it, edit it and import it."
            ),
        )
    return redirect("growth:framework")
