"""Every write to surveys, shared by the pages and the API: one function per write.

Each takes the viewer and parsed data, checks permission through `surveys.rules`, checks the
domain's limits (`Refused`, on the field as the API names it) and writes. Storing answers is
`surveys.rounds.submit`'s, behind `answer`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can
from cadence.refusals import Refused, clean_text
from people.models import Team
from surveys import bank, rounds
from surveys.disclosure import MINIMUM_K
from surveys.models import (
    MAX_PER_ROUND,
    MAX_THRESHOLD,
    MIN_COMMENT_THRESHOLD,
    Invitation,
    Question,
    Survey,
    SurveyQuestion,
    SurveySettings,
)
from surveys.rules import ANSWER, creates_surveys, edits_survey_settings, manages_survey
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer

MAX_QUESTIONS = 20


def bank_question(key: str) -> Question:
    """The bank's question `key`, as a row (made the first time a survey asks it)."""
    item = bank.BY_KEY[key]
    question, _created = Question.objects.get_or_create(
        key=key,
        defaults={
            "construct": item.construct,
            "kind": item.kind,
            "points": item.points,
            "reverse": item.reverse,
        },
    )
    return question


@transaction.atomic
def create_survey(
    viewer: Viewer,
    *,
    name: str,
    team: Team | None,
    keys: Sequence[str],
    own_questions: Sequence[str] = (),
    every_days: int | None,
    per_round: int = MAX_PER_ROUND,
    open_days: int = 7,
    starts_on: date,
) -> Survey:
    """A survey of `team` (with its sub-teams; None: everyone) asking the bank's questions
    `keys` and the organisation's own statements `own_questions` (1–5 agreement), in that
    order. Its first round opens on `starts_on` (today: at once)."""
    if not creates_surveys(viewer):
        raise PermissionDenied
    survey = Survey(
        name=clean_text(name, "name", 120),
        team=team,
        every_days=every_days,
        per_round=per_round,
        open_days=open_days,
        starts_on=starts_on,
        created_by=viewer.person,
    )
    if not manages_survey(viewer, survey):
        raise Refused.on("team", _("Choose a team your HR scope covers."))
    errors = []
    if starts_on < timezone.localdate():
        errors.append(("starts_on", _("Choose today or a later day.")))
    if every_days is not None and open_days > every_days:
        errors.append(("open_days", _("A round must close before the next one opens.")))
    unknown = [key for key in keys if key not in bank.BY_KEY]
    if unknown:
        errors.append(("questions", _("Choose questions from the list.")))
    own = [clean_text(text, "own_questions", 300) for text in own_questions if text.strip()]
    if not keys and not own:
        errors.append(("questions", _("Choose at least one question.")))
    if len(set(keys)) + len(own) > MAX_QUESTIONS:
        errors.append(("questions", _("At most %(count)s questions.") % {"count": MAX_QUESTIONS}))
    if errors:
        raise Refused(errors)
    survey.save()
    questions = [bank_question(key) for key in dict.fromkeys(keys)]
    questions += [
        Question.objects.create(
            construct=bank.CUSTOM,
            kind=bank.SCALE,
            points=5,
            text=text,
            created_by=viewer.person,
        )
        for text in own
    ]
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, question=question, position=position)
        for position, question in enumerate(questions)
    )
    if starts_on <= timezone.localdate():
        rounds.open_round(survey, starts_on)
    return survey


def end_survey(viewer: Viewer, survey: Survey) -> None:
    """No more rounds; a round open now runs until it closes."""
    if not manages_survey(viewer, survey):
        raise PermissionDenied
    if survey.ended_at is None:
        survey.ended_at = timezone.now()
        survey.save(update_fields=["ended_at"])


def answer(viewer: Viewer, invitation: Invitation, answers: Mapping[int, Any]) -> None:
    """The viewer's answers to their invitation, stored once and sealed (`rounds.submit`)."""
    if not can(viewer, ANSWER, invitation):
        raise PermissionDenied
    rounds.submit(invitation, answers)


def save_survey_settings(
    viewer: Viewer, *, anonymity_threshold: int, comment_threshold: int
) -> SurveySettings:
    """The organisation's survey thresholds (organisation-wide HR who may manage people): the
    fewest respondents behind a figure (3 to 50) and behind a comment (5 to 50). A round that
    has opened keeps its own."""
    if not edits_survey_settings(viewer):
        raise PermissionDenied
    errors = []
    if not MINIMUM_K <= anonymity_threshold <= MAX_THRESHOLD:
        errors.append(
            (
                "anonymity_threshold",
                _("Choose a number from %(min)s to %(max)s.")
                % {"min": MINIMUM_K, "max": MAX_THRESHOLD},
            )
        )
    if not MIN_COMMENT_THRESHOLD <= comment_threshold <= MAX_THRESHOLD:
        errors.append(
            (
                "comment_threshold",
                _("Choose a number from %(min)s to %(max)s.")
                % {"min": MIN_COMMENT_THRESHOLD, "max": MAX_THRESHOLD},
            )
        )
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        SurveySettings.load()
        found = SurveySettings.objects.select_for_update().get(pk=1)
        changes = {
            name: [getattr(found, name), value]
            for name, value in (
                ("anonymity_threshold", anonymity_threshold),
                ("comment_threshold", comment_threshold),
            )
            if getattr(found, name) != value
        }
        found.anonymity_threshold = anonymity_threshold
        found.comment_threshold = comment_threshold
        found.save(update_fields=["anonymity_threshold", "comment_threshold"])
        if changes:
            audit.record(
                "surveys.settings_changed", actor=viewer.person, target=found, changes=changes
            )
    return found
