"""My sessions and tokens: where I am signed in (device, roughly where from, since when, last
active) and my API tokens; end one session, or every other session and every token at once."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from access.viewer import viewer_of
from accounts import sessions
from accounts.models import ApiToken, SignedInSession
from trust.views import tabs_context


@dataclass
class Listed:
    session: SignedInSession
    device: str  # in plain words: "Firefox on Windows"
    is_current: bool  # the one this page is seen in


def sessions_context(request) -> dict:
    current = sessions.current_hash(request)
    listed = [
        Listed(row, sessions.device_of(row.user_agent), row.key_hash == current)
        for row in sessions.active(request.user)
    ]
    return {
        **tabs_context("trust:sessions"),
        "sessions": listed,
        "others": sum(not each.is_current for each in listed),
        "tokens": list(ApiToken.objects.filter(person=request.user).active()),
    }


@login_required
@require_safe
def sessions_page(request):
    return render(request, "trust/sessions.html", sessions_context(request))


@login_required
@require_POST
def end_session(request, session_id):
    try:
        row = sessions.end_session(viewer_of(request), session_id, sessions.current_hash(request))
    except SignedInSession.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("The session on %(device)s is ended.") % {"device": sessions.device_of(row.user_agent)},
    )
    return redirect("trust:sessions")


@login_required
@require_POST
def end_everywhere_else(request):
    if request.POST.get("confirm") != "yes":
        context = sessions_context(request)
        context["confirm_error"] = _("Tick the box to confirm.")
        return render(request, "trust/sessions.html", context, status=400)
    ended, revoked = sessions.end_everywhere_else(
        viewer_of(request), sessions.current_hash(request)
    )
    messages.success(
        request,
        ngettext("%(count)s other session ended", "%(count)s other sessions ended", ended)
        % {"count": ended}
        + "; "
        + ngettext("%(count)s API token revoked.", "%(count)s API tokens revoked.", revoked)
        % {"count": revoked},
    )
    return redirect("trust:sessions")
