"""A participant's 360 report, and its release to them.

The report is for the participant's manager (as of the cycle's start) and HR covering the
participant, who prepare and release it, and for the participant once released; anyone else
gets a 404. What it shows comes from `feedback.report` (and so from `feedback.anonymity`): no
rater group below the cycle's threshold, nor any count of one; and nothing at all before the
cycle closes. A report is released only once the cycle is closed, and only with a confirmation
(a box to tick on the report page): what the participant then reads never changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from access.rules import can, get_visible_or_404, read, who_sees
from access.viewer import Viewer, viewer_of
from cadence.refusals import Refused
from feedback import services
from feedback.models import CycleStatus, ReviewParticipant
from feedback.report import build_report

# A report can be released once the answers are final.
RELEASABLE = (CycleStatus.CLOSED,)
CONFIRM = "yes"


def visible_participant(request, participant_id: int) -> tuple[Viewer, ReviewParticipant]:
    """The participant, for those who may read their report; a 404 for everyone else."""
    viewer = viewer_of(request)
    queryset = ReviewParticipant.objects.select_related(
        "cycle", "person__team", "manager", "released_by"
    )
    participant = get_visible_or_404(viewer, ReviewParticipant, participant_id, queryset=queryset)
    # Not yet released, the report does not exist for the participant: 404, not 403.
    if not can(viewer, "view_report", participant):
        raise Http404
    read(viewer, participant, "view_report")
    return viewer, participant


@require_safe
@login_required
def report(request, participant_id):
    viewer, participant = visible_participant(request, participant_id)
    return render_report(request, viewer, participant)


def render_report(request, viewer, participant, *, release_error: str = "", status: int = 200):
    is_self = participant.person_id == viewer.person.pk
    may_release = (
        not is_self
        and participant.released_at is None
        and participant.cycle.status in RELEASABLE
        and can(viewer, "release_report", participant)
    )
    return render(
        request,
        "feedback/reviews/report.html",
        {
            "participant": participant,
            "cycle": participant.cycle,
            "person": participant.person,
            "report": build_report(participant),
            "who": who_sees(participant, viewer.person, "view_report"),
            "is_self": is_self,
            "may_release": may_release,
            "release_error": release_error,
        },
        status=status,
    )


@require_POST
@login_required
def release(request, participant_id):
    """The manager (or HR) releases the report to the participant, who is told by e-mail:
    once the cycle is closed, and only with the box `confirm` ticked (otherwise the report
    again, with a 400 and the reason)."""
    viewer, participant = visible_participant(request, participant_id)
    try:
        released = services.release_report(
            viewer, participant, confirmed=request.POST.get("confirm") == CONFIRM
        )
    except Refused as problem:
        error = problem.errors[0][1]
        return render_report(request, viewer, participant, release_error=error, status=400)
    if released:
        messages.success(
            request,
            _("The report is released: %(name)s can read it now and has been told by e-mail.")
            % {"name": participant.person.name},
        )
    else:
        messages.info(request, _("The report was already released."))
    return redirect("feedback:report", participant_id=participant.pk)
