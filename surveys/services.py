"""Every write to surveys, shared by the pages and the API: one function per write.

Each takes the viewer and parsed data, checks permission through `surveys.rules`, checks the
domain's limits (`Refused`, on the field as the API names it) and writes. Storing answers is
`surveys.rounds.submit`'s, behind `answer`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from access.rules import can, visible
from cadence.refusals import Refused, clean_text
from people.models import Person, Team
from surveys import bank, rounds
from surveys.disclosure import MINIMUM_K
from surveys.models import (
    MAX_PER_ROUND,
    MAX_THRESHOLD,
    MIN_COMMENT_THRESHOLD,
    Comment,
    Invitation,
    Question,
    QuestionKind,
    Round,
    Survey,
    SurveyAction,
    SurveyActionPlan,
    SurveyCommentReply,
    SurveyQuestion,
    SurveySettings,
)
from surveys.rules import (
    ANSWER,
    CHANGE,
    creates_surveys,
    edits_survey_settings,
    makes_plan,
    manages_survey,
    reads_comment,
)
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer

MAX_QUESTIONS = 20
MAX_OPTIONS, OPTION_MAX = 8, 100
# The kinds of the organisation's own questions, as the form offers them.
OWN_KINDS: dict[str, StrOrPromise] = {
    bank.SCALE: gettext_lazy("From 1, strongly disagree, to 5, strongly agree"),
    bank.CHOICE: gettext_lazy("One of the options"),
    bank.TEXT: gettext_lazy("In their own words, shown like comments"),
}


@dataclass(frozen=True)
class OwnQuestion:
    """A question of the organisation's own: a statement answered from 1 to 5 (`scale`), a
    question with one of its `options` to choose (`choice`, 2 to 8 of them), or an open
    question answered like a comment (`text`)."""

    text: str
    kind: str = bank.SCALE
    options: tuple[str, ...] = ()


def _own_question(index: int, own: OwnQuestion) -> tuple[OwnQuestion | None, list[tuple[str, str]]]:
    """The question as it is kept, or the errors on its fields ("own_questions.<i>", with
    ".kind" and ".options")."""
    at = f"own_questions.{index}"
    errors: list[tuple[str, str]] = []
    text = ""
    try:
        text = clean_text(own.text, at, 300)
    except Refused as refused:
        errors.extend(refused.errors)
    if own.kind not in OWN_KINDS:
        errors.append((f"{at}.kind", _("Choose a kind of question from the list.")))
    options: list[str] = []
    if own.kind == bank.CHOICE:
        try:
            options = [
                clean_text(option, f"{at}.options", OPTION_MAX)
                for option in own.options
                if option.strip()
            ]
        except Refused as refused:
            errors.extend(refused.errors)
        if not 2 <= len(options) <= MAX_OPTIONS:
            errors.append(
                (
                    f"{at}.options",
                    _("Give from 2 to %(max)s options, one a line.") % {"max": MAX_OPTIONS},
                )
            )
        elif len({option.casefold() for option in options}) != len(options):
            errors.append((f"{at}.options", _("Give each option once.")))
    elif any(option.strip() for option in own.options):
        errors.append((f"{at}.options", _("Only a single choice has options.")))
    if errors:
        return None, errors
    return OwnQuestion(text, own.kind, tuple(options)), []


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
    own_questions: Sequence[str | OwnQuestion] = (),
    every_days: int | None,
    per_round: int = MAX_PER_ROUND,
    open_days: int = 7,
    starts_on: date,
) -> Survey:
    """A survey of `team` (with its sub-teams; None: everyone) asking the bank's questions
    `keys` and the organisation's own questions `own_questions` (a text alone: a statement
    answered from 1 to 5; or an `OwnQuestion`; one left empty is none), in that order. Its
    first round opens on `starts_on` (today: at once)."""
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
    own: list[OwnQuestion] = []
    for index, given in enumerate(own_questions):  # left empty: none
        asked = OwnQuestion(given) if isinstance(given, str) else given
        if not asked.text.strip() and not any(option.strip() for option in asked.options):
            continue
        kept, own_errors = _own_question(index, asked)
        errors.extend(own_errors)
        if kept is not None:
            own.append(kept)
    if not keys and not own and not any(e[0].startswith("own_questions") for e in errors):
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
            kind=asked.kind,
            points=5 if asked.kind == bank.SCALE else None,
            text=asked.text,
            options=list(asked.options),
            created_by=viewer.person,
        )
        for asked in own
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


# --- Action plans ---------------------------------------------------------------------------

NOTE_MAX, ACTION_MAX, REPLY_MAX = 2000, 300, 2000


@transaction.atomic
def create_plan(
    viewer: Viewer,
    *,
    survey: Survey,
    found_round: Round,
    group: str,
    focus: Sequence[int],
    note: str = "",
) -> SurveyActionPlan:
    """An action plan for the team group `group` after the closed round `found_round`, with
    focus areas among the round's closed questions (`surveys.rules.makes_plan` says who)."""
    if found_round.survey_id != survey.pk or not makes_plan(viewer, survey, found_round, group):
        raise PermissionDenied
    closed = {q.pk: q for q in found_round.questions.all() if has_mean(q)}
    errors = []
    if not focus:
        errors.append(("focus", _("Choose at least one focus area.")))
    elif any(pk not in closed for pk in focus):
        errors.append(("focus", _("Choose questions asked in this round.")))
    try:
        kept_note = clean_text(note, "note", NOTE_MAX, required=False)
    except Refused as refused:
        errors.extend(refused.errors)
    if errors:
        raise Refused(errors)
    team = Team.objects.get(pk=int(group[2:]))
    plan = SurveyActionPlan.objects.create(
        survey=survey,
        round=found_round,
        group=group,
        team=team,
        note=kept_note,
        created_by=viewer.person,
    )
    plan.focus.set([closed[pk] for pk in dict.fromkeys(focus)])
    return plan


