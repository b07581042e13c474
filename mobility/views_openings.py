"""An opening's pages: what it expects and my gap, showing or withdrawing my interest; for HR
and its hiring manager, who is interested and (HR) who is open to a move, ranked by fit;
posting, changing and closing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404, visible
from access.viewer import Viewer, viewer_of
from cadence.refusals import Conflict, Refused, form_saved, show_refusal
from cadence.shortcuts import require
from growth import queries as growth_queries
from mobility import queries, rules, services
from mobility.forms import FORM_FIELDS, InterestForm, OpeningForm
from mobility.models import Interest, Opening
from mobility.rules import CHANGE


def _load(viewer: Viewer, opening_id: int, action: str = "view") -> Opening:
    return get_visible_or_404(
        viewer, Opening, opening_id, action, queryset=queries.opening_with_all()
    )


def _page(
    request: HttpRequest,
    viewer: Viewer,
    opening: Opening,
    interest_form: InterestForm | None = None,
) -> HttpResponse:
    me = viewer.person
    assert me is not None
    framework = growth_queries.current()
    today = timezone.localdate()
    # The ranked people's wishes, plans and levels are read with the viewer's own (`own`).
    interested, open_to_move, own = queries.rankings(
        viewer,
        opening,
        framework,
        today,
        interested=rules.sees_interested_people(viewer, opening),
        open_to_move=rules.sees_people_open_to_a_move(viewer) and opening.is_open,
    )
    mine = queries.fit_for_me(viewer, [opening], framework, today, mine=own)[0]
    interest = Interest.objects.filter(opening=opening, person=me).first()
    hiring = opening.hiring_manager_id == me.pk
    context: dict[str, Any] = {
        "opening": opening,
        "fit": mine,
        "interest": interest,
        "interest_form": interest_form or InterestForm(),
        "may_change": can(viewer, CHANGE, opening),
        "hiring": hiring,
        "today": today,
    }
    if interested is not None:
        context["interested"] = interested
    if open_to_move is not None:
        context["open_to_move"] = open_to_move
    return render(request, "mobility/opening.html", context)


@login_required
def opening(request: HttpRequest, opening_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    return _page(request, viewer, _load(viewer, opening_id))


@login_required
@require_POST
def express(request: HttpRequest, opening_id: int) -> HttpResponse:
    """Show my interest in the opening: HR and the hiring manager will see it."""
    viewer = viewer_of(request)
    found = _load(viewer, opening_id)
    form = InterestForm(request.POST)
    try:
        if form_saved(form, lambda data: services.express_interest(viewer, found, data["note"])):
            messages.success(
                request, _("HR and the hiring manager now see that you are interested.")
            )
            return redirect("mobility:opening", opening_id=found.pk)
    except Conflict as conflict:
        messages.error(request, str(conflict))
        return redirect("mobility:opening", opening_id=found.pk)
    return _page(request, viewer, found, interest_form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, opening_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _load(viewer, opening_id)
    interest = visible(viewer, Interest, rules.WITHDRAW).filter(opening=found).first()
    if interest is None:
        messages.info(request, _("You had not shown interest in this opening."))
        return redirect("mobility:opening", opening_id=found.pk)
    services.withdraw_interest(viewer, interest)
    messages.success(request, _("Your interest is withdrawn."))
    return redirect("mobility:opening", opening_id=found.pk)


def _form_page(request: HttpRequest, form: OpeningForm, found: Opening | None) -> HttpResponse:
    return render(request, "mobility/opening_form.html", {"form": form, "opening": found})


@login_required
def post(request: HttpRequest) -> HttpResponse:
    """Post an opening: HR for a team in their scope, a team's lead for their team."""
    viewer = viewer_of(request)
    require(rules.may_post(viewer))
    if request.method == "POST":
        form = OpeningForm(request.POST, viewer=viewer)
        if form_saved(
            form, lambda data: services.post_opening(viewer, **form.service_data()), FORM_FIELDS
        ):
            messages.success(request, _("The opening is posted."))
            return redirect("mobility:opening", opening_id=form.saved.pk)  # type: ignore[attr-defined]
    else:
        form = OpeningForm(viewer=viewer)
    return _form_page(request, form, None)


@login_required
def edit(request: HttpRequest, opening_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _load(viewer, opening_id, CHANGE)
    if request.method == "POST":
        form = OpeningForm(request.POST, viewer=viewer, opening=found)
        if form_saved(
            form,
            lambda data: services.change_opening(viewer, found, form.service_data()),
            FORM_FIELDS,
        ):
            messages.success(request, _("The opening is saved."))
            return redirect("mobility:opening", opening_id=found.pk)
    else:
        form = OpeningForm(viewer=viewer, opening=found)
    return _form_page(request, form, found)


@login_required
@require_POST
def close(request: HttpRequest, opening_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _load(viewer, opening_id, CHANGE)
    try:
        services.close_opening(viewer, found)
    except Refused as refused:  # pragma: no cover - closing refuses nothing it checks
        form = OpeningForm(viewer=viewer, opening=found)
        show_refusal(form, refused)
        return _form_page(request, form, found)
    messages.success(request, _("The opening is closed."))
    return redirect("mobility:opening", opening_id=found.pk)
