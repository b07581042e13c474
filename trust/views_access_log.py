"""My data's "Who looked" tab: the access log about me, newest first, with filters, a page at a
time (keyset paging after the last entry shown, `cadence.keyset`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cadence.keyset import BadCursor, after_cursor, cursor_of, sort_keys
from trust import who_looked
from trust.models import AccessLogEntry
from trust.views import tabs_context

PAGE_SIZE = who_looked.FIRST_PAGE_ROWS - 1
SALT = "trust.access_log"


@login_required
@require_safe
def access_log(request):
    me = request.user
    viewers = who_looked.kept_viewers_of(me)
    form = who_looked.FilterForm(request.GET or None, viewers=viewers)
    filters = form.filters()
    entries = who_looked.filtered(who_looked.entries_about(me), **filters)
    keys = sort_keys(entries)
    cursor = request.GET.get("cursor") or ""
    if cursor:
        try:
            entries = entries.filter(after_cursor(AccessLogEntry, keys, cursor, SALT))
        except BadCursor:
            return HttpResponseBadRequest(_("This page of the access log does not exist."))
    if not cursor and not any(filters.values()):  # the page as it opens: its SQL kept
        found = who_looked.kept_first_page(me)
    else:
        found = list(entries[: PAGE_SIZE + 1])
    older = cursor_of(found[PAGE_SIZE - 1], keys, SALT) if len(found) > PAGE_SIZE else None
    querystring = request.GET.copy()
    querystring.pop("cursor", None)
    context = {
        **tabs_context("trust:access_log"),
        "form": form,
        "rows": who_looked.rows_of(found[:PAGE_SIZE], me),
        "older": older,
        "first_page": not cursor,
        "querystring": querystring.urlencode(),
        "filtered": any(request.GET.get(name) for name in form.fields),
        "months": who_looked.LOG_MONTHS.get(),
    }
    return render(request, "trust/access_log.html", context)
