"""The 360 cycle writes, one function each: HR sets up a cycle, writes its questions (the
question editor, while it is a draft), fills it and moves it on (after confirming what the step
does, `feedback.cycles.step_preview`); the participant and their manager (or HR) choose the
peers who review them.

Like `feedback.services`, each takes the viewer and parsed data and, in this order: checks the
viewer's permission with the rules (`PermissionDenied`, whatever the data), locks what two
people could change at once, checks the cycle's rules and writes. The cycle's own rules (the
steps, whom a cycle takes in, nominations, invitations) are `feedback.cycles`, whose
`CycleError` is a `cadence.refusals.Refused` of the write as a whole (field ""). When the
cycle moved on meanwhile so that the write no longer applies, it is a
`cadence.refusals.Conflict`.

Locks: every write to a cycle or to one participant's list of peers locks the cycle's row
first (`_locked`), so that adding people, removing them, nominating, approving and opening
the reviews (`feedback.cycles.advance`, which builds the invitations from the participants
and their approved peers) happen one after the other, and each sees the step the cycle is at.

Field names in errors are the data's (`scope_id`, `period_end`, `emails`, `reviewer_id`, …);
a page maps them to its form's fields.

HR creating, changing and moving a cycle on is recorded in the audit log (`trust.audit`), in
the write's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from access.rules import can
from cadence.refusals import Conflict, Refused
from feedback import cycles
from feedback.competencies import Choices, bank_competency, competency_errors
from feedback.cycles import MAX_PEERS, MAX_QUESTIONS, QuestionData
from feedback.models import (
    CycleStatus,
    FeedbackSettings,
    ReviewCycle,
    ReviewParticipant,
    ReviewQuestion,
)
from feedback.question_bank import BY_KEY, BankQuestion
from feedback.rules import (
    APPROVE,
    MANAGE,
    NOMINATE,
    VIEW_PROGRESS,
    cycle_scopes,
    manages_review_cycles,
    may_take_part,
    teams_in_cycle,
)
from growth.queries import competency_choices
from trust import audit
from trust.actions import ORGANISATION

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

FROZEN_ONCE_REVIEWING = ("min_peers", "max_peers", "include_reports", "nominations_due")


@dataclass(frozen=True)
class CycleData:
    """What HR sets on a cycle (its scope is chosen once, when it is created)."""

    name: str
    period_start: date
    period_end: date
    nominations_due: date
    answers_due: date
    min_peers: int
    max_peers: int
    include_reports: bool


def _me(viewer: Viewer) -> Person:
    if viewer.person is None:
        raise PermissionDenied
    return viewer.person


def _require_cycle(viewer: Viewer, action: str, cycle: ReviewCycle) -> None:
    """HR whose scope covers the cycle (`manage`: changes it)."""
    if not (manages_review_cycles(viewer) and can(viewer, action, cycle)):
        raise PermissionDenied


def _locked(cycle_id: int) -> ReviewCycle:
    """The cycle's row, locked until the transaction ends (call inside one)."""
    return (
        ReviewCycle.objects.select_for_update(of=("self",)).select_related("scope").get(pk=cycle_id)
    )


# --- Setting a cycle up --------------------------------------------------------------------------


def _data_errors(data: CycleData) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    name = data.name.strip()
    if not name or "\x00" in name or len(name) > 150:
        errors.append(("name", _("Give the cycle a name of at most 150 characters.")))
    if data.period_end < data.period_start:
        errors.append(("period_end", _("The period ends before it starts.")))
    if data.answers_due < data.nominations_due:
        errors.append(("answers_due", _("Answers are due before nominations are.")))
    if data.max_peers > MAX_PEERS:
        errors.append(("max_peers", _("At most %(max)s.") % {"max": MAX_PEERS}))
    if data.min_peers < 0:
        errors.append(("min_peers", _("At least 0.")))
    elif data.min_peers > data.max_peers:
        errors.append(("min_peers", _("The fewest peers is more than the most.")))
    return errors


DUE_DATES = ("nominations_due", "answers_due")


