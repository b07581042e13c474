"""360-degree review cycles: the questionnaire format, adding participants, nominations and
moving a cycle through its steps (draft → nominating → reviewing → closed).

The writes (`feedback.services_cycles`) ask the rules (`feedback/rules.py`, through
`access.rules`) who may do what and whom a cycle may take in (`feedback.rules.may_take_part`),
lock the cycle, and call this module, which keeps the cycle's own rules (a refusal is a
`CycleError`, a `cadence.refusals.Refused`):
- a cycle belongs to a scope (a team and the teams below it, or the whole organisation) and
  its participants come from within it;
- a participant's manager is the person's manager when they are added, and stays so;
- a nominated peer is someone working here today, not the participant, not their manager;
- opening the reviews builds the invitations once: the participant (self), their manager,
  the approved peers and, when the cycle includes them, their current direct reports. Each
  reviewer is invited at most once per participant; people who have left are skipped.
  Nominations still only proposed then count as approved; removed ones do not;
- opening the reviews fixes the cycle's anonymity threshold k for good: the organisation's
  setting then, if it is higher than the one the cycle was created with (never lower);
- closing the reviews opens the sealed answers and writes them, shuffled, as readable answers
  (`feedback.reviewing.open_sealed_answers`): only from then on does a report show anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cadence.refusals import Refused
from feedback.models import (
    ANONYMOUS_GROUPS,
    MIN_ANONYMITY_THRESHOLD,
    SCALE_LABEL_LENGTH,
    SCALE_POINTS,
    CycleStatus,
    FeedbackSettings,
    Nomination,
    QuestionKind,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
)
from feedback.reviewing import SealError, open_sealed_answers
from organisation import scope
from people.models import Person

# --- The questionnaire ---------------------------------------------------------------------------

MAX_QUESTIONS = 30
MAX_PEERS = 20
QUESTION_LENGTH = cast(int, ReviewQuestion._meta.get_field("text").max_length)  # a CharField's
COMPETENCY_LENGTH = cast(int, ReviewQuestion._meta.get_field("competency").max_length)


@dataclass(frozen=True)
class QuestionData:
    """One question as HR writes it in the editor (or takes it from the bank): rating (1–5,
    with optional words for the points) or open (answered in words)."""

    text: str
    kind: str = QuestionKind.RATING
    competency: str = ""
    scale_labels: tuple[str, ...] = ()


def question_errors(data: QuestionData) -> list[tuple[str, str]]:
    """What is wrong with a question, per field (the API's names)."""
    errors: list[tuple[str, str]] = []
    text = data.text.strip()
    if not text or "\x00" in text or len(text) > QUESTION_LENGTH:
        errors.append(
            (
                "text",
                _("Write the question in at most %(max)s characters.") % {"max": QUESTION_LENGTH},
            )
        )
    if data.kind not in QuestionKind.values:
        errors.append(("kind", _("Choose a rating or an open question.")))
    competency = data.competency.strip()
    if "\x00" in competency or len(competency) > COMPETENCY_LENGTH:
        errors.append(("competency", _("At most %(max)s characters.") % {"max": COMPETENCY_LENGTH}))
    labels = data.scale_labels
    if labels and (
        len(labels) != SCALE_POINTS
        or any(len(label) > SCALE_LABEL_LENGTH or "\x00" in label for label in labels)
    ):
        errors.append(
            (
                "scale_labels",
                _("Give each of the %(points)s points at most %(max)s characters.")
                % {"points": SCALE_POINTS, "max": SCALE_LABEL_LENGTH},
            )
        )
    return errors


def cleaned_question(data: QuestionData) -> dict[str, object]:
    """The question's columns, as stored: trimmed; an open question has no scale, and a scale
    whose points are all empty is none."""
    labels = [label.strip() for label in data.scale_labels]
    if data.kind == QuestionKind.OPEN or not any(labels):
        labels = []
    return {
        "text": data.text.strip(),
        "kind": data.kind,
        "competency": data.competency.strip(),
        "scale_labels": labels,
    }


def can_change_questions(cycle: ReviewCycle) -> bool:
    return cycle.status == CycleStatus.DRAFT


@transaction.atomic
def set_questions(cycle: ReviewCycle, questions: list[QuestionData]) -> None:
    """Replace a draft cycle's questions."""
    if not can_change_questions(cycle):
        raise CycleError(_("Questions can only be changed while the cycle is a draft."))
    cycle.questions.all().delete()
    ReviewQuestion.objects.bulk_create(
        ReviewQuestion(cycle=cycle, position=position, **cleaned_question(q))
        for position, q in enumerate(questions)
    )


# --- Participants -------------------------------------------------------------------------------


class CycleError(Refused):
    """A step the cycle's rules refuse: a `Refused` of the cycle as a whole (field ""); the
    message (`str()`) is for the person who tried."""

    def __init__(self, message: str) -> None:
        super().__init__([("", message)])
        self.message = message

    def __str__(self) -> str:
        return self.message


def can_add_participants(cycle: ReviewCycle) -> bool:
    return cycle.status in (CycleStatus.DRAFT, CycleStatus.NOMINATING)


def can_remove_participants(cycle: ReviewCycle) -> bool:
    return cycle.status == CycleStatus.DRAFT


@transaction.atomic
def add_participants(cycle: ReviewCycle, people: Iterable[Person]) -> int:
    """Add people who are not in the cycle yet, each with their manager of today. Returns how
    many were added. Raises CycleError, adding nobody, when someone is outside the cycle's
    scope."""
    return len(added_participants(cycle, people))


def added_participants(cycle: ReviewCycle, people: Iterable[Person]) -> list[ReviewParticipant]:
    """`add_participants`, returning the participants added."""
    if not can_add_participants(cycle):
        raise CycleError(_("Participants can only be added before the reviews open."))
    people = list(people)
    if cycle.scope is not None:
        inside = set(
            Person.objects.filter(
                pk__in=[p.pk for p in people], team__path__startswith=cycle.scope.path
            ).values_list("pk", flat=True)
        )
        outside = [p for p in people if p.pk not in inside]
        if outside:
            raise CycleError(
                _("Outside this cycle's scope (%(scope)s): %(names)s.")
                % {
                    "scope": cycle.scope.name,
                    "names": ", ".join(p.name for p in outside[:20]),
                }
            )
    taken = set(
        ReviewParticipant.objects.filter(
            cycle=cycle, person_id__in=[p.pk for p in people]
        ).values_list("person_id", flat=True)
    )
    new: list[ReviewParticipant] = []
    seen: set[int] = set()
    for person in people:
        if person.pk in taken or person.pk in seen:
            continue
        seen.add(person.pk)
        new.append(ReviewParticipant(cycle=cycle, person=person, manager_id=person.manager_id))
    ReviewParticipant.objects.bulk_create(new)
    return new


def remove_participant(participant: ReviewParticipant) -> None:
    if not can_remove_participants(participant.cycle):
        raise CycleError(_("Participants can only be removed while the cycle is a draft."))
    participant.delete()


# --- Nominations --------------------------------------------------------------------------------


def active_nominations(participant: ReviewParticipant) -> QuerySet[Nomination]:
    return participant.nominations.exclude(status=Nomination.Status.REMOVED)


def nominee_candidates(participant: ReviewParticipant) -> QuerySet[Person]:
    """Who may be nominated as a peer: people working here today inside the pilot scope
    (`organisation.scope`), not the participant, not their manager."""
    excluded = [participant.person_id]
    if participant.manager_id:
        excluded.append(participant.manager_id)
    people = Person.objects.current().filter(scope.in_scope_q(), is_active=True)
    return people.exclude(pk__in=excluded)


def check_nominee(participant: ReviewParticipant, person: Person) -> None:
    """Raise CycleError when `person` cannot be a peer reviewer of the participant."""
    if person.pk == participant.person_id:
        raise CycleError(_("You cannot nominate the person reviewed as their own peer."))
    if person.pk == participant.manager_id:
        raise CycleError(_("%(name)s reviews as the manager already.") % {"name": person.name})
    if person.has_left or not person.is_active:
        raise CycleError(_("%(name)s no longer works here.") % {"name": person.name})


@transaction.atomic
def nominate(
    participant: ReviewParticipant, people: Iterable[Person], *, by: Person, as_manager: bool
) -> int:
    """Propose peers. The participant cannot bring back someone their manager removed; the
    manager (or HR) can. Returns how many were added; raises CycleError on the first problem."""
    cycle = participant.cycle
    existing = {n.reviewer_id: n for n in participant.nominations.all()}
    count = sum(1 for n in existing.values() if n.status != Nomination.Status.REMOVED)
    added = 0
    for person in people:
        check_nominee(participant, person)
        nomination = existing.get(person.pk)
        if nomination is not None and nomination.status != Nomination.Status.REMOVED:
            continue
        if nomination is not None and not as_manager:
            raise CycleError(
                _("Your manager removed %(name)s from your reviewers.") % {"name": person.name}
            )
        if count >= cycle.max_peers:
            raise CycleError(
                _("At most %(max)s peers can review one person.") % {"max": cycle.max_peers}
            )
        if nomination is None:
            nomination = Nomination.objects.create(
                participant=participant, reviewer=person, nominated_by=by
            )
            existing[person.pk] = nomination
        else:
            nomination.status = Nomination.Status.PROPOSED
            nomination.nominated_by = by
            nomination.save(update_fields=["status", "nominated_by"])
        count += 1
        added += 1
    return added


def withdraw(participant: ReviewParticipant, reviewer_id: int, *, as_manager: bool) -> None:
    """Take a peer off the list: the participant's own proposal disappears (the manager's
    additions are the manager's to remove); the manager's removal is kept (as "removed"), so
    the participant cannot simply add them back."""
    nomination = participant.nominations.filter(reviewer_id=reviewer_id).first()
    if nomination is None:
        return
    if as_manager:
        nomination.status = Nomination.Status.REMOVED
        nomination.save(update_fields=["status"])
    elif nomination.status == Nomination.Status.REMOVED:
        return
    elif nomination.nominated_by_id not in (None, participant.person_id):
        raise CycleError(
            _("%(name)s was added by your manager: only they can take them off the list.")
            % {"name": nomination.reviewer.name}
        )
    else:
        nomination.delete()


def check_peer_count(participant: ReviewParticipant, count: int) -> None:
    cycle = participant.cycle
    if count < cycle.min_peers:
        raise CycleError(
            _("Choose at least %(min)s peers (%(count)s so far).")
            % {"min": cycle.min_peers, "count": count}
        )
    if count > cycle.max_peers:
        raise CycleError(_("Choose at most %(max)s peers.") % {"max": cycle.max_peers})


def submit_nominations(participant: ReviewParticipant) -> None:
    check_peer_count(participant, active_nominations(participant).count())
    participant.nominations_submitted_at = timezone.now()
    participant.save(update_fields=["nominations_submitted_at"])


@transaction.atomic
def approve_nominations(participant: ReviewParticipant) -> None:
    check_peer_count(participant, active_nominations(participant).count())
    participant.nominations.filter(status=Nomination.Status.PROPOSED).update(
        status=Nomination.Status.APPROVED
    )
    participant.nominations_approved_at = timezone.now()
    participant.save(update_fields=["nominations_approved_at"])


# --- Moving a cycle on --------------------------------------------------------------------------

NEXT = {
    CycleStatus.DRAFT: CycleStatus.NOMINATING,
    CycleStatus.NOMINATING: CycleStatus.REVIEWING,
    CycleStatus.REVIEWING: CycleStatus.CLOSED,
}
ORDER: list[str] = [
    CycleStatus.DRAFT,
    CycleStatus.NOMINATING,
    CycleStatus.REVIEWING,
    CycleStatus.CLOSED,
]


def next_status(cycle: ReviewCycle) -> str | None:
    return NEXT.get(CycleStatus(cycle.status))


def step_problems(cycle: ReviewCycle, to: str, today: date) -> list[str]:
    """Why the cycle cannot move on to `to` (the step after its current one) today: no
    questions or no participants yet, or the step's deadline already past. Empty: it can."""
    problems: list[str] = []
    if to in (CycleStatus.NOMINATING, CycleStatus.REVIEWING):
        if not cycle.questions.exists():
            problems.append(_("Add at least one question first."))
        if not cycle.participants.exists():
            problems.append(_("Add at least one participant first."))
    if to == CycleStatus.NOMINATING and cycle.nominations_due < today:
        problems.append(
            _("Nominations were due on %(date)s, in the past: set a new date first.")
            % {"date": formats.date_format(cycle.nominations_due)}
        )
    if to == CycleStatus.REVIEWING and cycle.answers_due < today:
        problems.append(
            _("Answers were due on %(date)s, in the past: set a new date first.")
            % {"date": formats.date_format(cycle.answers_due)}
        )
    return problems


@transaction.atomic
def advance(cycle: ReviewCycle, to: str, *, today: date | None = None) -> bool:
    """Move the cycle to `to`, the step after its current one. Asking for the step it is at
    already does nothing and returns False (a second click); any other jump, and a step
    `step_problems` refuses on `today` (the server's date when not given), raises
    CycleError."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if to not in CycleStatus.values:
        raise CycleError(_("Unknown step."))
    if cycle.status == to:
        return False
    if NEXT.get(CycleStatus(cycle.status)) != to:
        if cycle.status == CycleStatus.CLOSED or ORDER.index(to) < ORDER.index(cycle.status):
            raise CycleError(_("A cycle cannot go back to an earlier step."))
        raise CycleError(
            _("From “%(now)s” the cycle can only move on to “%(next)s”.")
            % {
                "now": CycleStatus(cycle.status).label,
                "next": CycleStatus(NEXT[CycleStatus(cycle.status)]).label,
            }
        )
    problems = step_problems(cycle, to, today or timezone.localdate())
    if problems:
        raise CycleError(" ".join(problems))
    fields = ["status"]
    if to == CycleStatus.REVIEWING:
        build_invitations(cycle)
        setting = FeedbackSettings.load().anonymity_threshold
        cycle.anonymity_threshold = max(cycle.anonymity_threshold, setting, MIN_ANONYMITY_THRESHOLD)
        fields.append("anonymity_threshold")
    if to == CycleStatus.CLOSED:
        try:
            open_sealed_answers(cycle)
        except SealError as error:
            raise CycleError(
                _(
                    "The answers cannot be opened: the server's secret key has changed. Put the "
                    "previous key in SECRET_KEY_FALLBACKS, then close the reviews again."
                )
            ) from error
    cycle.status = to
    cycle.save(update_fields=fields)
    return True


@dataclass
class StepPreview:
    """What moving a cycle on to `to` will do, and to whom, in counts: for the page that asks
    HR to confirm the step. `problems` are why it cannot (`step_problems`)."""

    to: str
    problems: list[str]
    participants: int = 0
    managers: int = 0
    questions: int = 0
    min_peers: int = 0
    # The anonymity threshold: as opening the reviews will fix it, or as it is fixed.
    threshold: int = MIN_ANONYMITY_THRESHOLD
    # The step's deadline, when the step comes before it, and how many days before.
    due: date | None = None
    days_early: int = 0
    # Opening the reviews: the invitations per rater group, how many people they go to (each
    # is e-mailed), and the participants with too few peers or lists not yet approved.
    invitations: dict[str, int] = field(default_factory=dict)
    invitation_total: int = 0
    reviewers: int = 0
    skipped: int = 0
    below_minimum: int = 0
    below_threshold: int = 0
    not_approved: int = 0
    # Closing: the answers so far, who has not answered, and the participants for whom a peer
    # or direct-report group stays below the threshold (withheld in their report).
    invited: int = 0
    answered: int = 0
    declined: int = 0
    waiting_reviewers: int = 0
    withheld: int = 0

    @property
    def waiting(self) -> int:
        return self.invited - self.answered - self.declined

    @property
    def min_peers_below_threshold(self) -> bool:
        return self.to == CycleStatus.NOMINATING and self.min_peers < self.threshold


def step_preview(cycle: ReviewCycle, to: str, today: date) -> StepPreview:
    """Counts what moving `cycle` on to `to` would do today, without writing (a fixed number
    of queries, however many participants)."""
    preview = StepPreview(to=to, problems=step_problems(cycle, to, today))
    preview.min_peers = cycle.min_peers
    if cycle.threshold_is_frozen:
        preview.threshold = cycle.anonymity_threshold
    else:
        setting = FeedbackSettings.load().anonymity_threshold
        preview.threshold = max(cycle.anonymity_threshold, setting, MIN_ANONYMITY_THRESHOLD)
    participants = ReviewParticipant.objects.filter(cycle=cycle)
    counts = participants.aggregate(n=Count("pk"), managers=Count("manager_id", distinct=True))
    preview.participants = counts["n"]
    preview.managers = counts["managers"]
    preview.questions = cycle.questions.count()
    deadline = (
        {
            CycleStatus.NOMINATING: None,
            CycleStatus.REVIEWING: cycle.nominations_due,
            CycleStatus.CLOSED: cycle.answers_due,
        }.get(CycleStatus(to))
        if to in CycleStatus.values
        else None
    )
    if deadline is not None and today < deadline:
        preview.due = deadline
        preview.days_early = (deadline - today).days
    if to == CycleStatus.REVIEWING:
        plan = plan_invitations(cycle)
        reviewed: dict[int, ReviewParticipant] = {}
        peers: dict[int, int] = {}
        for participant, _reviewer, group in plan:
            reviewed[participant.pk] = participant
            preview.invitations[group] = preview.invitations.get(group, 0) + 1
            if group == RaterGroup.PEER:
                peers[participant.pk] = peers.get(participant.pk, 0) + 1
        preview.invitation_total = len(plan)
        preview.reviewers = len({reviewer.pk for _p, reviewer, _g in plan})
        preview.skipped = preview.participants - len(reviewed)
        for participant in reviewed.values():
            count = peers.get(participant.pk, 0)
            preview.below_minimum += count < cycle.min_peers
            preview.below_threshold += count < preview.threshold
            preview.not_approved += participant.nominations_approved_at is None
    elif to == CycleStatus.CLOSED:
        invitations = ReviewInvitation.objects.filter(participant__cycle=cycle)
        totals = invitations.aggregate(
            n_invited=Count("pk"),
            n_answered=Count("pk", filter=Q(answered=True)),
            n_declined=Count("pk", filter=Q(declined=True)),
            n_waiting=Count("reviewer_id", filter=Q(answered=False, declined=False), distinct=True),
        )
        preview.invited = totals["n_invited"]
        preview.answered = totals["n_answered"]
        preview.declined = totals["n_declined"]
        preview.waiting_reviewers = totals["n_waiting"]
        withheld: set[int] = set()
        for row in (
            invitations.filter(group__in=[str(g) for g in ANONYMOUS_GROUPS])
            .values("participant_id", "group")
            .annotate(answered_count=Count("pk", filter=Q(answered=True)))
            .order_by()
        ):
            if row["answered_count"] < preview.threshold:
                withheld.add(row["participant_id"])
        preview.withheld = len(withheld)
    return preview


def plan_invitations(cycle: ReviewCycle) -> list[tuple[ReviewParticipant, Person, str]]:
    """Who opening the reviews invites, as (participant, reviewer, group), without writing:
    each participant who works here themselves, their manager, their proposed or approved
    peers and, when the cycle includes them, their current direct reports; each reviewer at
    most once per participant, people who have left skipped, and during a pilot those outside
    it (`organisation.scope`: they are reviewed by nobody and review nobody). Four queries,
    however many."""
    participants = list(
        ReviewParticipant.objects.filter(cycle=cycle)
        .select_related("person__team", "manager__team")
        .order_by("pk")
    )
    peers: dict[int, list[Person]] = {}
    for nomination in (
        Nomination.objects.filter(
            participant__cycle=cycle,
            status__in=[Nomination.Status.PROPOSED, Nomination.Status.APPROVED],
        )
        .select_related("reviewer__team")
        .order_by("pk")
    ):
        peers.setdefault(nomination.participant_id, []).append(nomination.reviewer)
    reports: dict[int | None, list[Person]] = {}
    if cycle.include_reports:
        people_ids = [p.person_id for p in participants]
        reporting = (
            Person.objects.current()
            .filter(scope.in_scope_q(), manager_id__in=people_ids)
            .select_related("team")
        )
        for person in reporting.order_by("pk"):
            reports.setdefault(person.manager_id, []).append(person)
    plan: list[tuple[ReviewParticipant, Person, str]] = []
    for participant in participants:
        if not _works_here(participant.person):
            continue
        candidates = [(participant.person, str(RaterGroup.SELF))]
        if participant.manager is not None:
            candidates.append((participant.manager, str(RaterGroup.MANAGER)))
        candidates += [(p, str(RaterGroup.PEER)) for p in peers.get(participant.pk, [])]
        candidates += [(p, str(RaterGroup.REPORT)) for p in reports.get(participant.person_id, [])]
        seen: set[int] = set()
        for reviewer, group in candidates:
            if reviewer.pk in seen or not _works_here(reviewer):
                continue
            seen.add(reviewer.pk)
            plan.append((participant, reviewer, group))
    return plan


def build_invitations(cycle: ReviewCycle) -> int:
    """Invite each participant's reviewers (`plan_invitations`); returns how many invitations
    were created. Running it again adds nothing twice."""
    # Proposed nominations count as approved now; removed ones do not.
    Nomination.objects.filter(participant__cycle=cycle, status=Nomination.Status.PROPOSED).update(
        status=Nomination.Status.APPROVED
    )
    existing = set(
        ReviewInvitation.objects.filter(participant__cycle=cycle).values_list(
            "participant_id", "reviewer_id"
        )
    )
    new = [
        ReviewInvitation(participant=participant, reviewer=reviewer, group=group)
        for participant, reviewer, group in plan_invitations(cycle)
        if (participant.pk, reviewer.pk) not in existing
    ]
    ReviewInvitation.objects.bulk_create(new)
    return len(new)


def _works_here(person: Person) -> bool:
    """Working here today and, during a pilot, inside it (no query: the team is loaded)."""
    return person.is_active and not person.has_left and scope.in_scope(person)


# --- Lookups -----------------------------------------------------------------------------------

EMAIL_SPLIT = re.compile(r"[\s,;]+")


def split_emails(text: str) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for part in EMAIL_SPLIT.split(text or ""):
        email = part.strip().strip("<>").lower()
        if email and email not in seen:
            seen.add(email)
            result.append(email)
    return result


def people_by_email(
    emails: list[str], queryset: QuerySet[Person] | None = None
) -> tuple[list[Person], list[str]]:
    """The people with these addresses in `queryset` (case-insensitive), and the addresses
    that matched nobody there."""
    queryset = Person.objects.all() if queryset is None else queryset
    if not emails:
        return [], []
    found = {p.email.lower(): p for p in queryset.filter(email__in=emails)}
    people = [found[e] for e in emails if e in found]
    return people, [e for e in emails if e not in found]
