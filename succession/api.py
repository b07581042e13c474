"""Key positions and their succession plans in the API (`cadence.api_kit`), for HR in scope
and the leads of each position's part: positions (list, one with its bench strength, mark,
change) and their candidates (list, name, change, take out). The same rules
(`succession.rules`), services (`succession.services`) and reads (`succession.queries`) as the
pages; a candidate is named by id among the people the caller may see, else refused (422)
naming nobody."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import visible
from access.viewer import Viewer, viewer_of
from cadence.api_kit import (
    Id,
    Page,
    PersonRef,
    Strict,
    body_of,
    documents,
    loaded,
    signed_in,
    written,
)
from organisation import scope
from succession import queries, services
from succession.models import MAX_RANK, KeyPosition, Readiness, SuccessionCandidate
from succession.rules import CHANGE

router = Router(tags=["talent"])

POSITIONS = KeyPosition.objects.select_related("team", "role", "incumbent")
CANDIDACIES = SuccessionCandidate.objects.select_related("person", "position__team")


class BenchOut(Schema):
    ready_now: int
    one_to_two_years: int
    three_plus_years: int
    expired: int  # a readiness whose evidence is older than 12 months: counted as not ready
    emergency_successor: bool


class PositionOut(Schema):
    id: int
    title: str
    team_id: int
    role_id: int
    role: str
    level: int
    incumbent: PersonRef | None
    why_key: str
    archived: bool
    created_at: datetime

    @staticmethod
    def resolve_role(obj: KeyPosition) -> str:
        return obj.role.name


class PositionDetailOut(PositionOut):
    bench: BenchOut


class PositionIn(Strict):
    title: str = Field(max_length=120)
    team_id: Id
    role_id: Id
    level: int = Field(ge=1, le=services.MAX_LEVEL)
    incumbent_id: Id | None = None
    why_key: str = Field("", max_length=5000)


class CandidateOut(Schema):
    id: int
    position_id: int
    person: PersonRef
    readiness: Readiness
    readiness_on: date  # the date of the evidence the readiness rests on
    expired: bool  # the evidence is older than 12 months: ask for a fresh assessment
    rank: int
    emergency: bool
    notes: str
    recorded_at: datetime

    @staticmethod
    def resolve_expired(obj: SuccessionCandidate) -> bool:
        return queries.expired(obj.readiness_on, timezone.localdate())


class CandidateFields(Strict):
    readiness: Readiness
    readiness_on: date
    rank: int = Field(1, ge=1, le=MAX_RANK)
    emergency: bool = False
    notes: str = Field("", max_length=5000)


class CandidateIn(CandidateFields):
    person_id: Id


def _detail(viewer: Viewer, position: KeyPosition) -> KeyPosition:
    """The position with its bench strength (`bench`, for `PositionDetailOut`)."""
    strength = queries.bench(viewer, [position.pk], timezone.localdate())[position.pk]
    position.bench = {  # type: ignore[attr-defined]  # read by PositionDetailOut only
        "ready_now": strength.now,
        "one_to_two_years": strength.one_two,
        "three_plus_years": strength.three_plus,
        "expired": strength.expired,
        "emergency_successor": strength.emergency,
    }
    return position


@router.get("/talent/key-positions", response=list[PositionOut], summary="Key positions")
@paginate(Page)
def list_key_positions(request, team: Id | None = None):
    """The key positions the caller manages (HR in scope, the leads of each part), not
    archived, by title. `team`: those of one team."""
    return queries.positions(viewer_of(request), team_id=team)


@router.post(
    "/talent/key-positions",
    response={201: PositionDetailOut},
    summary="Mark a key position",
    openapi_extra=documents(PositionIn),
)
def create_key_position(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    payload = body_of(request, PositionIn)
    position = written(services.create_position, viewer, **payload.dict())
    return Answer(201, _detail(viewer, position))


@router.get(
    "/talent/key-positions/{id:position_id}",
    response=PositionDetailOut,
    summary="A key position with its bench strength",
)
def get_key_position(request, position_id: Id):
    viewer = viewer_of(request)
    return _detail(viewer, loaded(viewer, KeyPosition, position_id, queryset=POSITIONS))


@router.put(
    "/talent/key-positions/{id:position_id}",
    response=PositionDetailOut,
    summary="Change a key position",
    openapi_extra=documents(PositionIn),
)
def update_key_position(request, position_id: Id):
    viewer = viewer_of(request)
    position = loaded(viewer, KeyPosition, position_id, CHANGE, queryset=POSITIONS)
    payload = body_of(request, PositionIn)
    return _detail(viewer, written(services.update_position, viewer, position, **payload.dict()))


@router.get(
    "/talent/key-positions/{id:position_id}/candidates",
    response=list[CandidateOut],
    summary="A key position's succession plan: its candidates by rank",
)
@paginate(Page)
def list_candidates(request, position_id: Id):
    viewer = viewer_of(request)
    position = loaded(viewer, KeyPosition, position_id, queryset=POSITIONS)
    return (
        visible(viewer, position.candidates.all())
        .filter(scope.in_scope_q("person__"))
        .select_related("person", "position__team")
        .order_by("rank", "pk")
    )


@router.post(
    "/talent/key-positions/{id:position_id}/candidates",
    response={201: CandidateOut},
    summary="Name a candidate in a key position's succession plan",
    openapi_extra=documents(CandidateIn),
)
def create_candidate(request, position_id: Id):
    viewer = viewer_of(request)
    position = loaded(viewer, KeyPosition, position_id, CHANGE, queryset=POSITIONS)
    payload = body_of(request, CandidateIn)
    return Answer(201, written(services.add_candidate, viewer, position, **payload.dict()))


@router.put(
    "/talent/key-positions/candidates/{id:candidacy_id}",
    response=CandidateOut,
    summary="Change a candidacy",
    openapi_extra=documents(CandidateFields),
)
def update_candidate(request, candidacy_id: Id):
    viewer = viewer_of(request)
    found = loaded(viewer, SuccessionCandidate, candidacy_id, CHANGE, queryset=CANDIDACIES)
    payload = body_of(request, CandidateFields)
    return written(services.update_candidate, viewer, found, **payload.dict())


@router.post(
    "/talent/key-positions/candidates/{id:candidacy_id}/remove",
    response=PositionDetailOut,
    summary="Take a candidate out of a succession plan",
)
def remove_candidate(request, candidacy_id: Id):
    """Answers the position, with its bench strength without them (the history keeps that
    they were in the plan)."""
    viewer = viewer_of(request)
    found = loaded(viewer, SuccessionCandidate, candidacy_id, CHANGE, queryset=CANDIDACIES)
    written(services.remove_candidate, viewer, found)
    return _detail(
        viewer,
        KeyPosition.objects.select_related("team", "role", "incumbent").get(pk=found.position_id),
    )