def _past_date_errors(
    data: CycleData, today: date, stored: ReviewCycle | None = None
) -> list[tuple[str, str]]:
    """A due date in the past is refused when it is set (a new cycle, or a changed date): a
    date left as it was may have passed meanwhile, and is refused by the step it belongs to
    (`feedback.cycles.step_problems`)."""
    errors: list[tuple[str, str]] = []
    for name in DUE_DATES:
        value = getattr(data, name)
        if value < today and (stored is None or getattr(stored, name) != value):
            errors.append((name, _("Choose today or a later date.")))
    return errors


def _question_errors(questions: Sequence[QuestionData]) -> list[tuple[str, str]]:
    if len(questions) > MAX_QUESTIONS:
        return [("questions", _("A cycle has at most %(max)s questions.") % {"max": MAX_QUESTIONS})]
    for number, question in enumerate(questions):
        errors = cycles.question_errors(question)
        if errors:
            return [(f"questions.{number}.{field}", message) for field, message in errors]
    return []


def create_cycle(
    viewer: Viewer,
    data: CycleData,
    *,
    scope_id: int | None,
    questions: Sequence[QuestionData] = (),
) -> ReviewCycle:
    """A new draft cycle for a team within the viewer's HR scope (or, for organisation-wide
    HR, for everyone), with the organisation's anonymity threshold of today, and its first
    `questions` (the page offers the question bank; HR edits them while it is a draft)."""
    if not manages_review_cycles(viewer):
        raise PermissionDenied
    me = _me(viewer)
    errors = _data_errors(data) + _past_date_errors(data, me.local_today())
    errors += _question_errors(questions)
    scopes, whole_organisation = cycle_scopes(viewer)
    if (scope_id is None and not whole_organisation) or (
        scope_id is not None and not scopes.filter(pk=scope_id).exists()
    ):
        errors.append(("scope_id", _("Choose a team within your scope.")))
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        cycle = ReviewCycle(
            **{field.name: getattr(data, field.name) for field in fields(data)},
            scope_id=scope_id,
            anonymity_threshold=FeedbackSettings.load().anonymity_threshold,
            created_by=me,
        )
        cycle.name = data.name.strip()
        cycle.save()
        cycles.set_questions(cycle, list(questions))
        audit.record(
            "feedback.cycle_created", actor=me, target=cycle, changes=audit.added(audited(cycle))
        )
    return cycle


def audited(cycle: ReviewCycle) -> dict[str, object]:
    """The cycle's settings as the audit log stores them (also for the demo's history)."""
    state: dict[str, object] = {
        field.name: getattr(cycle, field.name) for field in fields(CycleData)
    }
    state["scope"] = cycle.scope_id or ORGANISATION
    return state


def edit_cycle(viewer: Viewer, cycle: ReviewCycle, data: CycleData) -> ReviewCycle:
    """HR changes the cycle: the peers it asks for and when nominations are due only until the
    reviews open (its questions are the question editor's, below). The scope and the
    anonymity threshold stay. A due date moved into the past is refused."""
    _require_cycle(viewer, MANAGE, cycle)
    today = _me(viewer).local_today()
    with transaction.atomic():
        locked = _locked(cycle.pk)
        # Compared with the stored row: a date left as it was may have passed meanwhile.
        errors = _data_errors(data) + _past_date_errors(data, today, locked)
        if errors:
            raise Refused(errors)
        if locked.threshold_is_frozen:
            changed = [f for f in FROZEN_ONCE_REVIEWING if getattr(data, f) != getattr(locked, f)]
            if changed:
                raise Conflict(
                    _("The reviews are open: the peers and nominations stay as they are.")
                )
        was = audited(locked)
        for field in fields(data):
            setattr(locked, field.name, getattr(data, field.name))
        locked.name = data.name.strip()
        locked.save(update_fields=[field.name for field in fields(data)])
        if differs := audit.changes(was, audited(locked)):
            audit.record(
                "feedback.cycle_changed", actor=viewer.person, target=locked, changes=differs
            )
    return locked


