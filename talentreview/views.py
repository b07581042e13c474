"""The talent review pages: the reviews the viewer may know of, starting one (HR), a review's
grid of nine boxes with the placements the viewer may see and its list, its labels and its
stages (HR covering its scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404, shown, visible
from access.viewer import Viewer, viewer_of
from cadence.refusals import Conflict, form_saved
from cadence.shortcuts import require
from organisation.scope import in_scope_q
from talentreview import rules, services
from talentreview.forms import LabelsForm, NewPlacementForm, ReviewForm
from talentreview.models import HIGH, LEVELS, LOW, Placement, TalentReview, box_of
from talentreview.rules import MANAGE

REVIEWS = TalentReview.objects.select_related("scope", "led_by")
# The most names a box of the grid shows; the list below the grid has everyone.
NAMED_IN_A_BOX = 12


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    reviews = list(visible(viewer, REVIEWS))
    return render(
        request,
        "talentreview/index.html",
        {
            "reviews": reviews,
            "starts": rules.starts_reviews(viewer),
            "open": rules.placements_open(),
        },
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    require(rules.starts_reviews(viewer))
    form = ReviewForm(
        request.POST or None,
        teams=rules.startable_scopes(viewer),
        whole=rules.may_start(viewer, None),
    )
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.start_review(
            viewer, name=data["name"], scope=data["scope"], meeting_on=data["meeting_on"]
        ),
    ):
        messages.success(request, _("The talent review is started, as a draft."))
        return redirect("talentreview:review", form.saved.pk)  # type: ignore[attr-defined]
    return render(request, "talentreview/new.html", {"form": form})


def _grid(review: TalentReview, placements: list[Placement]) -> list[list[dict[str, Any]]]:
    """The nine boxes, row by row (potential high to low), each with its placements."""
    labels = review.box_labels()
    boxes: dict[int, list[Placement]] = {}
    for placement in placements:
        boxes.setdefault(placement.box, []).append(placement)
    return [
        [
            {
                "label": labels[box_of(performance, potential)],
                "performance": performance,
                "potential": potential,
                "placements": boxes.get(box_of(performance, potential), [])[:NAMED_IN_A_BOX],
                "count": len(boxes.get(box_of(performance, potential), [])),
            }
            for performance in range(LOW, HIGH + 1)
        ]
        for potential in range(HIGH, LOW - 1, -1)
    ]


def review_page(
    request: HttpRequest, viewer: Viewer, review: TalentReview, **forms: Any
) -> HttpResponse:
    placements = list(
        visible(viewer, Placement.objects.filter(in_scope_q("person__"), review=review))
        .select_related("person", "placed_by")
        .only(  # a grid of hundreds: what the page shows of them, and whom they are about
            "review_id",
            "performance",
            "potential",
            "adjusted",
            "person__name",
            "placed_by__name",
        )
        .order_by("person__name", "pk")
    )
    names = {value: str(name) for value, name in LEVELS}  # translated once, not per row
    for placement in placements:
        placement.review = review
        placement.performance_name = names[placement.performance]  # type: ignore[attr-defined]
        placement.potential_name = names[placement.potential]  # type: ignore[attr-defined]
    shown(viewer, placements)
    placeable = list(rules.placeable(viewer, review).order_by("name"))
    placed = {placement.person_id for placement in placements}
    context = {
        "review": review,
        "grid": _grid(review, placements),
        "placements": placements,
        "manages": can(viewer, MANAGE, review),
        "to_place": [person for person in placeable if person.pk not in placed],
        "place_form": forms.get("place_form")
        or (NewPlacementForm(people=rules.placeable(viewer, review)) if placeable else None),
    }
    return render(request, "talentreview/review.html", context)


@login_required
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, TalentReview, review_id, queryset=REVIEWS)
    return review_page(request, viewer, found)


@login_required
def labels(request: HttpRequest, review_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, TalentReview, review_id, MANAGE, queryset=REVIEWS)
    form = LabelsForm(request.POST or None, review=found)
    if request.method == "POST":
        try:
            saved = form_saved(
                form, lambda _data: services.set_labels(viewer, found, form.labels())
            )
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("talentreview:review", found.pk)
        if saved:
            messages.success(request, _("The box labels are saved."))
            return redirect("talentreview:review", found.pk)
    return render(request, "talentreview/labels.html", {"review": found, "form": form})


@login_required
@require_POST
def advance(request: HttpRequest, review_id: int) -> HttpResponse:
    """The review's next stage: its meeting opened, or finalised."""
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, TalentReview, review_id, MANAGE, queryset=REVIEWS)
    try:
        if found.is_draft:
            services.open_meeting(viewer, found)
            messages.success(request, _("The meeting is open: HR adjusts the placements now."))
        else:
            services.finalise(viewer, found)
            messages.success(request, _("The review is finalised: its placements are frozen."))
    except Conflict as conflict:
        messages.error(request, str(conflict))
    return redirect("talentreview:review", found.pk)


@login_required
@require_POST
def place(request: HttpRequest, review_id: int) -> HttpResponse:
    """A manager places one of their reports (the form on the review's page)."""
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, TalentReview, review_id, queryset=REVIEWS)
    people = rules.placeable(viewer, found)
    require(people.exists())
    form = NewPlacementForm(request.POST, people=people)
    try:
        saved = form_saved(
            form,
            lambda data: services.place(
                viewer,
                found,
                data["person"],
                performance=data["performance"],
                potential=data["potential"],
                rationale=data["rationale"],
            ),
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
        return redirect("talentreview:review", found.pk)
    if saved:
        messages.success(request, _("The placement is saved, as a draft."))
        return redirect("talentreview:review", found.pk)
    return review_page(request, viewer, found, place_form=form)
