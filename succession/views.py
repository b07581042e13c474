"""The succession pages: the key positions the viewer manages with their bench strength (and
the positions without a ready successor), a key position's succession plan, a candidacy (for
whoever sees it: also the candidate's manager and above, HR covering them), and the short
forms that add and change them. Every candidacy shown passes the access log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404, who_sees
from access.viewer import Viewer, viewer_of
from cadence.context_processors import waiting_counts
from cadence.ids import parse_id
from cadence.refusals import Conflict, form_saved
from cadence.waiting import kept_rows
from succession import queries, services
from succession.forms import CandidacyForm, CandidateForm, PositionForm
from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate
from succession.rules import CHANGE, teams_managed

# The services' names of the form's fields (as the API names them).
POSITION_FIELDS = {"team_id": "team", "role_id": "role", "incumbent_id": "incumbent"}
POSITION = KeyPosition.objects.select_related("team", "role", "incumbent")
CANDIDACY = SuccessionCandidate.objects.select_related(
    "person__team", "position__team", "position__role", "position__incumbent"
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The key positions the viewer manages, with their bench strength; filtered by team (and
    the teams within it)."""
    viewer = viewer_of(request)
    # The navigation's counts first (the page shows them): they tell whether the viewer
    # manages anyone, which the kept SQL below is keyed by.
    waiting_counts(request)
    today = timezone.localdate()
    day = viewer.person.local_today() if viewer.person is not None else today
    # Both lists with SQL kept per viewer state and day (`cadence.waiting.kept_rows`):
    # building them through the rules cost more than running them. Never the rows.
    found = kept_rows(
        viewer,
        day,
        ("succession:positions", queries.LIST_MAX),
        lambda: queries.positions(viewer)[: queries.LIST_MAX],
    )
    others = kept_rows(
        viewer, day, ("succession:others", 100), lambda: queries.others(viewer)[:100]
    )
    teams = {position.team.pk: position.team for position in found}
    team_id = parse_id(request.GET.get("team", ""))
    chosen = teams.get(team_id) if team_id else None
    if chosen is not None:
        found = [p for p in found if p.team.path.startswith(chosen.path)]
    benches = queries.bench(viewer, [p.pk for p in found], today)
    rows = [(position, benches[position.pk]) for position in found]
    context: dict[str, Any] = {
        "rows": rows,
        "without_ready": queries.without_ready(rows),
        "teams": sorted(teams.values(), key=lambda team: team.name),
        "chosen": chosen,
        "may_add": teams_managed(viewer).exists(),
        "others": queries.described(viewer, others, today),
    }
    return render(request, "succession/index.html", context)


@login_required
def new_position(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = PositionForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.create_position(viewer, **form.data_for_service()),
        POSITION_FIELDS,
    ):
        messages.success(request, _("The key position is saved."))
        return redirect("succession:position", position_id=form.saved.pk)  # type: ignore[attr-defined]
    return render(request, "succession/position_form.html", {"form": form, "position": None})


@login_required
def position(request: HttpRequest, position_id: int) -> HttpResponse:
    """A key position's succession plan: its candidates by rank with their readiness (and the
    suggestion from their gap where the viewer may see their levels), the emergency successor,
    links to their plans where the viewer may see them, and the plan's history."""
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, KeyPosition, position_id, queryset=POSITION)
    return _position_page(request, viewer, found)


