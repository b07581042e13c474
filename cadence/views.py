"""The shell's own pages: home, the health check and the modules not built yet."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from access import rules
from access.viewer import viewer_of
from cadence.modules import BY_KEY
from conversations.models import Conversation
from goals.models import GoalSettings, Objective
from goals.queries import needing_attention
from people.models import Person, current_q


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
    return page_not_found(request, exception)


HOME_ATTENTION = 5  # goals needing attention shown on Home, for me and for my reports
HOME_CONVERSATIONS = 5  # my next open conversations, as employee or as manager


@login_required
def home(request):
    viewer = viewer_of(request)
    me = viewer.person
    visible = rules.visible(viewer, Person)
    manager = (
        visible.select_related("team").filter(pk=me.manager_id).first() if me.manager_id else None
    )
    reports = list(
        visible.filter(current_q(), manager=me).select_related("team").order_by("name")[:13]
    )
    stale_weeks = GoalSettings.load().stale_after_weeks
    my_goals = Objective.objects.filter(owner_person=me)
    reports_goals = Objective.objects.filter(owner_person__manager=me)
    conversations = list(
        rules.visible(viewer, Conversation.objects.open())
        .select_related("employee", "manager")
        .order_by("due_date", "pk")[:HOME_CONVERSATIONS]
    )
    for conversation in conversations:
        conversation.overdue = conversation.is_overdue(conversation.employee.local_today())
        conversation.other = conversation.partner_of(me.pk)
        conversation.to_prepare = conversation.employee_id == me.pk and not conversation.prepared_at
    context = {
        "me": me,
        "conversations": conversations,
        "manager": manager,
        "reports": reports[:12],
        "more_reports": len(reports) > 12,
        "my_attention": needing_attention(viewer, my_goals, stale_weeks, HOME_ATTENTION),
        "reports_attention": (
            needing_attention(viewer, reports_goals, stale_weeks, HOME_ATTENTION)
            if reports
            else None
        ),
        "upcoming": [m for k, m in BY_KEY.items() if not m.built and m.audience == "everyone"],
        "demo": settings.DEMO,
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
