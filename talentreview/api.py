"""Talent reviews in the API (`cadence.api_kit`): the reviews the caller may know of and one
of them; a review's placements as the caller may see them, placing one's reports (draft) and
changing a placement (the manager in draft, HR in the meeting); my own placements and my
response to one (when the organisation lets people see theirs). The same services as the pages
(`talentreview.services`), the same rules (`talentreview.rules`)."""

from datetime import date, datetime

from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import can, shown, visible
from access.viewer import viewer_of
from cadence.api_kit import (
    Id,
    Page,
    PersonRef,
    Strict,
    body_of,
    documents,
    invalid,
    loaded,
    written,
)
from organisation.scope import in_scope_q
from people.models import Person
from talentreview import rules, services
from talentreview.models import HIGH, LOW, Placement, TalentReview
from talentreview.rules import ADJUST, PLACE, RESPOND

router = Router(tags=["talent"])

REVIEWS = TalentReview.objects.select_related("scope", "led_by")
PLACEMENTS = Placement.objects.select_related("review", "person__team", "placed_by")


class ReviewOut(Schema):
    id: int
    name: str
    scope_id: int | None  # the team reviewed (with the teams within it); null: everyone
    status: str  # "draft", "meeting", "finalised"
    meeting_on: date | None
    labels: list[str] = Field(alias="box_labels")  # by box: row by row, potential high first
    created_at: datetime
    finalised_at: datetime | None


class PlacementOut(Schema):
    id: int
    review_id: int
    person: PersonRef
    performance: int  # 1 low, 2 medium, 3 high
    potential: int
    label: str
    rationale: str
    # Who placed it last, when, and whether the meeting adjusted it: its history, for whoever
    # may read that (`rules.reads_history`); null for the person themselves.
    placed_by: PersonRef | None
    placed_at: datetime | None
    adjusted: bool | None

    @staticmethod
    def resolve_placed_by(obj: Placement, context: dict) -> Person | None:
        return obj.placed_by if _reads_history(obj, context) else None

    @staticmethod
    def resolve_placed_at(obj: Placement, context: dict) -> datetime | None:
        return obj.placed_at if _reads_history(obj, context) else None

    @staticmethod
    def resolve_adjusted(obj: Placement, context: dict) -> bool | None:
        return obj.adjusted if _reads_history(obj, context) else None


def _reads_history(placement: Placement, context: dict) -> bool:
    return rules.reads_history(viewer_of(context["request"]), placement)


class PlacementIn(Strict):
    person_id: Id
    performance: int = Field(ge=LOW, le=HIGH)
    potential: int = Field(ge=LOW, le=HIGH)
    rationale: str = Field(max_length=5000)


class PlacementPatch(Strict):
    performance: int = Field(ge=LOW, le=HIGH)
    potential: int = Field(ge=LOW, le=HIGH)
    rationale: str = Field(max_length=5000)


class ResponseIn(Strict):
    text: str = Field(max_length=5000)


class ResponseOut(Schema):
    placement_id: int
    text: str
    updated_at: datetime


@router.get("/talent/reviews", response=list[ReviewOut], summary="Talent reviews I may know of")
@paginate(Page)
def list_reviews(request):
    viewer = viewer_of(request)
    return visible(viewer, REVIEWS).order_by("-pk")


@router.get("/talent/reviews/{id:review_id}", response=ReviewOut, summary="A talent review")
def get_review(request, review_id: Id):
    return loaded(viewer_of(request), TalentReview, review_id, queryset=REVIEWS)


@router.get(
    "/talent/reviews/{id:review_id}/placements",
    response=list[PlacementOut],
    summary="A review's placements I may see",
)
@paginate(Page)
def list_placements(request, review_id: Id):
    viewer = viewer_of(request)
    review = loaded(viewer, TalentReview, review_id, queryset=REVIEWS)
    placements = PLACEMENTS.filter(in_scope_q("person__"), review=review)
    return visible(viewer, placements).order_by("pk")


@router.post(
    "/talent/reviews/{id:review_id}/placements",
    response={201: PlacementOut},
    summary="Place one of my reports (the review in draft)",
    openapi_extra=documents(PlacementIn),
)
def create_placement(request, review_id: Id):
    viewer = viewer_of(request)
    review = loaded(viewer, TalentReview, review_id, queryset=REVIEWS)
    if not rules.placeable(viewer, review).exists():
        raise HttpError(403, gettext("Managers place their own reports while it is a draft."))
    payload = body_of(request, PlacementIn)
    person = rules.placeable(viewer, review).filter(pk=payload.person_id).first()
    if person is None:
        # Not one of theirs: the same answer for whoever it is (no one is named).
        invalid(
            [(("person_id",), gettext("Choose one of your reports within the review's scope."))]
        )
    placement = written(
        services.place,
        viewer,
        review,
        person,
        performance=payload.performance,
        potential=payload.potential,
        rationale=payload.rationale,
    )
    return Answer(201, placement)


@router.patch(
    "/talent/reviews/placements/{id:placement_id}",
    response=PlacementOut,
    summary="Change a placement (the manager in draft, HR in the meeting)",
    openapi_extra=documents(PlacementPatch),
)
def update_placement(request, placement_id: Id):
    viewer = viewer_of(request)
    placement = loaded(viewer, Placement, placement_id, queryset=PLACEMENTS)
    if not (can(viewer, PLACE, placement) or can(viewer, ADJUST, placement)):
        raise HttpError(
            403, gettext("The manager places while in draft; HR adjusts in the meeting.")
        )
    payload = body_of(request, PlacementPatch)
    return written(services.change_placement, viewer, placement, **payload.dict())


@router.get(
    "/talent/reviews/placements/{id:placement_id}",
    response=PlacementOut,
    summary="A placement",
)
def get_placement(request, placement_id: Id):
    return loaded(viewer_of(request), Placement, placement_id, queryset=PLACEMENTS)


@router.get(
    "/talent/reviews/mine",
    response=list[PlacementOut],
    summary="My placements (finalised, when the organisation lets people see theirs)",
)
def my_placements(request):
    viewer = viewer_of(request)
    me = viewer.person
    mine = list(visible(viewer, PLACEMENTS.filter(person=me), RESPOND).order_by("-pk"))
    shown(viewer, mine)
    return mine


@router.put(
    "/talent/reviews/placements/{id:placement_id}/response",
    response=ResponseOut,
    summary="My response to my placement",
    openapi_extra=documents(ResponseIn),
)
def put_response(request, placement_id: Id):
    viewer = viewer_of(request)
    placement = loaded(
        viewer,
        Placement,
        placement_id,
        RESPOND,
        queryset=PLACEMENTS,
        denied=gettext("Only the person placed responds, once the review is final."),
    )
    payload = body_of(request, ResponseIn)
    return written(services.respond, viewer, placement, text=payload.text)