def advance_cycle(viewer: Viewer, cycle: ReviewCycle, *, to: str) -> bool:
    """Move the cycle on to the step `to` (`feedback.cycles.advance`, under the cycle's lock):
    True when moved, False when it is there already (a second click). Refused while the step's
    deadline is past (in the viewer's calendar), or without questions or participants. The
    page asks HR to confirm first, showing `feedback.cycles.step_preview`."""
    _require_cycle(viewer, MANAGE, cycle)
    if to not in CycleStatus.values:
        raise Refused.on("to", _("Choose the step to move the cycle to."))
    with transaction.atomic():
        moved = cycles.advance(cycle, to, today=_me(viewer).local_today())
        if moved:  # from the step before `to`: advance moves one step at a time
            was = str(cycles.ORDER[cycles.ORDER.index(to) - 1])
            audit.record(
                "feedback.cycle_moved",
                actor=viewer.person,
                target=cycle,
                changes={"status": [was, to]},
            )
    return moved


# --- Questions ----------------------------------------------------------------------------------
#
# The question editor: while the cycle is a draft, HR adds, changes, removes and reorders its
# questions, one at a time or from the question bank. Each write locks the cycle's row, so
# that none of them lands after the cycle has moved on (a `Conflict` then). With a competency
# framework, a question is about one of its competencies, by key (`feedback.competencies`).


def _questions_writer(viewer: Viewer, cycle: ReviewCycle) -> ReviewCycle:
    """Permission first, then the cycle's row locked and still a draft (call inside a
    transaction)."""
    _require_cycle(viewer, MANAGE, cycle)
    locked = _locked(cycle.pk)
    if not cycles.can_change_questions(locked):
        raise Conflict(_("Questions can only be changed while the cycle is a draft."))
    return locked


def _renumber(cycle: ReviewCycle, ordered: list[ReviewQuestion]) -> None:
    changed = []
    for position, question in enumerate(ordered):
        if question.position != position:
            question.position = position
            changed.append(question)
    ReviewQuestion.objects.bulk_update(changed, ["position"])


def _ordered(cycle: ReviewCycle) -> list[ReviewQuestion]:
    return list(cycle.questions.order_by("position", "pk"))


def _room_for(cycle: ReviewCycle, count: int) -> list[ReviewQuestion]:
    ordered = _ordered(cycle)
    if len(ordered) + count > MAX_QUESTIONS:
        raise Refused.on("", _("A cycle has at most %(max)s questions.") % {"max": MAX_QUESTIONS})
    return ordered


def add_question(viewer: Viewer, cycle: ReviewCycle, data: QuestionData) -> ReviewQuestion:
    """A new question at the end of a draft cycle's list."""
    with transaction.atomic():
        locked = _questions_writer(viewer, cycle)
        errors = cycles.question_errors(data)
        errors += competency_errors(data.competency, competency_choices())
        if errors:
            raise Refused(errors)
        ordered = _room_for(locked, 1)
        _renumber(locked, ordered)
        return ReviewQuestion.objects.create(
            cycle=locked, position=len(ordered), **cycles.cleaned_question(data)
        )


def change_question(viewer: Viewer, question: ReviewQuestion, data: QuestionData) -> None:
    """Rewrite a question of a draft cycle (its place stays). A competency from before the
    framework (or retired since) may stay as it is."""
    with transaction.atomic():
        _questions_writer(viewer, question.cycle)
        errors = cycles.question_errors(data)
        stored = ReviewQuestion.objects.filter(pk=question.pk).values_list("competency", flat=True)
        kept = stored.first() or ""
        errors += competency_errors(data.competency, competency_choices(), kept=kept)
        if errors:
            raise Refused(errors)
        values = cycles.cleaned_question(data)
        ReviewQuestion.objects.filter(pk=question.pk).update(**values)
        for name, value in values.items():
            setattr(question, name, value)


