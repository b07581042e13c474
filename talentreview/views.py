"""The talent review pages: the reviews the viewer may know of, starting one (HR), a review's
grid of nine boxes with the placements the viewer may see and its list, its labels and its
stages (HR covering its scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404, shown, visible
from access.viewer import Viewer, viewer_of
from cadence.keyset import page_of_request
from cadence.refusals import Conflict, form_saved
from cadence.shortcuts import require
from organisation.scope import in_scope_q
from talentreview import rules, services
from talentreview.forms import LabelsForm, NewPlacementForm, ReviewForm
from talentreview.models import HIGH, LEVELS, LOW, Placement, TalentReview, box_of
from talentreview.rules import MANAGE

REVIEWS = TalentReview.objects.select_related("scope", "led_by")
# The most names a box of the grid shows; the list below the grid has everyone, a page at a
# time.
NAMED_IN_A_BOX = 12
PLACEMENTS_SHOWN = 100
COUNT_UP_TO = 10_000


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


def _grid(
    review: TalentReview, named: list[Placement], counts: dict[int, int]
) -> list[list[dict[str, Any]]]:
    """The nine boxes, row by row (potential high to low), each with the placements it names
    and how many it holds."""
    labels = review.box_labels()
    boxes: dict[int, list[Placement]] = {}
    for placement in named:
        boxes.setdefault(placement.box, []).append(placement)
    return [
        [
            {
                "label": labels[box_of(performance, potential)],
                "performance": performance,
                "potential": potential,
                "placements": boxes.get(box_of(performance, potential), []),
                "count": counts.get(box_of(performance, potential), 0),
            }
            for performance in range(LOW, HIGH + 1)
        ]
        for potential in range(HIGH, LOW - 1, -1)
    ]


def _in_boxes(placements: QuerySet[Placement]) -> tuple[list[Placement], dict[int, int]]:
    """The first `NAMED_IN_A_BOX` placements of each box by name, and how many each box holds
    (one query, however many placements)."""
    box = [F("performance"), F("potential")]
    named = list[Placement](
        placements.annotate(
            rank=Window(RowNumber(), partition_by=box, order_by=[F("person__name"), F("pk")]),
            in_box=Window(Count("pk"), partition_by=box),
        ).filter(rank__lte=NAMED_IN_A_BOX)
    )
    counts: dict[int, int] = {
        placement.box: placement.in_box  # type: ignore[attr-defined]
        for placement in named
    }
    return named, counts


def review_page(
    request: HttpRequest, viewer: Viewer, review: TalentReview, **forms: Any
) -> HttpResponse:
    """The grid of the placements the viewer may see (each box naming its first few), their
    list a page at a time (`cadence.keyset`), and whom the viewer still has to place: a fixed
    number of queries, however many placements the review holds."""
    placements = (
        visible(viewer, Placement.objects.filter(in_scope_q("person__"), review=review))
        .select_related("person", "placed_by")
        .only(  # what the page shows of them, and whom they are about
            "review_id",
            "performance",
            "potential",
            "adjusted",
            "person__name",
            "placed_by__name",
        )
    )
    named, counts = _in_boxes(placements)
    page, querystring = page_of_request(
        request,
        placements,
        ("person__name", "pk"),
        size=PLACEMENTS_SHOWN,
        count_up_to=COUNT_UP_TO,
    )
    names = {value: str(name) for value, name in LEVELS}  # translated once, not per row
    rows: list[Placement] = [*named, *page.object_list]
    for placement in rows:
        placement.review = review
        placement.performance_name = names[placement.performance]  # type: ignore[attr-defined]
        placement.potential_name = names[placement.potential]  # type: ignore[attr-defined]
    shown(viewer, rows)
    placeable = rules.placeable(viewer, review)
    mine = list(  # whom the viewer may place, and whether each is placed already
        placeable.annotate(placed=Exists(placements.filter(person=OuterRef("pk")))).order_by("name")
    )
    context = {
        "review": review,
        "grid": _grid(review, named, counts),
        "page": page,
        "querystring": querystring,
        "manages": can(viewer, MANAGE, review),
        "to_place": [person for person in mine if not person.placed],
        "place_form": forms.get("place_form")
        or (NewPlacementForm(people=placeable) if mine else None),
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
