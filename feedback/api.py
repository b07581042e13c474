"""API for feedback: the feedback the viewer may see and giving it, feedback requests (asking,
answering, declining), and the 360 reviews the viewer is asked to give, with submitting the
answers for one of them.

Every read goes through the feedback rules (`feedback/rules.py`, through `access.rules`:
`visible` for lists, `get_visible_or_404` for one object): private
feedback reaches nobody but its giver, its receiver and the manager the receiver shared it with
(that person, not a later manager); anyone else gets 404, as if it did not exist. A linked goal
is shown only to those who may see it.

Writes to an existing ask or invitation read their JSON body only after the checks, so that
someone who may not know it exists gets 404 whatever they send (400 for a body that is not
JSON, 422 with `{"detail": [{"loc": […], "msg": …}]}` for one that does not fit). An ask that
was answered or declined, or an invitation answered before, answers 409.

360 answers are stored by `feedback.reviewing.submit_answers`, as on the page: sealed until the
reviews close, then without any link to the reviewer and without a time. The API never returns
them.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import visible
from access.viewer import viewer_of
from cadence.api_kit import (
    Id,
    Page,
    PersonRef,
    Strict,
    body_of,
    documents,
    loaded,
    written,
)
from feedback import reviewing, services
from feedback.competencies import with_competency_names
from feedback.models import (
    NAMED_GROUPS,
    AskStatus,
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    Kind,
    ReviewInvitation,
    ReviewQuestion,
)
from feedback.queries import (
    asks_inside_q,
    feedback_inside_q,
    invitations_inside_q,
    requests_inside_q,
)
from feedback.requesting import NotPending
from goals.models import Objective

router = Router(tags=["feedback"])

# Inline values, not named enums: "Kind" and "Status" are the goals API's schema names.
if TYPE_CHECKING:  # built from the choices when the app runs; a plain string to the checker
    KindValue = str
else:
    KindValue = Literal[tuple(Kind.values)]
VisibilityValue = Literal["private", "team", "organisation"]
DEFAULT_DUE_DAYS = 7
LATEST_DUE_DAYS = 366
TEXT_MAX = Feedback._meta.get_field("text").max_length
TOPIC_MAX = FeedbackRequest._meta.get_field("topic").max_length
REASON_MAX = FeedbackAsk._meta.get_field("declined_reason").max_length
MAX_ANSWERS = 200


# --- Schemas ----------------------------------------------------------------------------------


class FeedbackGoalRef(Schema):
    id: int
    title: str


class FeedbackOut(Schema):
    id: int
    kind: str
    text: str
    giver: PersonRef
    receiver: PersonRef
    goal: FeedbackGoalRef | None  # only when the viewer may see the goal
    competency: str  # the key of a competency of the framework it is about, or ""
    visibility: str
    request_id: int | None  # the request it answers
    created_at: datetime
    edited_at: datetime | None
    read: bool
    # For the receiver only (their choice): whether their manager may read it.
    shared_with_manager: bool | None
    url: str

    @staticmethod
    def resolve_goal(feedback):
        if feedback.goal_id is None or not getattr(feedback, "goal_shown", False):
            return None
        return {"id": feedback.goal_id, "title": feedback.goal.title}

    @staticmethod
    def resolve_read(feedback):
        return feedback.read_at is not None

    @staticmethod
    def resolve_shared_with_manager(feedback, context):
        if feedback.receiver_id != viewer_of(context["request"]).person.pk:
            return None
        return feedback.shared_with_id is not None

    @staticmethod
    def resolve_url(feedback, context):
        return context["request"].build_absolute_uri(feedback.get_absolute_url())


class FeedbackIn(Strict):
    receiver_id: Id = Field(description="Anyone working here but you")
    kind: KindValue = "praise"
    text: str = Field(description="Situation, behaviour, impact")
    visibility: VisibilityValue = Field(
        "private", description="Praise only may be seen by the receiver's team or everyone"
    )
    goal_id: Id | None = Field(None, description="One of the receiver's goals you can see")
    competency: str = Field("", description="The key of a competency of the framework, or empty")


class FeedbackAskOut(Schema):
    id: int
    requestee: PersonRef
    status: str
    declined_reason: str
    answered_at: datetime | None
    answer_id: int | None  # the feedback that answers it


class FeedbackRequestOut(Schema):
    id: int
    topic: str
    requester: PersonRef
    goal: FeedbackGoalRef | None  # only when the viewer may see the goal
    due_date: date
    created_at: datetime
    # The requester sees every ask; a person asked sees their own.
    asks: list[FeedbackAskOut]
    url: str

    @staticmethod
    def resolve_goal(item):
        if item.goal_id is None or not getattr(item, "goal_shown", False):
            return None
        return {"id": item.goal_id, "title": item.goal.title}

    @staticmethod
    def resolve_asks(item, context):
        me = viewer_of(context["request"]).person
        asks = list(item.asks.all())
        if item.requester_id == me.pk:
            return asks
        return [ask for ask in asks if ask.requestee_id == me.pk]

    @staticmethod
    def resolve_url(item, context):
        return context["request"].build_absolute_uri(item.get_absolute_url())


class FeedbackRequestIn(Strict):
    requestee_ids: list[Id] = Field(description="1 to 10 colleagues working here (not you)")
    topic: str = Field(description="What they should look at")
    goal_id: Id | None = Field(None, description="One of your own goals")
    competency: str = Field("", description="The key of a competency of the framework, or empty")
    due_date: date | None = Field(None, description="By default in 7 days; not in the past")


class AskAnswerIn(Strict):
    kind: KindValue = "praise"
    text: str = Field(description="Situation, behaviour, impact")


class AskDeclineIn(Strict):
    reason: str = ""


class ReviewCycleRef(Schema):
    id: int
    name: str
    status: str
    answers_due: date


class ReviewQuestionOut(Schema):
    id: int
    position: int
    text: str
    kind: str  # "rating" (1–5, optional comment) or "open"
    competency: str = Field(
        description="The key of a competency of the framework, text written without one, or empty"
    )
    competency_name: str = Field(
        description="The competency as pages show it: its current name in the framework, or the "
        "text as written"
    )
    # A rating question's words for the points 1 to 5 (empty: numbers only).
    scale_labels: list[str]


class ReviewInvitationOut(Schema):
    id: int
    cycle: ReviewCycleRef
    reviewing: PersonRef  # the person reviewed (you, for your self-review)
    group: str  # self, manager, peer, report
    # Self and manager answers are shown with the name; the others anonymously, in groups.
    named: bool
    answered: bool
    declined: bool
    questions: list[ReviewQuestionOut]

    @staticmethod
    def resolve_cycle(invitation):
        return invitation.participant.cycle

    @staticmethod
    def resolve_reviewing(invitation):
        return invitation.participant.person

    @staticmethod
    def resolve_named(invitation):
        return invitation.group in NAMED_GROUPS

    @staticmethod
    def resolve_questions(invitation):
        return list(invitation.participant.cycle.questions.all())


class ReviewAnswerIn(Strict):
    question_id: Id
    rating: int | None = Field(None, ge=1, le=5, description="Rating questions only")
    comment: str = ""


class ReviewAnswersIn(Strict):
    answers: list[ReviewAnswerIn] = Field(max_length=MAX_ANSWERS)


class ReviewAnswersOut(Schema):
    invitation: ReviewInvitationOut
    stored: int  # how many answers were stored (questions left blank are not)


# --- Helpers ----------------------------------------------------------------------------------


def goal_shown(viewer, field: str = "goal_id"):
    """Whether the viewer may see the linked goal, as an annotation (no query per row)."""
    return Exists(visible(viewer, Objective.objects.filter(pk=OuterRef(field))))


def feedback_queryset(viewer):
    return Feedback.objects.select_related("giver", "receiver", "goal").annotate(
        goal_shown=goal_shown(viewer)
    )


def visible_feedback(viewer, feedback_id: int) -> Feedback:
    return loaded(viewer, Feedback, feedback_id, queryset=feedback_queryset(viewer))


def request_queryset(viewer):
    # During a pilot, the asks of people inside it (`feedback.queries`), as on the page.
    asks = (
        FeedbackAsk.objects.filter(asks_inside_q())
        .select_related("requestee")
        .order_by("requestee__name", "pk")
    )
    return (
        FeedbackRequest.objects.select_related("requester", "goal")
        .annotate(goal_shown=goal_shown(viewer))
        .prefetch_related(Prefetch("asks", queryset=asks))
    )


def visible_request(viewer, request_id: int) -> FeedbackRequest:
    return loaded(viewer, FeedbackRequest, request_id, queryset=request_queryset(viewer))


def own_ask(viewer, ask_id: int) -> FeedbackAsk:
    """The viewer's pending ask: 404 for whoever may not know it exists, 403 for those who see
    the request but were not asked this, 409 once it is answered or declined."""
    queryset = FeedbackAsk.objects.select_related("request__requester", "requestee")
    denied = gettext("Only the person asked answers or declines.")
    ask = loaded(viewer, FeedbackAsk, ask_id, "answer", queryset=queryset, denied=denied)
    if ask.status != AskStatus.PENDING:
        raise HttpError(409, str(NotPending.message))
    return ask


def invitation_queryset():
    return ReviewInvitation.objects.select_related(
        "participant__person", "participant__cycle"
    ).prefetch_related(
        Prefetch(
            "participant__cycle__questions",
            queryset=with_competency_names(ReviewQuestion.objects.order_by("position", "pk")),
        )
    )


def form_errors(form, names: dict) -> list[tuple[tuple, str]]:
    return [
        ((names.get(field, field),), message)
        for field, messages in form.errors.items()
        for message in messages
    ]


# --- Feedback ---------------------------------------------------------------------------------


@router.get("/feedback", response=list[FeedbackOut], summary="Feedback you may see")
@paginate(Page)
def list_feedback(
    request,
    direction: Literal["received", "given"] | None = None,
    kind: KindValue | None = None,
):
    """Newest first: what you received and gave, and what your reports shared with you (the
    praise walls are pages of their own). `direction`: only what you received or gave."""
    viewer = viewer_of(request)
    me = viewer.person
    # Each condition on an indexed column of its own, so that SQL reads your feedback only.
    yours = Q(giver=me) | Q(receiver=me) | Q(shared_with=me)
    feedback = (
        visible(viewer, feedback_queryset(viewer))
        .filter(yours, feedback_inside_q())  # during a pilot, as on the pages
        .order_by("-created_at", "-pk")
    )
    if direction == "received":
        feedback = feedback.filter(receiver=viewer.person)
    elif direction == "given":
        feedback = feedback.filter(giver=viewer.person)
    if kind is not None:
        feedback = feedback.filter(kind=kind)
    return feedback


@router.get("/feedback/{id:feedback_id}", response=FeedbackOut, summary="One feedback")
def get_feedback(request, feedback_id: Id):
    return visible_feedback(viewer_of(request), feedback_id)


@router.post("/feedback", response={201: FeedbackOut}, summary="Give feedback")
def give_feedback(request, payload: FeedbackIn):
    """To anyone working here but you, as on the page: constructive feedback is always private
    to the receiver; praise may be shown to their team or everyone."""
    viewer = viewer_of(request)
    feedback = written(
        services.give_feedback,
        viewer,
        receiver_id=payload.receiver_id,
        kind=payload.kind,
        text=payload.text,
        visibility=payload.visibility,
        goal_id=payload.goal_id,
        competency=payload.competency,
    )
    return Answer(201, visible_feedback(viewer, feedback.pk))


# --- Feedback requests ------------------------------------------------------------------------


@router.get(
    "/feedback-requests",
    response=list[FeedbackRequestOut],
    summary="Your feedback requests and those asking you",
)
@paginate(Page)
def list_feedback_requests(request, role: Literal["requester", "requestee"] | None = None):
    """Newest first. `role`: only those you made, or only those asking you."""
    viewer = viewer_of(request)
    items = (
        visible(viewer, request_queryset(viewer))
        .filter(requests_inside_q(viewer.person))
        .order_by("-created_at", "-pk")
    )
    if role == "requester":
        items = items.filter(requester=viewer.person)
    elif role == "requestee":
        items = items.exclude(requester=viewer.person)
    return items


@router.post(
    "/feedback-requests", response={201: FeedbackRequestOut}, summary="Ask colleagues for feedback"
)
def create_feedback_request(request, payload: FeedbackRequestIn):
    """Each person asked gets an e-mail, and reminders near the due date until they answer or
    decline."""
    viewer = viewer_of(request)
    item = written(
        services.request_feedback,
        viewer,
        requestee_ids=payload.requestee_ids,
        topic=payload.topic,
        goal_id=payload.goal_id,
        due_date=payload.due_date,
        competency=payload.competency,
    )
    return Answer(201, visible_request(viewer, item.pk))


@router.post(
    "/feedback-asks/{id:ask_id}/answer",
    response={201: FeedbackOut},
    summary="Answer a feedback request",
    openapi_extra=documents(AskAnswerIn),
)
def answer_feedback_ask(request, ask_id: Id):
    """Your answer is private feedback to the person who asked, about the request's topic and
    goal."""
    viewer = viewer_of(request)
    ask = own_ask(viewer, ask_id)
    payload = body_of(request, AskAnswerIn)
    feedback = written(services.answer_ask, viewer, ask, kind=payload.kind, text=payload.text)
    return Answer(201, visible_feedback(viewer, feedback.pk))


@router.post(
    "/feedback-asks/{id:ask_id}/decline",
    response=FeedbackAskOut,
    summary="Decline a feedback request",
    openapi_extra=documents(AskDeclineIn),
)
def decline_feedback_ask(request, ask_id: Id):
    """With an optional reason, which the person who asked sees. The reminders stop."""
    viewer = viewer_of(request)
    ask = own_ask(viewer, ask_id)
    payload = body_of(request, AskDeclineIn)
    written(services.decline_ask, viewer, ask, reason=payload.reason)
    return ask


# --- 360 reviews ------------------------------------------------------------------------------


@router.get(
    "/reviews/invitations",
    response=list[ReviewInvitationOut],
    summary="The 360 reviews you are asked to give",
)
@paginate(Page)
def list_review_invitations(request, pending: bool | None = None):
    """Those whose answers are due first. `pending`: only those you can answer now (reviews
    open, not answered nor declined), or only the others."""
    viewer = viewer_of(request)
    invitations = (
        visible(viewer, invitation_queryset())
        .filter(invitations_inside_q())  # during a pilot, as on the page
        .order_by("participant__cycle__answers_due", "participant__person__name", "pk")
    )
    if pending is not None:
        condition = {
            "answered": False,
            "declined": False,
            "participant__cycle__status": CycleStatus.REVIEWING,
        }
        invitations = (
            invitations.filter(**condition) if pending else invitations.exclude(**condition)
        )
    return invitations


@router.post(
    "/reviews/invitations/{id:invitation_id}/answers",
    response={201: ReviewAnswersOut},
    summary="Submit your answers to a 360 review",
    openapi_extra=documents(ReviewAnswersIn),
)
def submit_review_answers(request, invitation_id: Id):
    """All answers at once, while the reviews are open: `answers`, one per question at most,
    each with a `rating` (1–5, rating questions only) and/or a `comment`. Answers are final
    (409 for a second submission), sealed until the reviews close, and then stored without any
    link to you or a time."""
    viewer = viewer_of(request)
    invitation = loaded(
        viewer, ReviewInvitation, invitation_id, "answer", queryset=invitation_queryset()
    )
    if invitation.answered:
        raise HttpError(409, str(reviewing.AlreadyAnswered.message))
    if invitation.declined or invitation.participant.cycle.status != CycleStatus.REVIEWING:
        raise HttpError(403, str(reviewing.NotOpen.message))
    payload = body_of(request, ReviewAnswersIn)
    answers = [(item.question_id, item.rating, item.comment) for item in payload.answers]
    stored = written(services.answer_review, viewer, invitation, answers)
    return Answer(201, {"invitation": invitation, "stored": stored})
