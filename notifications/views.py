"""The notifications page: newest first, read and unread, one page at a time (keyset paging,
`cadence.keyset`); opening one marks it read and goes where it points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from cadence.keyset import BadCursor, after_cursor, cursor_of, sort_keys
from notifications import services
from notifications.models import Notification
from notifications.rules import MARK

PAGE_SIZE = 30
SALT = "notifications"


@login_required
@require_safe
def index(request):
    viewer = viewer_of(request)
    rows = visible(viewer, Notification).order_by("-created_at", "-pk")
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    keys = sort_keys(rows)
    cursor = request.GET.get("cursor") or ""
    if cursor:
        try:
            rows = rows.filter(after_cursor(Notification, keys, cursor, SALT))
        except BadCursor:
            return HttpResponseBadRequest(_("This page of notifications does not exist."))
    found = list(rows[: PAGE_SIZE + 1])
    older = cursor_of(found[PAGE_SIZE - 1], keys, SALT) if len(found) > PAGE_SIZE else None
    context = {
        "notifications": found[:PAGE_SIZE],
        "older": older,
        "unread_only": unread_only,
        "first_page": not cursor,
    }
    return render(request, "notifications/index.html", context)


def _back(request) -> str:
    """Back to the page of the list the form was on (a path on this site only)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and (
        target.startswith("/notifications/")
    ):
        return target
    return "notifications:index"


@login_required
@require_POST
def open_notification(request, notification_id):
    """Mark it read and go where it points."""
    viewer = viewer_of(request)
    notification = get_visible_or_404(viewer, Notification, notification_id, MARK)
    services.mark(viewer, notification, read=True)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:index")


@login_required
@require_POST
def mark(request, notification_id):
    viewer = viewer_of(request)
    notification = get_visible_or_404(viewer, Notification, notification_id, MARK)
    services.mark(viewer, notification, read=request.POST.get("read") != "0")
    return redirect(_back(request))


@login_required
@require_POST
def mark_all(request):
    count = services.mark_all_read(viewer_of(request))
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked read.", "%(count)s notifications marked read.", count
            )
            % {"count": count},
        )
    return redirect(_back(request))
