"""The notifications page: newest first, read and unread, one page at a time (keyset paging,
`cadence.keyset`); opening one marks it read and goes where it points. The e-mail preferences
saved from the profile page, and the one-click unsubscribe link of an e-mail
(`notifications.mail`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from cadence.keyset import BadCursor, after_cursor, cursor_of, sort_keys
from cadence.refusals import form_saved
from notifications import mail, services
from notifications.forms import EmailPreferencesForm
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


# --- E-mail preferences -------------------------------------------------------------------------


@login_required
@require_POST
def email_preferences(request):
    """Save the e-mail preferences' form of the profile page (`accounts:profile`, its "E-mail"
    card), and go back there."""
    viewer = viewer_of(request)
    form = EmailPreferencesForm(request.POST, viewer=viewer, off=frozenset())
    saved = form_saved(
        form,
        lambda data: services.set_email_preferences(
            viewer, form.turned_off(), among=form.offered_keys()
        ),
        fields={"off": "email"},
    )
    if saved:
        messages.success(request, _("Your e-mail settings are saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("accounts:profile") + "#email")


# --- Unsubscribing ------------------------------------------------------------------------------

# The body a mail program posts for a one-click unsubscribe (RFC 8058).
ONE_CLICK = ("List-Unsubscribe", "One-Click")
TEXT = "text/plain; charset=utf-8"


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """An e-mail's unsubscribe link. A mail program's one-click POST (RFC 8058: the body
    `List-Unsubscribe=One-Click`, no cookies, no CSRF token) turns that kind of e-mail off at
    once; anything else is a person in a browser, who gets a page with a button (a POST with
    CSRF protection, as everywhere else): a mail scanner that opens the link changes nothing."""
    if request.method == "POST" and request.POST.get(ONE_CLICK[0]) == ONE_CLICK[1]:
        try:
            services.unsubscribe(token)
        except PermissionDenied:
            return HttpResponse(_("This link no longer works."), status=404, content_type=TEXT)
        return HttpResponse(_("You will no longer get these e-mails."), content_type=TEXT)
    return _unsubscribe_page(request, token)


@csrf_protect
def _unsubscribe_page(request, token):
    found = mail.unsubscribing(token)
    context = {"found": found, "done": False}
    if found is None:
        return render(request, "notifications/unsubscribe.html", context, status=404)
    # The same page whether the kind is on or off already: whoever holds the link (a forwarded
    # e-mail, a mail scanner) does not learn the person's preferences from it.
    _person, kind = found
    if request.method == "POST":
        services.unsubscribe(token)
        context["done"] = True
    context["kind"] = kind
    return render(request, "notifications/unsubscribe.html", context)
