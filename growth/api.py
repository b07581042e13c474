"""Growth in the API. The competency framework, read-only: the current version (levels,
competencies with their behaviours), the career tracks with their role profiles and
expectations, and the version history; organisation data, the same for everyone signed in
(`growth.rules`). Assessments: mine and my reports', each side's ratings as the caller may see
them (never combined), and rating, sharing, agreeing, closing and sharing with HR through the
same services as the pages; each write loads its assessment with the action it needs, so that
whoever may not do it gets 403 or 404 whatever they send. HR's rounds: those within the
caller's scope, starting one (the page's service), and a round's progress as counts only."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from access.rules import can, shown, visible
from access.viewer import viewer_of
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
from feedback.models import Feedback
from goals.models import Objective
from growth import queries, services
from growth.models import Assessment, AssessmentRound, Competency, Rating, Side
from growth.queries import Framework
from growth.rules import (
    AGREE,
    RATES,
    SHARE_WITH_HR,
    VIEW,
    on_a_side,
    side_of,
    starts_rounds,
)

if TYPE_CHECKING:
    from access.viewer import Viewer

router = Router(tags=["growth"])


class LevelOut(Schema):
    level: int
    name: str
    description: str


class BehaviourOut(Schema):
    level: int
    description: str
    examples: list[str]


class CompetencyOut(Schema):
    id: int  # this version's row: what an assessment of this version points at
    key: str  # the same competency across versions
    name: str
    category: str
    description: str
    behaviours: list[BehaviourOut]


class FrameworkOut(Schema):
    version: int | None  # None: no framework published yet
    published_at: datetime | None
    levels: list[LevelOut]
    competencies: list[CompetencyOut]


class ExpectationOut(Schema):
    competency: str  # its key
    level: int


class ProfileOut(Schema):
    level: int  # a person's level (`level` of people)
    title: str
    summary: str
    expectations: list[ExpectationOut]


class TrackOut(Schema):
    key: str
    name: str
    description: str
    roles: list[str]
    profiles: list[ProfileOut]


class TracksOut(Schema):
    version: int | None
    tracks: list[TrackOut]


class VersionOut(Schema):
    version: int
    published_at: datetime
    published_by: str | None  # the person's name; None when published from the command line
    note: str


def _version(framework: Framework | None) -> tuple[int | None, datetime | None]:
    if framework is None:
        return None, None
    return framework.version.number, framework.version.published_at


@router.get("/growth/framework", response=FrameworkOut, summary="The competency framework")
def growth_framework(request: HttpRequest) -> dict:
    framework = queries.current()
    number, published_at = _version(framework)
    return {
        "version": number,
        "published_at": published_at,
        "levels": [
            {"level": lv.number, "name": lv.name, "description": lv.description}
            for lv in (framework.levels if framework else [])
        ],
        "competencies": [
            {
                "id": c.pk,
                "key": c.key,
                "name": c.name,
                "category": c.category,
                "description": c.description,
                "behaviours": [
                    {"level": b.level, "description": b.description, "examples": b.examples}
                    for b in c.behaviours.all()
                ],
            }
            for c in (framework.competencies if framework else [])
        ],
    }


@router.get("/growth/tracks", response=TracksOut, summary="Career tracks and role profiles")
def growth_tracks(request: HttpRequest) -> dict:
    framework = queries.current()
    if framework is None:
        return {"version": None, "tracks": []}
    document = framework.document()
    return {
        "version": framework.version.number,
        "tracks": [
            {
                "key": t.key,
                "name": t.name,
                "description": t.description,
                "roles": list(t.roles),
                "profiles": [
                    {
                        "level": p.level,
                        "title": p.title,
                        "summary": p.summary,
                        "expectations": [
                            {"competency": key, "level": level} for key, level in p.expects
                        ],
                    }
                    for p in t.profiles
                ],
            }
            for t in document.tracks
        ],
    }


@router.get(
    "/growth/framework/versions",
    response=list[VersionOut],
    summary="The framework's published versions, the newest first",
)
def growth_framework_versions(request: HttpRequest) -> list[dict]:
    return [
        {
            "version": v.number,
            "published_at": v.published_at,
            "published_by": v.published_by.name if v.published_by else None,
            "note": v.note,
        }
        for v in queries.versions()
    ]


# --- Assessments -------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    subject: PersonRef
    version: int
    status: str  # open, self_done, manager_done, both_done, agreed, closed
    due_date: date | None
    created_at: datetime
    self_shared_at: datetime | None
    manager_shared_at: datetime | None
    agreed_at: datetime | None
    closed_at: datetime | None
    hr_shared_at: datetime | None  # the subject showed the ratings to HR in scope

    @staticmethod
    def resolve_version(obj: Assessment | dict[str, Any]) -> int:
        return int(obj["version"]) if isinstance(obj, dict) else obj.version.number


class RatingOut(Schema):
    level: int | None  # None: not assessed
    evidence: str  # for the agreed level: the manager's note
    goals: list[int]  # the goal ids the caller may see
    feedback: list[int]  # the feedback ids the caller may see
    updated_at: datetime


class CompetencyRatingsOut(Schema):
    competency: int  # the row of the assessment's version
    key: str
    name: str
    # Each side on its own, as the caller may see it (None: none, or not shared with them):
    # never combined.
    self: RatingOut | None
    manager: RatingOut | None
    agreed: RatingOut | None


class AssessmentDetailOut(AssessmentOut):
    competencies: list[CompetencyRatingsOut]


class StartIn(Strict):
    person: Id | None = None  # None: the caller


class RatingIn(Strict):
    competency: Id
    level: int | None = None
    evidence: str = ""
    goals: list[Id] = []
    feedback: list[Id] = []


class AgreedIn(Strict):
    competency: Id
    level: int
    note: str = ""


def _summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "subject": {"id": assessment.subject_id, "name": assessment.subject.name},
        "version": assessment.version.number,
        "status": assessment.status,
        "due_date": assessment.due_date,
        "created_at": assessment.created_at,
        "self_shared_at": assessment.self_shared_at,
        "manager_shared_at": assessment.manager_shared_at,
        "agreed_at": assessment.agreed_at,
        "closed_at": assessment.closed_at,
        "hr_shared_at": assessment.hr_shared_at,
    }


def _rating(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "level": rating.level,
        "evidence": rating.text,
        "goals": [goal.pk for goal in rating.goals.all()],
        "feedback": [feedback.pk for feedback in rating.feedback.all()],
        "updated_at": rating.updated_at,
    }


def _assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("subject", "version")


def _detail(viewer: Viewer, assessment: Assessment) -> dict[str, Any]:
    ratings = list(
        visible(viewer, Rating)
        .filter(assessment=assessment)
        .prefetch_related(
            Prefetch("goals", visible(viewer, Objective).only("pk")),
            Prefetch("feedback", visible(viewer, Feedback).only("pk")),
        )
    )
    shown(viewer, ratings)
    by_key = {(r.competency_id, r.side): r for r in ratings}
    competencies = Competency.objects.filter(version=assessment.version_id)
    return {
        **_summary(assessment),
        "competencies": [
            {
                "competency": c.pk,
                "key": c.key,
                "name": c.name,
                "self": _rating(by_key.get((c.pk, Side.SELF))),
                "manager": _rating(by_key.get((c.pk, Side.MANAGER))),
                "agreed": _rating(by_key.get((c.pk, Side.AGREED))),
            }
            for c in competencies
        ],
    }


def _loaded(
    request: HttpRequest, assessment_id: int, action: str = VIEW
) -> tuple[Viewer, Assessment]:
    """The assessment for the caller to `action`: 404 for whoever may not know it exists, 403
    for whoever sees it but may not `action` it, before any body is read."""
    viewer = viewer_of(request)
    return viewer, loaded(viewer, Assessment, assessment_id, action, queryset=_assessments())


@router.get(
    "/growth/assessments",
    response=list[AssessmentOut],
    summary="My assessments and, for a manager, my reports'",
)
@paginate(Page)
def growth_assessments(request: HttpRequest) -> QuerySet[Assessment]:
    """Newest first: the caller's own and their direct reports' (HR's follow-up of rounds is
    the rounds page's, as counts)."""
    viewer = viewer_of(request)
    return on_a_side(viewer, visible(viewer, _assessments())).order_by("-pk")


@router.get(
    "/growth/assessments/{id:assessment_id}",
    response=AssessmentDetailOut,
    summary="One assessment: each side's ratings the caller may see, never combined",
)
def growth_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id)
    return _detail(viewer, assessment)


