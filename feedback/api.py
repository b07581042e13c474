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

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from cadence.api_kit import (
    Id,
    Page,
    PersonRef,
    Strict,
    body_of,
    clean_text,
    documents,
    invalid,
    signed_in,
)
from feedback import reviewing
from feedback.forms import FeedbackForm
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
from feedback.requesting import MAX_REQUESTEES, NotPending, answer_ask, create_request, decline_ask
from feedback.rules import feedback_recipients
from feedback.tasks import notify_receiver
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
    competency: str


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


def loaded(viewer, model, pk: int, action: str = "view", *, queryset=None, denied: str = ""):
    """`access.rules.get_visible_or_404` in the API's words: 404 for whoever may not know the
    object exists, 403 (with `denied`) for whoever may see it but not `action` it."""
    try:
        return get_visible_or_404(viewer, model, pk, action, queryset=queryset)
    except Http404:
        raise HttpError(404, gettext("Not found.")) from None
    except PermissionDenied:
        raise HttpError(403, denied or gettext("You may not do this.")) from None


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
    asks = FeedbackAsk.objects.select_related("requestee").order_by("requestee__name", "pk")
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
            queryset=ReviewQuestion.objects.order_by("position", "pk"),
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
        visible(viewer, feedback_queryset(viewer)).filter(yours).order_by("-created_at", "-pk")
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
    receiver = (
        feedback_recipients(viewer).filter(pk=payload.receiver_id).only("pk", "email").first()
    )
    if receiver is None:
        invalid([(("receiver_id",), gettext("Give feedback to someone working here but you."))])
    data = {
        "to": receiver.email,
        "kind": payload.kind,
        "text": payload.text,
        "goal": "" if payload.goal_id is None else str(payload.goal_id),
        "visibility": payload.visibility,
    }
    form = FeedbackForm(data, viewer=viewer)
    if not form.is_valid():
        invalid(form_errors(form, {"to": "receiver_id", "goal": "goal_id"}))
    with transaction.atomic():
        feedback = form.save(giver=viewer.person)
        notify_receiver.enqueue(feedback.pk)
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
    items = visible(viewer, request_queryset(viewer)).order_by("-created_at", "-pk")
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
    me = signed_in(viewer)
    today = me.local_today()
    errors = []
    ids = list(dict.fromkeys(payload.requestee_ids))
    people = []
    if not 1 <= len(ids) <= MAX_REQUESTEES:
        message = gettext("Ask 1 to %(count)d colleagues.") % {"count": MAX_REQUESTEES}
        errors.append((("requestee_ids",), message))
    elif me.pk in ids:
        errors.append((("requestee_ids",), gettext("Ask colleagues: you cannot ask yourself.")))
    else:
        found = {
            person.pk: person
            for person in feedback_recipients(viewer)
            .filter(pk__in=ids)
            .only("pk", "name", "time_zone")
        }
        missing = [pk for pk in ids if pk not in found]
        if missing:
            message = gettext("Nobody working here has the id %(ids)s.") % {
                "ids": ", ".join(map(str, missing))
            }
            errors.append((("requestee_ids",), message))
        people = [found[pk] for pk in ids if pk in found]
    goal = None
    if payload.goal_id is not None:
        goal = Objective.objects.filter(pk=payload.goal_id, owner_person=me).first()
        if goal is None:
            errors.append((("goal_id",), gettext("Choose one of your own goals.")))
    due_date = payload.due_date or today + timedelta(days=DEFAULT_DUE_DAYS)
    if due_date < today:
        errors.append((("due_date",), gettext("Choose today or a later date.")))
    elif due_date > today + timedelta(days=LATEST_DUE_DAYS):
        errors.append((("due_date",), gettext("Choose a date within the next year.")))
    if errors:
        invalid(errors)
    topic = clean_text(payload.topic, "topic", TOPIC_MAX)
    item = create_request(me, people, topic=topic, goal=goal, due_date=due_date)
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
    text = clean_text(payload.text, "text", TEXT_MAX)
    try:
        feedback = answer_ask(ask, kind=payload.kind, text=text)
    except NotPending as error:
        raise HttpError(409, str(error)) from error
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
    reason = clean_text(payload.reason, "reason", REASON_MAX, required=False)
    try:
        decline_ask(ask, reason=reason)
    except NotPending as error:
        raise HttpError(409, str(error)) from error
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
    invitations = visible(viewer, invitation_queryset()).order_by(
        "participant__cycle__answers_due", "participant__person__name", "pk"
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
    questions = {q.pk: q for q in invitation.participant.cycle.questions.all()}
    errors = []
    answers = []
    for index, item in enumerate(payload.answers):
        question = questions.get(item.question_id)
        if question is None:
            message = gettext("This question is not part of this review.")
            errors.append((("answers", index, "question_id"), message))
            continue
        answers.append((question, item.rating, item.comment))
    if errors:
        invalid(errors)
    try:
        stored = reviewing.submit_answers(invitation, answers)
    except reviewing.AlreadyAnswered as error:
        raise HttpError(409, str(error)) from error
    except reviewing.NotOpen as error:
        raise HttpError(403, str(error)) from error
    except reviewing.InvalidAnswers as error:
        positions = {item.question_id: index for index, item in enumerate(payload.answers)}
        invalid(
            [
                (("answers", positions.get(pk, 0)) if pk is not None else ("answers",), message)
                for pk, message in error.errors.items()
            ]
        )
    invitation.answered = True
    return Answer(201, {"invitation": invitation, "stored": stored})