def remove_question(viewer: Viewer, question: ReviewQuestion) -> None:
    """Take a question out of a draft cycle (no answers exist before the reviews open)."""
    with transaction.atomic():
        locked = _questions_writer(viewer, question.cycle)
        ReviewQuestion.objects.filter(pk=question.pk, cycle=locked).delete()
        _renumber(locked, _ordered(locked))


def move_question(viewer: Viewer, question: ReviewQuestion, *, by: int) -> bool:
    """Move a question one place up (`by=-1`) or down (`by=1`); False when it is first or
    last already."""
    if by not in (-1, 1):
        raise Refused.on("by", _("Move a question one place up or down."))
    with transaction.atomic():
        locked = _questions_writer(viewer, question.cycle)
        ordered = _ordered(locked)
        index = next((i for i, q in enumerate(ordered) if q.pk == question.pk), None)
        if index is None:
            raise Conflict(_("This question was removed meanwhile."))
        other = index + by
        if not 0 <= other < len(ordered):
            return False
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _renumber(locked, ordered)
        return True


def add_bank_questions(viewer: Viewer, cycle: ReviewCycle, keys: Sequence[str]) -> int:
    """Copy questions of the bank (`feedback.question_bank`, by key, in the viewer's language)
    to the end of a draft cycle's list; returns how many were added."""
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown or not keys:
        raise Refused.on("keys", _("Choose questions from the bank."))
    chosen = [BY_KEY[key] for key in dict.fromkeys(keys)]
    with transaction.atomic():
        locked = _questions_writer(viewer, cycle)
        ordered = _room_for(locked, len(chosen))
        _renumber(locked, ordered)
        ReviewQuestion.objects.bulk_create(
            ReviewQuestion(
                cycle=locked,
                position=len(ordered) + number,
                **cycles.cleaned_question(data),
            )
            for number, data in enumerate(bank_questions_data(chosen))
        )
    return len(chosen)


def bank_question_data(question: BankQuestion, framework: Choices = ()) -> QuestionData:
    """A question of the bank as a cycle takes it: about the `framework`'s competency, where
    it has the bank's (`feedback.competencies.bank_competency`)."""
    return QuestionData(
        text=str(question.text),
        kind=question.kind,
        competency=bank_competency(question, framework),
        scale_labels=tuple(question.scale_labels),
    )


def bank_questions_data(questions: Sequence[BankQuestion]) -> list[QuestionData]:
    """`bank_question_data` of each, with the current framework (read once)."""
    framework = competency_choices()
    return [bank_question_data(question, framework) for question in questions]


# --- Participants --------------------------------------------------------------------------------


def add_participants(
    viewer: Viewer,
    cycle: ReviewCycle,
    *,
    team_id: int | None = None,
    emails: Sequence[str] | None = None,
) -> int:
    """Add everyone working here in a team within the cycle's scope (and the viewer's), or the
    people with these addresses, all or none; returns how many were new to the cycle. Only
    before the reviews open."""
    _require_cycle(viewer, MANAGE, cycle)
    if (team_id is None) == (emails is None):
        raise Refused.on("", _("Choose how to add people."))
    with transaction.atomic():
        locked = _locked(cycle.pk)
        if not cycles.can_add_participants(locked):
            raise Conflict(_("Participants can only be added before the reviews open."))
        if team_id is not None:
            team = teams_in_cycle(locked).filter(pk=team_id).first()
            if team is None:
                raise Refused.on("team_id", _("Choose a team within this cycle's scope."))
            people = list(may_take_part(viewer, locked, team))
        else:
            covered = may_take_part(viewer, locked)
            found, unknown = cycles.people_by_email(list(emails or []), covered)
            if unknown:
                raise Refused.on(
                    "emails",
                    _(
                        "Nobody working here today within this cycle's scope has "
                        "these addresses: %(list)s"
                    )
                    % {"list": ", ".join(unknown[:20])},
                )
            people = found
        added = cycles.added_participants(locked, people)
        # Each person added sees it among the changes about them (My data).
        audit.append(
            [
                audit.new_entry(
                    "feedback.participant_added",
                    actor=viewer.person,
                    subject=participant.person_id,
                    target=locked,
                )
                for participant in added
            ]
        )
        return len(added)


