"""The shell's own pages: home, the health check and the modules not built yet."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from access import rules
from access.viewer import viewer_of
from cadence.context_processors import waiting_counts
from cadence.modules import BY_KEY
from cadence.waiting import kept_rows, sources, waiting_items
from conversations.models import Conversation
from feedback.rules import manages_review_cycles
from firstrun import checklist as firstrun_checklist
from goals.models import STALE_WEEKS, Objective
from goals.queries import attention_goals, attention_of
from goals.queries import in_scope_q as goals_in_scope_q
from organisation import current, scope
from people.models import Person, current_q
from scim import protocol as scim_protocol


@require_safe
@never_cache
def healthz(request):
    """For load balancers: 200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


def not_found(request, exception):
    """404: the API answers in its own error shape (an id out of range, an unknown path), the
    pages with the page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    if request.path_info.startswith("/scim/"):
        return scim_protocol.not_found(request)
    return page_not_found(request, exception)


HOME_ATTENTION = 5  # my reports' goals needing attention shown on Home
HOME_CONVERSATIONS = 5  # my next open conversations, as employee or as manager
HOME_WAITING = 10  # the first things waiting for me; the rest behind "and N more" links


def _more_links(items: list, source_counts: dict[str, int]) -> list[dict]:
    """Per source with more waiting than Home shows: how many more, and the page listing them."""
    shown: dict[str, int] = {}
    for item in items:
        shown[item.source] = shown.get(item.source, 0) + 1
    links: dict[str, dict] = {}
    for key, source in sources().items():
        more = source_counts.get(key, 0) - shown.get(key, 0)
        if more > 0:
            url = reverse(source.more_url)
            link = links.setdefault(url, {"url": url, "count": 0, "module": source.module})
            link["count"] += more
    for link in links.values():
        link["label"] = BY_KEY[link["module"]].label
    return list(links.values())


@login_required
def home(request):
    viewer = viewer_of(request)
    # A fresh installation's administrator is sent to the first-run guide until it is set up;
    # its HR and administrators see the "Getting started" list (nobody else pays a query).
    first_run = firstrun_checklist.for_home(viewer)
    if first_run is not None and first_run.redirect_to:
        return redirect(first_run.redirect_to)
    me = viewer.person
    today = me.local_today()
    source_counts = waiting_counts(request)
    # Read through the rules with SQL kept per viewer state and day (`kept_rows`): building
    # these queries cost more than running them.
    found = (
        kept_rows(
            viewer,
            today,
            ("home:manager",),
            lambda: (
                rules.visible(viewer, Person)
                .select_related("team")
                .filter(pk=me.manager_id)
                .order_by()[:1]
            ),
        )
        if me.manager_id
        else []
    )
    manager = found[0] if found else None
    reports = kept_rows(
        viewer,
        today,
        ("home:reports",),
        lambda: (
            rules.visible(viewer, Person)
            .filter(current_q(), manager=me)
            .select_related("team")
            .order_by("name")[:13]
        ),
    )
    waiting = waiting_items(viewer, today, HOME_WAITING, source_counts)
    # During a pilot, the modules' cards show what is inside it: their reports' goals, the
    # conversations of pairs inside (the reporting lines are the directory's, for everyone).
    org = current.settings()
    # Outside the pilot scope (`organisation.scope`) Home shows no module's cards.
    uses_modules = scope.sees_modules(viewer)
    modules_on = {
        key: uses_modules and org.is_on(key) for key in ("goals", "conversations", "feedback")
    }
    conversations = (
        kept_rows(
            viewer,
            today,
            ("home:conversations", HOME_CONVERSATIONS),
            lambda: (
                rules.visible(viewer, Conversation.objects.open().in_scope())
                .select_related("employee", "manager")
                .order_by("due_date", "pk")[:HOME_CONVERSATIONS]
            ),
        )
        if modules_on["conversations"]
        else []
    )
    for conversation in conversations:
        conversation.overdue = conversation.is_overdue(conversation.employee.local_today())
        conversation.other = conversation.partner_of(me.pk)
        conversation.to_prepare = conversation.employee_id == me.pk and not conversation.prepared_at
    goals_shown = bool(reports) and modules_on["goals"]
    stale_weeks = STALE_WEEKS.get() if goals_shown else 0
    reports_attention = (
        attention_of(
            kept_rows(
                viewer,
                today,
                ("home:reports_attention", stale_weeks, HOME_ATTENTION),
                lambda: attention_goals(
                    viewer,
                    Objective.objects.filter(goals_in_scope_q(), owner_person__manager=me),
                    stale_weeks,
                    HOME_ATTENTION,
                ),
            ),
            stale_weeks,
        )
        if goals_shown
        else None
    )
    rules.shown(viewer, conversations)
    if reports_attention is not None:
        rules.shown(viewer, [row.goal for row in reports_attention["rows"]])
    context = {
        "me": me,
        "conversations": conversations,
        "manager": manager,
        "reports": reports[:12],
        "more_reports": len(reports) > 12,
        "waiting": waiting,
        "waiting_more": _more_links(waiting, source_counts),
        "waiting_total": sum(source_counts.get(key, 0) for key in sources()),
        "starts_cycles": org.is_on("reviews") and manages_review_cycles(viewer),
        "modules_on": modules_on,
        "reports_attention": reports_attention,
        "outside_pilot": not uses_modules,
        "demo": settings.DEMO,
        "getting_started": first_run.checklist if first_run else None,
    }
    return render(request, "cadence/home.html", context)


@login_required
def module_placeholder(request, key):
    """A module that is not built yet says so plainly, with what it will do."""
    module = BY_KEY[key]
    viewer = viewer_of(request)
    if module.audience == "managers" and not viewer.is_manager:
        raise PermissionDenied
    if module.audience == "hr" and not viewer.is_hr:
        raise PermissionDenied
    return render(request, "cadence/module_placeholder.html", {"module": module})