def _position_page(
    request: HttpRequest, viewer: Viewer, found: KeyPosition, form: CandidateForm | None = None
) -> HttpResponse:
    # The navigation's counts first (the page shows them): they tell whether the viewer
    # manages anyone, which the kept SQL below is keyed by.
    waiting_counts(request)
    today = timezone.localdate()
    day = viewer.person.local_today() if viewer.person is not None else today
    # The candidacies and the plan's history with SQL kept per viewer state, day and position
    # (`cadence.waiting.kept_rows`): building them through the rules cost more than running
    # them. Only the SQL is kept, never the rows.
    candidacies = kept_rows(
        viewer,
        day,
        ("succession:candidates", found.pk),
        lambda: queries.candidacies_of(viewer, found.pk),
    )
    changes = kept_rows(
        viewer,
        day,
        ("succession:history", found.pk, queries.HISTORY_SHOWN),
        lambda: queries.newest_changes(viewer, CandidacyChange.objects.filter(position=found.pk)),
    )
    rows = queries.candidates(viewer, found, today, candidacies)
    context = {
        "position": found,
        "rows": rows,
        "bench": queries.bench(viewer, [found.pk], today)[found.pk],
        "history": queries.history(viewer, found.changes.all(), changes),
        "form": form or CandidateForm(viewer=viewer),
        "who_sees": who_sees(found, viewer.person),
        "today": today,
    }
    return render(request, "succession/position.html", context)


@login_required
def edit_position(request: HttpRequest, position_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, KeyPosition, position_id, CHANGE, queryset=POSITION)
    form = PositionForm(request.POST or None, viewer=viewer, position=found)
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.update_position(viewer, found, **form.data_for_service()),
        POSITION_FIELDS,
    ):
        messages.success(request, _("The key position is saved."))
        return redirect("succession:position", position_id=found.pk)
    return render(request, "succession/position_form.html", {"form": form, "position": found})


@login_required
@require_POST
def archive_position(request: HttpRequest, position_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, KeyPosition, position_id, CHANGE, queryset=POSITION)
    archived = request.POST.get("archived") != "0"
    services.archive_position(viewer, found, archived=archived)
    if archived:
        messages.success(request, _("The key position is archived."))
        return redirect("succession:index")
    messages.success(request, _("The key position is key again."))
    return redirect("succession:position", position_id=found.pk)


@login_required
@require_POST
def add_candidate(request: HttpRequest, position_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, KeyPosition, position_id, CHANGE, queryset=POSITION)
    form = CandidateForm(request.POST, viewer=viewer)
    try:
        saved = form_saved(
            form,
            lambda data: services.add_candidate(
                viewer, found, person_id=data["person"].pk, **form.candidate_data()
            ),
            {"person_id": "person"},
        )
    except Conflict as conflict:
        form.add_error(None, str(conflict))
        saved = False
    if saved:
        messages.success(request, _("The candidate is named in the succession plan."))
        return redirect("succession:position", position_id=found.pk)
    return _position_page(request, viewer, found, form)


@login_required
def candidacy(request: HttpRequest, candidacy_id: int) -> HttpResponse:
    """One candidacy: for whoever sees it (the candidate's manager and above, HR covering them,
    those who manage the position); changed by those who manage the position."""
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, SuccessionCandidate, candidacy_id, queryset=CANDIDACY)
    today = timezone.localdate()
    changing = can(viewer, CHANGE, found)
    form = None
    if changing:
        form = CandidacyForm(request.POST or None, candidacy=found)
        if request.method == "POST":
            try:
                if form_saved(
                    form,
                    lambda data: services.update_candidate(viewer, found, **form.candidate_data()),
                ):
                    messages.success(request, _("The candidacy is saved."))
                    return redirect("succession:position", position_id=found.position_id)
            except Conflict as conflict:
                form.add_error(None, str(conflict))
    elif request.method == "POST":
        raise PermissionDenied
    row = queries.described(viewer, [found], today, listed=False)[0]
    context = {
        "row": row,
        "position": found.position,
        "form": form,
        "history": queries.history(viewer, found.changes.all()),
        "who_sees": who_sees(found, viewer.person),
        "sees_position": can(viewer, "view", found.position),
    }
    return render(request, "succession/candidacy.html", context)


@login_required
@require_POST
def remove_candidate(request: HttpRequest, candidacy_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(
        viewer, SuccessionCandidate, candidacy_id, CHANGE, queryset=CANDIDACY
    )
    services.remove_candidate(viewer, found)
    messages.success(request, _("The candidate is taken out of the succession plan."))
    return redirect("succession:position", position_id=found.position_id)