@router.post(
    "/growth/assessments",
    response={201: AssessmentDetailOut},
    summary="Start an assessment (of myself, or of a report)",
    openapi_extra=documents(StartIn),
)
def growth_assessment_start(request: HttpRequest) -> Status:
    viewer = viewer_of(request)
    me = signed_in(viewer)
    payload = body_of(request, StartIn)
    started = written(services.start_assessment, viewer, payload.person or me.pk)
    return Status(201, _detail(viewer, _assessments().get(pk=started.pk)))


@router.post(
    "/growth/assessments/{id:assessment_id}/ratings",
    response=AssessmentDetailOut,
    summary="Rate one competency (my own rating, or my report's as their manager)",
    openapi_extra=documents(RatingIn),
)
def growth_assessment_rate(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id)
    side = side_of(viewer, assessment)  # which side's rating is the caller's to write
    if side is None or not can(viewer, RATES[side], assessment):
        raise HttpError(403, gettext("You may not do this."))
    payload = body_of(request, RatingIn)
    written(
        services.rate,
        viewer,
        assessment,
        competency_id=payload.competency,
        level=payload.level,
        evidence=payload.evidence,
        goal_ids=payload.goals,
        feedback_ids=payload.feedback,
    )
    return _detail(viewer, assessment)


@router.post(
    "/growth/assessments/{id:assessment_id}/share",
    response=AssessmentDetailOut,
    summary="Share my side of the assessment (done)",
)
def growth_assessment_share(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id)
    shared = written(services.share, viewer, assessment)
    return _detail(viewer, shared)


