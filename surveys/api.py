"""Surveys in the API (`cadence.api_kit`): my open rounds and answering them; the surveys whose
results I may read, and their results — the same rules (`surveys.rules`), the same reads
(`surveys.results`: only released groups, only within my part) and the same writes
(`surveys.services`) as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from access.rules import visible
from access.viewer import viewer_of
from cadence.api_kit import Id, Strict, body_of, documents, loaded, signed_in, written
from surveys import results, services
from surveys.models import Invitation, QuestionKind, RoundStatus, Survey
from surveys.rules import ANSWER, surveys_seen

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
    n: int
    mean: float | None
    counts: dict[str, int]


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
                        n=row.n,
                        mean=row.mean,
                        counts=dict(row.counts),
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
