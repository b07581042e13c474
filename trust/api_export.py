"""Export my data in the JSON API: ask for the ZIP of everything about you that you may see,
follow its progress, download it. The same services as the page (`trust.services_export`):
one export at a time (409 while one is being prepared), at most one every
`EXPORT_EVERY_MINUTES` (429, with `Retry-After`). An export is its person's alone: anyone else
gets 404, HR and administrators included."""

from __future__ import annotations

import math
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Answer
from pydantic import field_validator

from access.viewer import viewer_of
from cadence.api_kit import Id, Strict, loaded, written
from trust import services_export
from trust.models import DataExport
from trust.views_export import zip_response

router = Router(tags=["my data"])

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


class ExportIn(Strict):
    language: str | None = Field(
        None, description="The language of the README and labels (`en`, `nl`); by default yours"
    )

    @field_validator("language")
    @classmethod
    def known_language(cls, value: str | None) -> str | None:
        if value is not None and value not in dict(settings.LANGUAGES):
            raise ValueError(f"One of: {', '.join(dict(settings.LANGUAGES))}")
        return value


class ExportOut(Schema):
    id: int
    status: str = Field(description="`queued`, `building`, `ready` or `failed`")
    progress: int = Field(description="Percent done, 0–100", alias="percent")
    requested_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="Until when it may be downloaded")
    size: int = Field(description="The ZIP's size in bytes, once ready")
    download: str | None = Field(description="The ZIP's path while it may be downloaded")

    @staticmethod
    def resolve_download(export: DataExport) -> str | None:
        if not export.is_downloadable(timezone.now()):
            return None
        return reverse("api:download_export", kwargs={"export_id": export.pk})


@router.post(
    "/me/export",
    response={201: ExportOut},
    summary="Export my data",
    openapi_extra={
        "responses": {
            "409": {"description": "An export is being prepared already.", "content": ERROR},
            "429": {
                "description": "Asked too soon after the last one; `Retry-After` says when.",
                "content": ERROR,
            },
        }
    },
)
def create_export(request, payload: ExportIn):
    """Prepare a ZIP of everything Cadence holds about you that you may see (a JSON and a CSV
    file per kind of data, and a README): it is built in the background; follow it with
    `GET /me/export/{id}` until `status` is `ready`, then download it from `download`. It
    replaces your last export."""
    viewer = viewer_of(request)
    try:
        language = payload.language or translation.get_language()
        export = written(services_export.request_export, viewer, language)
    except services_export.TooSoon as too_soon:
        response = JsonResponse({"detail": str(too_soon)}, status=429)
        wait = (too_soon.until - timezone.now()).total_seconds()
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    return Answer(201, export)


@router.get("/me/export/{id:export_id}", response=ExportOut, summary="An export of my data")
def get_export(request, export_id: Id):
    """Its status and progress; `download` once it is ready, until it expires."""
    return loaded(viewer_of(request), DataExport, export_id)


@router.get(
    "/me/export/{id:export_id}/download",
    response={200: None},
    summary="Download an export of my data",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The ZIP file.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            },
            "409": {"description": "It is not ready yet.", "content": ERROR},
        }
    },
)
def download_export(request, export_id: Id) -> HttpResponse:
    """The ZIP, while it may be downloaded (404 once it has expired)."""
    export = loaded(viewer_of(request), DataExport, export_id)
    if export.in_progress:
        raise HttpError(409, gettext("Your export is not ready yet."))
    if not export.is_downloadable(timezone.now()):
        raise HttpError(404, gettext("Not found."))
    return zip_response(export)