def has_mean(question: Question) -> bool:
    """Whether the question's answers have a mean (a scale, 0 to 10): what a plan may focus
    on and follow from round to round."""
    return question.kind in (QuestionKind.SCALE, QuestionKind.ENPS)


def plan_owners(viewer: Viewer, plan: SurveyActionPlan) -> QuerySet[Person]:
    """Who may own an action of the plan: people of its team (with its sub-teams) the viewer
    may see, still working."""
    people = visible(viewer, Person).filter(
        team__path__startswith=plan.team.path, is_active=True, leave_date__isnull=True
    )
    return people.order_by("name", "pk")


def add_action(
    viewer: Viewer,
    plan: SurveyActionPlan,
    *,
    text: str,
    owner: Person | None,
    due_date: date | None,
) -> SurveyAction:
    """An action of the plan: what, whose (someone of the team), by when (today or later)."""
    if not can(viewer, CHANGE, plan):
        raise PermissionDenied
    errors = []
    try:
        kept = clean_text(text, "text", ACTION_MAX)
    except Refused as refused:
        errors.extend(refused.errors)
    if owner is None or not plan_owners(viewer, plan).filter(pk=owner.pk).exists():
        errors.append(("owner", _("Choose someone of the team.")))
    if due_date is None:
        errors.append(("due_date", _("Choose a day.")))
    elif due_date < timezone.localdate():
        errors.append(("due_date", _("Choose today or a later day.")))
    if errors or due_date is None:
        raise Refused(errors)
    return SurveyAction.objects.create(plan=plan, text=kept, owner=owner, due_date=due_date)


def complete_action(viewer: Viewer, action: SurveyAction, *, done: bool = True) -> None:
    """Marks the action done (or not done again)."""
    if not can(viewer, CHANGE, action):
        raise PermissionDenied
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])


def share_plan(viewer: Viewer, plan: SurveyActionPlan) -> None:
    """The team (with its sub-teams) reads the plan from now on."""
    if not can(viewer, CHANGE, plan):
        raise PermissionDenied
    if not plan.shared_with_team:
        plan.shared_with_team = True
        plan.save(update_fields=["shared_with_team"])


# --- Replies to comments --------------------------------------------------------------------


def reply(viewer: Viewer, comment: Comment, *, text: str) -> SurveyCommentReply:
    """A reader's reply to an anonymous comment, once per reader."""
    if viewer.person is None or not reads_comment(viewer, comment):
        raise PermissionDenied
    kept = clean_text(text, "text", REPLY_MAX)
    with transaction.atomic():
        if SurveyCommentReply.objects.filter(comment=comment, author=viewer.person).exists():
            raise Refused.on("text", _("You have replied to this comment already."))
        return SurveyCommentReply.objects.create(comment=comment, text=kept, author=viewer.person)
