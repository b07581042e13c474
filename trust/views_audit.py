"""The audit log's pages, for organisation-wide HR and administrators (everyone else: 403):
the entries newest first with filters, a page at a time (keyset paging), and the filtered list
as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from access.rules import shown
from access.viewer import Viewer, viewer_of
from cadence.csv_safe import csv_response
from cadence.keyset import BadCursor, after_cursor, cursor_of, sort_keys
from cadence.shortcuts import require
from trust import access_log
from trust.forms import AuditFilterForm
from trust.models import AuditEntry
from trust.queries import entries
from trust.readable import Row, readable
from trust.rules import reads_audit_log

PAGE_SIZE = 50
SALT = "trust.audit"
CSV_BATCH = 500
CSV_HEADER = ["id", "when", "action", "action_label", "by", "about", "object", "field"]
CSV_HEADER += ["field_label", "before", "after"]


def _filtered(
    request: HttpRequest, viewer: Viewer
) -> tuple[AuditFilterForm, QuerySet[AuditEntry] | None]:
    """The filter form and the entries it keeps (None: the filters are invalid)."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound or form.searching:
        return form, entries(viewer)
    if not form.is_valid():
        return form, None
    return form, entries(viewer, form.filters())


def page_of(
    viewer: Viewer, rows: QuerySet[AuditEntry], cursor: str, salt: str, *, own: bool = False
) -> tuple[list[Row], str | None]:
    """A page of `rows` (newest first) after `cursor`, in words (`own`: about the viewer), and
    the next page's cursor. Raises BadCursor."""
    keys = sort_keys(rows)
    if cursor:
        rows = rows.filter(after_cursor(AuditEntry, keys, cursor, salt))
    found = list(rows[: PAGE_SIZE + 1])
    older = cursor_of(found[PAGE_SIZE - 1], keys, salt) if len(found) > PAGE_SIZE else None
    shown(viewer, found[:PAGE_SIZE])
    return readable(found[:PAGE_SIZE], viewer, own=own), older


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    require(reads_audit_log(viewer))
    form, rows = _filtered(request, viewer)
    cursor = request.GET.get("cursor") or ""
    shown: list[Row] = []
    older = None
    if rows is not None:
        try:
            shown, older = page_of(viewer, rows, cursor, SALT)
        except BadCursor:
            return HttpResponseBadRequest(_("This page of the audit log does not exist."))
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "rows": shown,
        "older": older,
        "first_page": not cursor,
        "query": query.urlencode(),
        "show_subject": True,
    }
    return render(request, "trust/audit_log.html", context, status=400 if rows is None else 200)


@login_required
@require_safe
def audit_csv(request: HttpRequest) -> HttpResponseBase:
    """The filtered list, every page of it, one row per field changed (an entry without
    changes: one row)."""
    viewer = viewer_of(request)
    require(reads_audit_log(viewer))
    rows = _filtered(request, viewer)[1]
    if rows is None:
        return HttpResponseBadRequest(_("The filters are not valid: check them on the page."))
    name = f"cadence-audit-log-{timezone.localdate().isoformat()}.csv"
    # The reader's language and time zone, read now: the rows are written after the request's
    # middleware has put both back.
    language, zone = translation.get_language(), timezone.get_current_timezone()
    return csv_response(name, CSV_HEADER, _csv_rows(viewer, rows, language, zone, request.path))


def _csv_rows(
    viewer: Viewer, rows: QuerySet[AuditEntry], language: str, zone: tzinfo, path: str
) -> Iterator[list[Any]]:
    """Read a batch of entries at a time while the response streams (newest first). The
    stream outlives the request, so it records what it sends in the access log itself."""
    last: int | None = None
    with access_log.recorded(access_log.EXPORT, path):
        while True:
            batch = list((rows.filter(pk__lt=last) if last else rows)[:CSV_BATCH])
            if not batch:
                return
            last = batch[-1].pk
            shown(viewer, batch)
            with translation.override(language):
                for row in readable(batch, viewer):
                    yield from csv_lines(row, zone)


def csv_lines(row: Row, zone: tzinfo) -> Iterator[list[Any]]:
    entry = row.entry
    start = [
        entry.pk,
        timezone.localtime(entry.at, zone).isoformat(timespec="seconds"),
        entry.action,
        row.action,
        row.actor,
        row.subject,
        row.target,
    ]
    if not row.changes:
        yield [*start, "", "", "", ""]
    for change in row.changes:
        yield [*start, change.field, change.label, change.before, change.after]
