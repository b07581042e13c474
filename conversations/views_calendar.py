"""The private calendar feed: a secret address per person that calendar apps subscribe to.

Only a digest of the address's token is stored (`CalendarFeed`); the address is shown once,
right after it is made. Resetting it makes the old one stop working; turning it off deletes it.
The feed lists the person's open conversations and those held in the last 30 days: when and
with whom, never what is said (no agenda, notes or preparation).

Event UIDs and links are built from `SITE_URL`, never from the host a request came through
(fetching the feed by another name must not turn every event into a new one). Each event's
SEQUENCE is the conversation's version (`Conversation.sequence`). The feed answers with an
ETag (a digest of its content) and Last-Modified (when that content was first served), and
"304 Not Modified" to a calendar that already has it.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from access.rules import visible
from access.viewer import Viewer
from cadence.links import site_host, site_link
from conversations import ical
from conversations.models import DURATION, CalendarFeed, Conversation, Status

# The one-time address between the reset (POST) and the page that shows it (GET).
SESSION_KEY = "conversations_calendar_address"
HELD_DAYS = 30
FEED_LIMIT = 500
# How stale `last_used_at` may be before a fetch writes it again.
USED_EVERY = timedelta(hours=1)
PRODUCT = "-//Cadence//Conversations//EN"
# The stamp of the content whose digest is the ETag (the served body is stamped with the time
# that content was first served).
VERSION_STAMP = datetime(2000, 1, 1, tzinfo=UTC)


@login_required
def calendar(request):
    feed = CalendarFeed.objects.filter(person=request.user).first()
    address = request.session.pop(SESSION_KEY, None) if feed else None
    webcal = "webcal://" + address.split("://", 1)[1] if address else None
    context = {"feed": feed, "address": address, "webcal": webcal}
    return render(request, "conversations/calendar/calendar.html", context)


@login_required
@require_POST
def calendar_reset(request):
    """Make a new address (the first, or a replacement: the old one stops working)."""
    had_one = CalendarFeed.objects.filter(person=request.user).exists()
    _feed, token = CalendarFeed.issue(request.user)
    address = site_link(reverse("conversations:calendar_feed", args=[token]))
    request.session[SESSION_KEY] = address
    if had_one:
        messages.success(
            request, _("Your calendar has a new address; the old one stopped working.")
        )
    return redirect("conversations:calendar")


@login_required
@require_POST
def calendar_revoke(request):
    deleted, _rows = CalendarFeed.objects.filter(person=request.user).delete()
    request.session.pop(SESSION_KEY, None)
    if deleted:
        messages.success(request, _("Your calendar feed is turned off."))
    return redirect("conversations:calendar")


def feed_events(person, now):
    """The person's conversations as calendar events: open ones and those held lately."""
    since = now.date() - timedelta(days=HELD_DAYS + 1)
    conversations = (
        visible(Viewer(person=person), Conversation.objects.in_scope())  # as on the pages
        .filter(Q(status=Status.SCHEDULED) | Q(status=Status.HELD, held_on__gte=since))
        .select_related("employee", "manager")
        .only(
            "pk",
            "kind",
            "title",
            "due_date",
            "starts_at",
            "status",
            "held_on",
            "sequence",
            "employee__name",
            "manager__name",
        )
        .order_by("-due_date", "-pk")[:FEED_LIMIT]
    )
    host = site_host()
    events = []
    for conversation in conversations:
        if conversation.starts_at is not None:
            start = conversation.starts_at
            end = start + timedelta(minutes=DURATION[conversation.kind])
        else:
            start = conversation.held_on or conversation.due_date
            end = None
        summary = _("%(conversation)s: %(employee)s and %(manager)s") % {
            "conversation": conversation.label,
            "employee": conversation.employee.name,
            "manager": conversation.manager.name,
        }
        url = site_link(conversation.get_absolute_url())
        events.append(
            ical.Event(
                uid=f"conversation-{conversation.pk}@{host}",
                summary=summary,
                start=start,
                end=end,
                url=url,
                description=url,
                sequence=conversation.sequence,
            )
        )
    return events


@require_safe
def feed(request, token):
    """The calendar itself, for calendar apps: no sign-in, the address is the secret."""
    record = (
        CalendarFeed.objects.select_related("person")
        .filter(digest=CalendarFeed.digest_of(token))
        .first()
    )
    if record is None:
        raise Http404
    person = record.person
    if not person.is_active or person.has_left:
        raise Http404
    now = timezone.now()
    with translation.override(person.effective_language):
        events = feed_events(person, now)
        name = _("Cadence conversations")
    content = ical.calendar(events, name=name, stamp=VERSION_STAMP, product=PRODUCT)
    etag = hashlib.sha256(content.encode()).hexdigest()[:32]
    # One write at most, and only when something changed: the content (a new version, served
    # from now on) or a last use more than an hour old.
    changes = {}
    if etag != record.etag or record.changed_at is None:
        changes.update(etag=etag, changed_at=now.replace(microsecond=0))
    if record.last_used_at is None or now - record.last_used_at > USED_EVERY:
        changes.update(last_used_at=now)
    if changes:
        CalendarFeed.objects.filter(pk=record.pk).update(**changes)
    changed_at = changes.get("changed_at", record.changed_at)
    response = HttpResponse(content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cadence.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    # Kept by the calendar app only (the address is a secret), and asked again each time.
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = f'"{etag}"'
    response["Last-Modified"] = http_date(changed_at.timestamp())
    conditional = get_conditional_response(
        request, etag=f'"{etag}"', last_modified=int(changed_at.timestamp()), response=response
    )
    if conditional is not response:
        return conditional  # 304: the calendar app has this version; no body to build
    response.content = ical.calendar(events, name=name, stamp=changed_at, product=PRODUCT)
    return response