def remove_participant(viewer: Viewer, participant: ReviewParticipant) -> None:
    """Take someone out of a cycle that is still a draft (HR following their progress)."""
    _require_cycle(viewer, MANAGE, participant.cycle)
    if not can(viewer, VIEW_PROGRESS, participant):
        raise PermissionDenied
    with transaction.atomic():
        participant.cycle = _locked(participant.cycle_id)
        cycles.remove_participant(participant)
        audit.record(
            "feedback.participant_removed",
            actor=viewer.person,
            subject=participant.person_id,
            target=participant.cycle,
        )


# --- Nominating and approving peers --------------------------------------------------------------


def nominations_open(participant: ReviewParticipant, *, as_manager: bool) -> bool:
    """Whether the list of peers can still be changed: while the cycle nominates and, for the
    participant, until it is approved."""
    return participant.cycle.status == CycleStatus.NOMINATING and (
        as_manager or participant.nominations_approved_at is None
    )


def _peers_writer(
    viewer: Viewer, participant: ReviewParticipant, *, as_manager: bool
) -> ReviewParticipant:
    """Permission first (the participant nominates, the manager or HR running the cycle
    approves), then the cycle's and the participant's rows locked and the list still open:
    the participant as it is now."""
    if not can(viewer, APPROVE if as_manager else NOMINATE, participant):
        raise PermissionDenied
    cycle = _locked(participant.cycle_id)
    current = (
        ReviewParticipant.objects.select_for_update(of=("self",))
        .select_related("person", "manager")
        .get(pk=participant.pk)
    )
    current.cycle = cycle
    if not nominations_open(current, as_manager=as_manager):
        raise Conflict(_("The list of reviewers cannot be changed any more."))
    return current


def nominate(
    viewer: Viewer,
    participant: ReviewParticipant,
    *,
    as_manager: bool,
    reviewer_id: int | None = None,
    emails: Sequence[str] | None = None,
) -> int:
    """Propose a peer (by id) or peers (by e-mail address, all or none); returns how many were
    added. The participant cannot bring back whom their manager removed."""
    with transaction.atomic():
        current = _peers_writer(viewer, participant, as_manager=as_manager)
        if reviewer_id is not None:
            person = cycles.nominee_candidates(current).filter(pk=reviewer_id).first()
            if person is None:
                raise Refused.on("reviewer_id", _("This person cannot be nominated."))
            people = [person]
        else:
            people, unknown = cycles.people_by_email(list(emails or []))
            if unknown:
                raise Refused.on(
                    "emails",
                    _("Nobody here has these addresses: %(list)s")
                    % {"list": ", ".join(unknown[:10])},
                )
        return cycles.nominate(current, people, by=_me(viewer), as_manager=as_manager)


def withdraw_nomination(
    viewer: Viewer, participant: ReviewParticipant, *, reviewer_id: int, as_manager: bool
) -> None:
    """Take a peer off the list (`feedback.cycles.withdraw`)."""
    with transaction.atomic():
        current = _peers_writer(viewer, participant, as_manager=as_manager)
        cycles.withdraw(current, reviewer_id, as_manager=as_manager)


def submit_nominations(viewer: Viewer, participant: ReviewParticipant) -> None:
    """The participant hands their list to their manager: between the cycle's fewest and most
    peers."""
    with transaction.atomic():
        current = _peers_writer(viewer, participant, as_manager=False)
        cycles.submit_nominations(current)
    participant.nominations_submitted_at = current.nominations_submitted_at


def approve_nominations(viewer: Viewer, participant: ReviewParticipant) -> None:
    """The manager (or HR running the cycle) approves the list: between the cycle's fewest and
    most peers."""
    with transaction.atomic():
        current = _peers_writer(viewer, participant, as_manager=True)
        cycles.approve_nominations(current)
    participant.nominations_approved_at = current.nominations_approved_at
