"""Surveys in the API (`cadence.api_kit`): my open rounds and answering them; the surveys whose
results I may read, and their results; after a round, action plans (read, make, add and
complete actions, share with the team) and the comments of a group with their replies (reply
to one); replies to comments from my groups — the same rules (`surveys.rules`), the same reads
(`surveys.results`: only released groups, only within my part) and the same writes
(`surveys.services`) as the pages."""

import uuid
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import can, shown, visible
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
from surveys import results, services
from surveys.models import (
    Comment,
    Invitation,
    QuestionKind,
    RoundStatus,
    Survey,
    SurveyAction,
    SurveyActionPlan,
    SurveyCommentReply,
)
from surveys.rules import ANSWER, CHANGE, VIEW, makes_plan, reads_comment, surveys_seen

router = Router(tags=["surveys"])


class QuestionOut(Schema):
    id: int
    text: str
    kind: str  # "scale", "enps" (0–10), "choice", "text"
    answers: list[int] = Field(description="The values a closed question takes")
    options: list[str] = Field(description="A single choice's options, by value")
    reverse: bool


class RoundOut(Schema):
    invitation_id: int
    survey: str
    opens_on: date
    closes_on: date
    answered: bool
    threshold: int = Field(description="The fewest respondents behind any figure")
    comment_threshold: int
    questions: list[QuestionOut]


class AnswersIn(Strict):
    answers: dict[int, int | str] = Field(
        description="Question id -> a closed question's value, or an open answer's text",
        max_length=50,
    )


class SurveyOut(Schema):
    id: int
    name: str
    team_id: int | None
    every_days: int | None
    starts_on: date
    ended: bool


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str  # "scale", "enps" (0–10), "choice"
    n: int
    mean: float | None = Field(description="None for a single choice: options have no score")
    counts: dict[str, int] = Field(
        description="How many gave each answer, by its label; empty where `split_shown` is false"
    )
    split_shown: bool = Field(
        description=(
            "False: how the answers split is not shown for this group (each answer must be "
            "given by nobody or by at least the threshold, with at least as many giving "
            "another), only n and a scale's mean"
        )
    )


class GroupOut(Schema):
    key: str
    label: str
    respondents: int
    invited: int
    engagement: float | None
    safety: float | None
    enps: int | None
    questions: list[QuestionResultOut]


class RoundResultsOut(Schema):
    number: int
    opens_on: date
    closes_on: date
    threshold: int
    groups: list[GroupOut]


class ResultsOut(Schema):
    survey: SurveyOut
    rounds: list[RoundResultsOut]


def _question(question: Any) -> QuestionOut:
    return QuestionOut(
        id=question.pk,
        text=question.wording,
        kind=question.kind,
        answers=question.values if question.kind != QuestionKind.TEXT else [],
        options=[str(option) for option in question.options],
        reverse=question.reverse,
    )