@router.post(
    "/growth/assessments/{id:assessment_id}/agreed",
    response=AssessmentDetailOut,
    summary="Record the agreed level of one competency (the manager)",
    openapi_extra=documents(AgreedIn),
)
def growth_assessment_agree(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id, AGREE)
    payload = body_of(request, AgreedIn)
    written(
        services.agree,
        viewer,
        assessment,
        competency_id=payload.competency,
        level=payload.level,
        note=payload.note,
    )
    return _detail(viewer, assessment)


@router.post(
    "/growth/assessments/{id:assessment_id}/agreement",
    response=AssessmentDetailOut,
    summary="The agreed levels are recorded: the person is told",
)
def growth_assessment_agreement(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id)
    return _detail(viewer, written(services.record_agreement, viewer, assessment))


@router.post(
    "/growth/assessments/{id:assessment_id}/close",
    response=AssessmentDetailOut,
    summary="Close the assessment",
)
def growth_assessment_close(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id)
    return _detail(viewer, written(services.close, viewer, assessment))


@router.post(
    "/growth/assessments/{id:assessment_id}/share-with-hr",
    response=AssessmentDetailOut,
    summary="Show my assessment's shared ratings and agreed levels to HR (the person assessed)",
)
def growth_assessment_share_hr(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    viewer, assessment = _loaded(request, assessment_id, SHARE_WITH_HR)
    return _detail(viewer, written(services.share_with_hr, viewer, assessment))


# --- Rounds (HR) -------------------------------------------------------------------------------


class RoundTeamOut(Schema):
    id: int
    name: str


class RoundOut(Schema):
    id: int
    name: str
    team: RoundTeamOut | None  # None: the whole organisation
    due_date: date
    created_at: datetime

    @staticmethod
    def resolve_team(obj: AssessmentRound | dict[str, Any]) -> dict[str, Any] | None:
        if isinstance(obj, dict):
            return obj["team"]
        team = obj.scope
        return {"id": team.pk, "name": team.name} if team is not None else None


class RoundProgressOut(Schema):
    """Counts only, of the round's assessments of people within the caller's HR scope."""

    started: int
    self_done: int  # self-assessments shared
    manager_done: int  # managers' assessments shared
    agreed: int  # levels agreed


class RoundDetailOut(RoundOut):
    progress: RoundProgressOut


class RoundIn(Strict):
    name: str
    team_id: Id | None = None  # None: the whole organisation (organisation-wide HR only)
    due_date: date


def _round_detail(viewer: Viewer, found: AssessmentRound) -> dict[str, Any]:
    return {
        "id": found.pk,
        "name": found.name,
        "team": RoundOut.resolve_team(found),
        "due_date": found.due_date,
        "created_at": found.created_at,
        "progress": queries.round_progress(viewer, found),
    }


HR_ONLY = {
    "403": {
        "description": "Only HR runs assessment rounds.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
}


def _runs_rounds(request: HttpRequest) -> Viewer:
    """The caller, when they run rounds (HR), as on the rounds page; else 403."""
    viewer = viewer_of(request)
    if not starts_rounds(viewer):
        raise HttpError(403, gettext("Only HR runs assessment rounds."))
    return viewer


@router.get(
    "/growth/rounds",
    response=list[RoundOut],
    summary="Assessment rounds within my HR scope (HR)",
    openapi_extra={"responses": HR_ONLY},
)
@paginate(Page)
def growth_rounds(request: HttpRequest) -> QuerySet[AssessmentRound]:
    """Newest first: the rounds for teams within the caller's HR scope (for the whole
    organisation: organisation-wide HR's)."""
    viewer = _runs_rounds(request)
    return visible(viewer, AssessmentRound).select_related("scope").order_by("-pk")


@router.get(
    "/growth/rounds/{id:round_id}",
    response=RoundDetailOut,
    summary="One round and its progress, as counts (never a rating)",
)
def growth_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    viewer = viewer_of(request)
    queryset = AssessmentRound.objects.select_related("scope")
    return _round_detail(viewer, loaded(viewer, AssessmentRound, round_id, queryset=queryset))


@router.post(
    "/growth/rounds",
    response={201: RoundDetailOut},
    summary="Start a round: an assessment for everyone in the team who has none open (HR)",
    openapi_extra=documents(RoundIn),
)
def growth_round_start(request: HttpRequest) -> Status:
    viewer = _runs_rounds(request)
    payload = body_of(request, RoundIn)
    started = written(
        services.start_round,
        viewer,
        name=payload.name,
        team_id=payload.team_id,
        due_date=payload.due_date,
    )
    found = AssessmentRound.objects.select_related("scope").get(pk=started.pk)
    return Status(201, _round_detail(viewer, found))