@router.get("/surveys/rounds", response=list[RoundOut], summary="My open survey rounds")
def list_my_rounds(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    invitations = (
        visible(viewer, Invitation)
        .filter(round__status=RoundStatus.OPEN)
        .select_related("round__survey")
        .prefetch_related("round__asks__question")
        .order_by("round__closes_on", "pk")[:50]
    )
    return [
        RoundOut(
            invitation_id=invitation.pk,
            survey=invitation.round.survey.name,
            opens_on=invitation.round.opens_on,
            closes_on=invitation.round.closes_on,
            answered=invitation.answered,
            threshold=invitation.round.k,
            comment_threshold=invitation.round.k_comments,
            questions=[_question(ask.question) for ask in invitation.round.asks.all()],
        )
        for invitation in invitations
    ]


@router.post(
    "/surveys/invitations/{id:invitation_id}/answers",
    response={204: None},
    summary="Answer a survey round (once; sealed until it closes)",
    openapi_extra=documents(AnswersIn),
)
def answer_round(request, invitation_id: Id):
    viewer = viewer_of(request)
    invitation = loaded(
        viewer,
        Invitation,
        invitation_id,
        ANSWER,
        queryset=Invitation.objects.select_related("round"),
        denied=gettext("This round has closed, or you have answered it already."),
    )
    payload = body_of(request, AnswersIn)
    written(services.answer, viewer, invitation, payload.answers)
    return Answer(204, None)


def _survey(found: Survey) -> SurveyOut:
    return SurveyOut(
        id=found.pk,
        name=found.name,
        team_id=found.team_id,
        every_days=found.every_days,
        starts_on=found.starts_on,
        ended=found.ended_at is not None,
    )


@router.get("/surveys", response=list[SurveyOut], summary="Surveys whose results I may read")
def list_surveys(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    return [_survey(found) for found in surveys_seen(viewer).order_by("-starts_on", "-pk")[:200]]


@router.get(
    "/surveys/{id:survey_id}/results",
    response=ResultsOut,
    summary="A survey's results, as I may read them",
    description=(
        "One closed round (`round`: its number; by default the latest): the group `group` (a "
        "key from an earlier answer; by default the widest the caller may read) and the teams "
        "right below it, as the results page shows them side by side. Go down the "
        "organisation by asking for one of those teams; tenure bands are the groups `b:0-1`, "
        "`b:1-3`, `b:3-5` and `b:5+`, and a team within one `t:<id>|b:<band>`. Earlier rounds "
        "one by one, by their number."
    ),
)
def get_results(request, survey_id: Id, round: int | None = None, group: str | None = None):
    viewer = viewer_of(request)
    signed_in(viewer)
    found = surveys_seen(viewer).select_related("team").filter(pk=survey_id).first()
    if found is None:
        raise HttpError(404, gettext("Not found."))
    chosen_id = None
    if round is not None:
        chosen_id = found.rounds.filter(number=round).values_list("pk", flat=True).first()
        if chosen_id is None:
            raise HttpError(404, gettext("Not found."))
    key = (group or "")[:80] or None
    loaded_results = results.load(viewer, found, key=key, round_id=chosen_id)
    if key is not None and key not in loaded_results.keys:
        raise HttpError(404, gettext("Not found."))
    shown_round = next(
        (r for r in loaded_results.rounds if r.pk == chosen_id), loaded_results.latest
    )
    rounds = []
    for chosen in [shown_round] if shown_round else []:
        groups = [
            GroupOut(
                key=result.key,
                label=result.label,
                respondents=result.respondents,
                invited=result.invited,
                engagement=result.engagement,
                safety=result.safety,
                enps=result.enps,
                questions=[
                    QuestionResultOut(
                        question_id=row.question.pk,
                        text=row.question.wording,
                        kind=row.question.kind,
                        n=row.n,
                        mean=row.mean,
                        counts=dict(row.counts),
                        split_shown=not row.split_hidden,
                    )
                    for row in result.questions
                ],
            )
            for result in loaded_results.by_round.get(chosen.pk, {}).values()
        ]
        rounds.append(
            RoundResultsOut(
                number=chosen.number,
                opens_on=chosen.opens_on,
                closes_on=chosen.closes_on,
                threshold=chosen.k,
                groups=groups,
            )
        )
    return ResultsOut(survey=_survey(found), rounds=rounds)


# --- After a round: action plans ------------------------------------------------------------


class TeamOut(Schema):
    id: int
    name: str


class _PlanFields(Schema):
    id: int
    survey_id: int
    survey: str
    round: int = Field(description="The number of the round the plan follows")
    round_opens_on: date
    round_closes_on: date
    group: str = Field(description='The team group of the results it follows, "t:<team id>"')
    team: TeamOut
    shared_with_team: bool
    created_by: PersonRef | None
    created_at: datetime


class PlanSummaryOut(_PlanFields):
    @staticmethod
    def resolve_survey(plan: SurveyActionPlan) -> str:
        return plan.survey.name

    @staticmethod
    def resolve_round(plan: SurveyActionPlan) -> int:
        return plan.round.number

    @staticmethod
    def resolve_round_opens_on(plan: SurveyActionPlan) -> date:
        return plan.round.opens_on

    @staticmethod
    def resolve_round_closes_on(plan: SurveyActionPlan) -> date:
        return plan.round.closes_on


class FocusOut(Schema):
    question_id: int
    text: str
    mean_then: float | None = Field(description="The team's mean in the round the plan follows")
    n_then: int | None
    mean_latest: float | None = Field(
        description="The team's mean in the latest round since that asked it and showed it"
    )
    n_latest: int | None
    latest_round: int | None


class ActionOut(Schema):
    id: int
    text: str
    owner: PersonRef | None
    due_date: date
    done_at: datetime | None


class PlanOut(_PlanFields):
    note: str
    focus: list[FocusOut]
    actions: list[ActionOut]
    may_change: bool = Field(description="Whether the caller may add actions and share it")


class PlanIn(Strict):
    round: int = Field(ge=1, le=100_000, description="The number of a closed round")
    group: str = Field(max_length=80, description='A team group of its results, "t:<team id>"')
    focus: list[Id] = Field(max_length=20, description="Ids of questions asked in the round")
    note: str = Field("", max_length=2000)


class ActionIn(Strict):
    text: str = Field(max_length=300)
    owner_id: Id = Field(description="Someone of the plan's team")
    due_date: date


class ActionPatch(Strict):
    done: bool


def _plan(viewer: Viewer, pk: int, action: str = VIEW) -> SurveyActionPlan:
    """The plan `pk`, with what its answer shows loaded (`results.PLANS`), if the viewer may
    `action` it: 404 for whoever may not read it, 403 for a reader who may not change it."""
    denied = gettext("Only the plan's author, the team's leads and HR change it.")
    return loaded(viewer, SurveyActionPlan, pk, action, queryset=results.PLANS, denied=denied)


def _plan_out(viewer: Viewer, plan: SurveyActionPlan) -> PlanOut:
    actions = list(plan.actions.select_related("owner"))
    shown(viewer, actions)
    return PlanOut(
        id=plan.pk,
        survey_id=plan.survey_id,
        survey=plan.survey.name,
        round=plan.round.number,
        round_opens_on=plan.round.opens_on,
        round_closes_on=plan.round.closes_on,
        group=plan.group,
        team=TeamOut(id=plan.team.pk, name=plan.team.name),
        shared_with_team=plan.shared_with_team,
        created_by=PersonRef(id=plan.created_by.pk, name=plan.created_by.name)
        if plan.created_by
        else None,
        created_at=plan.created_at,
        note=plan.note,
        focus=[
            FocusOut(
                question_id=move.question.pk,
                text=move.question.wording,
                mean_then=move.then.mean if move.then else None,
                n_then=move.then.n if move.then else None,
                mean_latest=move.latest.mean if move.latest else None,
                n_latest=move.latest.n if move.latest else None,
                latest_round=move.latest.round.number if move.latest else None,
            )
            for move in results.focus_moves(plan)
        ],
        actions=[ActionOut.from_orm(action) for action in actions],
        may_change=can(viewer, CHANGE, plan),
    )


@router.get(
    "/surveys/plans",
    response=list[PlanSummaryOut],
    summary="Survey action plans I may read",
    description="Newest first: those of teams I lead or cover as HR, those I made, those shared "
    "with my team, and those of which I own an action.",
)
@paginate(Page)
def list_survey_plans(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    return visible(viewer, results.PLANS).order_by("-created_at", "-pk")


@router.get("/surveys/plans/{id:plan_id}", response=PlanOut, summary="A survey action plan")
def get_survey_plan(request, plan_id: Id):
    viewer = viewer_of(request)
    return _plan_out(viewer, _plan(viewer, plan_id))


@router.post(
    "/surveys/{id:survey_id}/plans",
    response={201: PlanOut},
    summary="Make an action plan for a team after a round",
    description="Whoever reads the team's results of that round (a released team group) makes "
    "one, with focus areas among the round's questions that have a mean.",
    openapi_extra=documents(PlanIn),
)
def create_survey_plan(request, survey_id: Id):
    viewer = viewer_of(request)
    survey = surveys_seen(viewer).filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, gettext("Not found."))
    payload = body_of(request, PlanIn)
    found_round = survey.rounds.filter(status=RoundStatus.CLOSED, number=payload.round).first()
    if found_round is None or not makes_plan(viewer, survey, found_round, payload.group):
        raise HttpError(404, gettext("Not found."))  # as the page: no such plan to make
    plan = written(
        services.create_plan,
        viewer,
        survey=survey,
        found_round=found_round,
        group=payload.group,
        focus=payload.focus,
        note=payload.note,
    )
    return Answer(201, _plan_out(viewer, results.PLANS.get(pk=plan.pk)))


@router.post(
    "/surveys/plans/{id:plan_id}/actions",
    response={201: ActionOut},
    summary="Add an action to a survey action plan",
    openapi_extra=documents(ActionIn),
)
def create_survey_action(request, plan_id: Id):
    viewer = viewer_of(request)
    plan = _plan(viewer, plan_id, CHANGE)
    payload = body_of(request, ActionIn)
    owner = services.plan_owners(viewer, plan).filter(pk=payload.owner_id).first()
    action = written(
        services.add_action, viewer, plan, text=payload.text, owner=owner, due_date=payload.due_date
    )
    return Answer(201, ActionOut.from_orm(action))


@router.patch(
    "/surveys/actions/{id:action_id}",
    response=ActionOut,
    summary="Mark a survey plan's action done, or not done again",
    description="By whoever changes the plan, and by the action's owner.",
    openapi_extra=documents(ActionPatch),
)
def update_survey_action(request, action_id: Id):
    viewer = viewer_of(request)
    action = loaded(
        viewer,
        SurveyAction,
        action_id,
        CHANGE,
        queryset=SurveyAction.objects.select_related("plan__team", "owner"),
        denied=gettext("Only the plan's author, the team's leads, HR and its owner mark it."),
    )
    payload = body_of(request, ActionPatch)
    written(services.complete_action, viewer, action, done=payload.done)
    return ActionOut.from_orm(action)


@router.post(
    "/surveys/plans/{id:plan_id}/share",
    response=PlanOut,
    summary="Share a survey action plan with its team",
    description="From then on everyone in the team and the teams within it reads it.",
)
def share_survey_plan(request, plan_id: Id):
    viewer = viewer_of(request)
    plan = _plan(viewer, plan_id, CHANGE)
    written(services.share_plan, viewer, plan)
    return _plan_out(viewer, plan)


# --- After a round: comments and replies ----------------------------------------------------


class ReplyOut(Schema):
    text: str
    author: PersonRef | None
    created_at: datetime


class CommentOut(Schema):
    id: uuid.UUID = Field(description="Random: it orders nothing and names nobody")
    question: str
    text: str
    replies: list[ReplyOut]
    replied: bool = Field(description="Whether I have replied (once per reader)")

    @staticmethod
    def resolve_question(comment: Comment) -> str:
        return comment.question.wording

    @staticmethod
    def resolve_replies(comment: Comment) -> list[SurveyCommentReply]:
        return comment.reply_list  # type: ignore[attr-defined]  # prefetched: REPLIES

    @staticmethod
    def resolve_replied(comment: Comment, context: dict) -> bool:
        me = viewer_of(context["request"]).person
        replies = comment.reply_list  # type: ignore[attr-defined]
        return me is not None and any(reply.author_id == me.pk for reply in replies)


# Each comment's replies, oldest first, with their authors: one query for a page of comments.
REPLIES = Prefetch(
    "replies",
    queryset=SurveyCommentReply.objects.select_related("author").order_by("created_at", "pk"),
    to_attr="reply_list",
)


class ReplyIn(Strict):
    text: str = Field(max_length=2000)


class ReplyToMyGroupsOut(Schema):
    survey: str
    round_opens_on: date = Field(description="Comments are dated by their round only")
    comment: str
    reply: str
    author: str | None = Field(description="Who replied; null: someone who has left")


@router.get(
    "/surveys/{id:survey_id}/comments",
    response=list[CommentOut],
    summary="A group's comments of a round, with their replies",
    description=(
        "As the results page shows them: in a random order, dated by their round only, only "
        "for a group released for comments within my part. `round`: its number (by default "
        "the latest); `group`: a group key of the results (by default the widest I read)."
    ),
)
@paginate(Page)
def list_survey_comments(
    request, survey_id: Id, round: int | None = None, group: str | None = None
):
    viewer = viewer_of(request)
    found = surveys_seen(viewer).select_related("team").filter(pk=survey_id).first()
    if found is None:
        raise HttpError(404, gettext("Not found."))
    chosen_id = None
    if round is not None:
        chosen_id = found.rounds.filter(number=round).values_list("pk", flat=True).first()
        if chosen_id is None:
            raise HttpError(404, gettext("Not found."))
    asked = (group or "")[:80]
    loaded_results = results.load(viewer, found, key=asked or None, round_id=chosen_id)
    if asked and asked not in loaded_results.keys:
        raise HttpError(404, gettext("Not found."))
    chosen = loaded_results.latest
    if chosen_id is not None:
        chosen = next((r for r in loaded_results.rounds if r.pk == chosen_id), None)
        if chosen is None:  # a round still open
            raise HttpError(404, gettext("Not found."))
    key = asked or (loaded_results.keys[0] if loaded_results.keys else "")
    if chosen is None or not key:
        return Comment.objects.none().order_by("id")
    return results.comments_of(loaded_results, chosen, key).prefetch_related(REPLIES)


@router.post(
    "/surveys/comments/{uuid:comment}/replies",
    response={201: ReplyOut},
    summary="Reply to an anonymous comment (once)",
    description="By whoever reads the comment on the results page; nobody learns who wrote "
    "it. The reply is shown under it, and to the people of its groups (`/surveys/replies`).",
    openapi_extra=documents(ReplyIn),
)
def reply_to_survey_comment(request, comment: uuid.UUID):
    viewer = viewer_of(request)
    found = Comment.objects.select_related("round__survey").filter(pk=comment).first()
    if found is None or not reads_comment(viewer, found):
        raise HttpError(404, gettext("Not found."))
    payload = body_of(request, ReplyIn)
    made = written(services.reply, viewer, found, text=payload.text)
    return Answer(
        201,
        ReplyOut(
            text=made.text,
            author=PersonRef(id=viewer.person.pk, name=viewer.person.name)
            if viewer.person
            else None,
            created_at=made.created_at,
        ),
    )


@router.get(
    "/surveys/replies",
    response=list[ReplyToMyGroupsOut],
    summary="Replies to comments from my groups",
    description=(
        "Of the latest closed rounds I was asked in, replies to comments whose every group is "
        "one of mine, as my survey page shows them: the comment, its survey and round, the "
        "reply and who replied. Perhaps my own comment, perhaps a colleague's: nothing here "
        "says which, and no id of a comment or a response is given."
    ),
)
def list_replies_to_my_groups(request):
    viewer = viewer_of(request)
    me = signed_in(viewer)
    return [
        ReplyToMyGroupsOut(
            survey=reply.comment.round.survey.name,
            round_opens_on=reply.comment.round.opens_on,
            comment=reply.comment.text,
            reply=reply.text,
            author=reply.author.name if reply.author else None,
        )
        for reply in results.replies_for_me(me.pk)
    ]
