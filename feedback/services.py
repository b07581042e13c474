"""Every write of the feedback module, one function each, shared by the pages and the API.

Each takes the viewer and parsed data (ids, strings, dates; forms and API schemas only parse)
and, in this order: checks the viewer's permission with the rules (`PermissionDenied`), takes
the locks it needs, checks the domain's rules, and writes. What the domain refuses raises
`cadence.refusals.Refused` (pages show its errors on the form, the API answers 422 through
`cadence.api_kit.written`) or `cadence.refusals.Conflict` (the ask or review was answered
meanwhile: the API answers 409). The 360 cycles' writes (setting a cycle up, filling it,
moving it on, nominating and approving peers) are in `feedback.services_cycles`.

Field names in errors are the API's (`receiver_id`, `goal_id`, `text`, …); a page maps them
to its form's fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can, visible
from cadence import events
from cadence.refusals import Conflict, Refused, clean_text
from feedback import reviewing
from feedback.models import (
    MAX_ANONYMITY_THRESHOLD,
    MIN_ANONYMITY_THRESHOLD,
    AskStatus,
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackSettings,
    Kind,
    Reaction,
    Reply,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
    Visibility,
)
from feedback.requesting import MAX_REQUESTEES, NotPending
from feedback.rules import edits_feedback_settings, feedback_recipients
from goals.models import Objective
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

TEXT_MAX = 4000  # Feedback.text
REPLY_MAX = 2000  # Reply.text
TOPIC_MAX = 200  # FeedbackRequest.topic
REASON_MAX = 300  # FeedbackAsk.declined_reason
DEFAULT_DUE_DAYS = 7
LATEST_DUE_DAYS = 366
RELEASABLE = (CycleStatus.CLOSED,)


def _require(viewer: Viewer, action: str, obj: Feedback | FeedbackAsk | ReviewParticipant) -> None:
    if not can(viewer, action, obj):
        raise PermissionDenied


def _me(viewer: Viewer) -> Person:
    if viewer.person is None:
        raise PermissionDenied
    return viewer.person


# --- Feedback ------------------------------------------------------------------------------------


def _content(
    viewer: Viewer,
    receiver: Person,
    *,
    kind: str,
    text: str,
    visibility: str,
    goal_id: int | None,
) -> tuple[str, str, str, int | None]:
    if kind not in Kind.values:
        raise Refused.on("kind", _("Choose praise or constructive feedback."))
    if visibility not in Visibility.values:
        raise Refused.on("visibility", _("Choose who can see it."))
    text = clean_text(text, "text", TEXT_MAX)
    # Constructive feedback is always private to the receiver (who may share it with their
    # manager); praise may go wider.
    if kind == Kind.CONSTRUCTIVE:
        visibility = Visibility.PRIVATE
    if goal_id is not None:
        goals = visible(viewer, Objective.objects.filter(owner_person=receiver))
        if not goals.filter(pk=goal_id).exists():
            raise Refused.on("goal_id", _("Choose one of their goals that you can see."))
    return kind, text, visibility, goal_id


def _competency(key: str) -> str:
    """A competency of the current framework (Growth) by its key, or "" for none."""
    from growth.queries import competency_choices

    key = key.strip()
    if key and key not in dict(competency_choices()):
        raise Refused.on("competency", _("Choose a competency of the framework."))
    return key


def give_feedback(
    viewer: Viewer,
    *,
    receiver_id: int,
    kind: str,
    text: str,
    visibility: str = Visibility.PRIVATE,
    goal_id: int | None = None,
    competency: str = "",
) -> Feedback:
    """Feedback from the viewer to anyone working here but them; the receiver is told by
    e-mail (queued with the feedback, in one transaction)."""
    from feedback.tasks import notify_receiver

    me = _me(viewer)
    receiver = feedback_recipients(viewer).filter(pk=receiver_id).first()
    if receiver is None:
        raise Refused.on("receiver_id", _("Give feedback to someone working here but you."))
    kind, text, visibility, goal_id = _content(
        viewer, receiver, kind=kind, text=text, visibility=visibility, goal_id=goal_id
    )
    competency = _competency(competency)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            giver=me,
            receiver=receiver,
            kind=kind,
            text=text,
            visibility=visibility,
            goal_id=goal_id,
            competency=competency,
        )
        notify_receiver.enqueue(feedback.pk)
        if kind == Kind.PRAISE and visibility == Visibility.ORGANISATION:
            events.emit(events.PRAISE_GIVEN, feedback.pk)
    return feedback


def edit_feedback(
    viewer: Viewer,
    feedback: Feedback,
    *,
    kind: str,
    text: str,
    visibility: str,
    goal_id: int | None,
) -> Feedback:
    """The giver corrects their feedback until the receiver has read it (checked again under a
    lock: if the receiver opened it a moment ago, it stays as read)."""
    _require(viewer, "change", feedback)
    with transaction.atomic():
        current = Feedback.objects.select_for_update().filter(pk=feedback.pk)
        feedback.read_at = current.values_list("read_at", flat=True).get()
        _require(viewer, "change", feedback)
        kind, text, visibility, goal_id = _content(
            viewer,
            feedback.receiver,
            kind=kind,
            text=text,
            visibility=visibility,
            goal_id=goal_id,
        )
        feedback.kind, feedback.text, feedback.visibility = kind, text, visibility
        feedback.goal_id = goal_id
        feedback.edited_at = timezone.now()
        feedback.save(update_fields=["kind", "text", "goal", "visibility", "edited_at"])
    return feedback


def mark_read(viewer: Viewer, feedback: Feedback) -> None:
    """The receiver has read it: from now on it is never changed, only added to (replies)."""
    if feedback.receiver_id == _me(viewer).pk and feedback.read_at is None:
        now = timezone.now()
        if Feedback.objects.filter(pk=feedback.pk, read_at__isnull=True).update(read_at=now):
            feedback.read_at = now


def reply(viewer: Viewer, feedback: Feedback, *, text: str) -> Reply:
    """Giver and receiver add to the feedback (it is never edited once read)."""
    _require(viewer, "reply", feedback)
    text = clean_text(text, "text", REPLY_MAX)
    mark_read(viewer, feedback)
    return Reply.objects.create(feedback=feedback, author=_me(viewer), text=text)


def react(viewer: Viewer, feedback: Feedback, *, emoji: str) -> bool:
    """Toggle one reaction of the viewer's; True when it is now there."""
    _require(viewer, "react", feedback)
    if emoji not in Reaction.Emoji.values:
        raise Refused.on("emoji", _("Choose a reaction."))
    mine = Reaction.objects.filter(feedback=feedback, person=_me(viewer), emoji=emoji)
    if mine.delete()[0]:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(feedback=feedback, person=_me(viewer), emoji=emoji)
    except IntegrityError:
        pass  # the same click twice at once: one reaction
    return True


def share_with_manager(viewer: Viewer, feedback: Feedback, *, shared: bool) -> None:
    """The receiver shares it with their manager of now, as a person (a later manager does not
    inherit it), or takes it back. Shared already (perhaps with an earlier manager), it stays
    with whom it was shared with."""
    _require(viewer, "share_with_manager", feedback)
    if shared:
        manager = _me(viewer).manager
        if manager is None:
            raise PermissionDenied
        Feedback.objects.filter(pk=feedback.pk, shared_with__isnull=True).update(
            shared_with=manager, shared_with_manager_at=timezone.now()
        )
    else:
        Feedback.objects.filter(pk=feedback.pk).update(
            shared_with=None, shared_with_manager_at=None
        )
    feedback.refresh_from_db(fields=["shared_with", "shared_with_manager_at"])


# --- Feedback requests ---------------------------------------------------------------------------


def request_feedback(
    viewer: Viewer,
    *,
    requestee_ids: Sequence[int],
    topic: str,
    goal_id: int | None = None,
    due_date: date | None = None,
    competency: str = "",
) -> FeedbackRequest:
    """Ask 1 to 10 colleagues working here (not oneself) about `topic`, by `due_date` (by
    default in a week; from today to a year ahead, in the requester's time zone)."""
    from feedback.requesting import create_request

    me = _me(viewer)
    today = me.local_today()
    errors: list[tuple[str, str]] = []
    ids = list(dict.fromkeys(requestee_ids))
    people: list[Person] = []
    if not 1 <= len(ids) <= MAX_REQUESTEES:
        errors.append(
            ("requestee_ids", _("Ask 1 to %(count)d colleagues.") % {"count": MAX_REQUESTEES})
        )
    elif me.pk in ids:
        errors.append(("requestee_ids", _("Ask colleagues: you cannot ask yourself.")))
    else:
        found = {
            person.pk: person
            for person in feedback_recipients(viewer)
            .filter(pk__in=ids)
            .only("pk", "name", "time_zone")
        }
        missing = [pk for pk in ids if pk not in found]
        if missing:
            message = _("Nobody working here has the id %(ids)s.") % {
                "ids": ", ".join(map(str, missing))
            }
            errors.append(("requestee_ids", message))
        people = [found[pk] for pk in ids if pk in found]
    goal = None
    if goal_id is not None:
        goal = Objective.objects.filter(pk=goal_id, owner_person=me).first()
        if goal is None:
            errors.append(("goal_id", _("Choose one of your own goals.")))
    due = due_date or today + timedelta(days=DEFAULT_DUE_DAYS)
    if due < today:
        errors.append(("due_date", _("Choose today or a later date.")))
    elif due > today + timedelta(days=LATEST_DUE_DAYS):
        errors.append(("due_date", _("Choose a date within the next year.")))
    try:
        topic = clean_text(topic, "topic", TOPIC_MAX)
    except Refused as problem:
        errors += problem.errors
    if errors:
        raise Refused(errors)
    return create_request(
        me, people, topic=topic, goal=goal, due_date=due, competency=_competency(competency)
    )


def _pending(ask: FeedbackAsk) -> None:
    if ask.status != AskStatus.PENDING:
        raise Conflict(str(NotPending.message))


def answer_ask(viewer: Viewer, ask: FeedbackAsk, *, kind: str, text: str) -> Feedback:
    """The person asked answers: private feedback to the requester about the request's topic
    (and goal). `Conflict` once it was answered or declined (also a moment ago)."""
    from feedback import requesting

    _require(viewer, "answer", ask)
    _pending(ask)
    if kind not in Kind.values:
        raise Refused.on("kind", _("Choose praise or constructive feedback."))
    text = clean_text(text, "text", TEXT_MAX)
    try:
        return requesting.answer_ask(ask, kind=kind, text=text)
    except NotPending as error:
        raise Conflict(str(error)) from error


def decline_ask(viewer: Viewer, ask: FeedbackAsk, *, reason: str = "") -> None:
    """The person asked declines, with an optional reason the requester sees."""
    from feedback import requesting

    _require(viewer, "answer", ask)
    _pending(ask)
    reason = clean_text(reason, "reason", REASON_MAX, required=False)
    try:
        requesting.decline_ask(ask, reason=reason)
    except NotPending as error:
        raise Conflict(str(error)) from error


# --- 360 reviews ---------------------------------------------------------------------------------


class NotOpen(PermissionDenied):
    """The review cannot be answered any more (or not yet): the cycle is not open for
    answers, or the reviewer declined."""

    def __init__(self) -> None:
        super().__init__(str(reviewing.NotOpen.message))


def answer_review(
    viewer: Viewer,
    invitation: ReviewInvitation,
    answers: Iterable[tuple[int, int | None, str]],
) -> int:
    """The reviewer's answers, all at once: (question id, rating or None, comment) each.
    Stored sealed by `feedback.reviewing.submit_answers` (no link to the reviewer). Returns
    how many were stored. `Conflict` when answered before, `NotOpen` when not open."""
    if not can(viewer, "answer", invitation):
        raise PermissionDenied
    if invitation.answered:
        raise Conflict(str(reviewing.AlreadyAnswered.message))
    if invitation.declined or invitation.participant.cycle.status != CycleStatus.REVIEWING:
        raise NotOpen
    questions = {
        question.pk: question
        for question in ReviewQuestion.objects.filter(cycle=invitation.participant.cycle_id)
    }
    errors: list[tuple[str, str]] = []
    parsed: list[tuple[ReviewQuestion, int | None, str]] = []
    for index, (question_id, rating, comment) in enumerate(answers):
        question = questions.get(question_id)
        if question is None:
            errors.append(
                (f"answers.{index}.question_id", _("This question is not part of this review."))
            )
            continue
        parsed.append((question, rating, comment))
    if errors:
        raise Refused(errors)
    try:
        stored = reviewing.submit_answers(invitation, parsed)
    except reviewing.AlreadyAnswered as error:
        raise Conflict(str(error)) from error
    except reviewing.NotOpen as error:
        raise NotOpen from error
    except reviewing.InvalidAnswers as error:
        positions = {question.pk: index for index, (question, _r, _c) in enumerate(parsed)}
        raise Refused(
            [
                (f"answers.{positions[pk]}" if pk in positions else "answers", message)
                for pk, message in error.errors.items()
            ]
        ) from error
    invitation.answered = True
    return stored


def decline_review(viewer: Viewer, invitation: ReviewInvitation) -> bool:
    """The reviewer declines a review they have not answered; True when it is declined now."""
    if not can(viewer, "answer", invitation):
        raise PermissionDenied
    if invitation.participant.cycle.status != CycleStatus.REVIEWING:
        raise NotOpen
    declined = ReviewInvitation.objects.filter(pk=invitation.pk, answered=False).update(
        declined=True
    )
    invitation.declined = invitation.declined or bool(declined)
    return bool(declined)


def release_report(viewer: Viewer, participant: ReviewParticipant, *, confirmed: bool) -> bool:
    """The manager (or HR) releases the report to the participant, who is told by e-mail:
    once the cycle is closed, and only confirmed. True when released now (only the first of
    two clicks at the same moment releases it and sends the e-mail)."""
    from feedback.tasks_reports import send_report_released

    _require(viewer, "release_report", participant)
    if participant.cycle.status not in RELEASABLE:
        raise PermissionDenied
    if not confirmed and participant.released_at is None:
        raise Refused.on("confirm", _("Tick the box to confirm that you release the report."))
    with transaction.atomic():
        released = ReviewParticipant.objects.filter(
            pk=participant.pk, released_at__isnull=True
        ).update(released_at=timezone.now(), released_by=_me(viewer))
        if released:
            audit.record(
                "feedback.report_released",
                actor=viewer.person,
                subject=participant.person_id,
                target=participant,
            )
            send_report_released.enqueue(participant.pk)
            events.emit(events.REPORT_RELEASED, participant.pk)
    return bool(released)


# --- Settings ------------------------------------------------------------------------------------


def save_feedback_settings(viewer: Viewer, *, anonymity_threshold: int) -> FeedbackSettings:
    """The organisation's feedback settings (organisation-wide HR who may manage people): the
    360 anonymity threshold, from 3 to 20. A cycle whose reviews have opened keeps its own."""
    if not edits_feedback_settings(viewer):
        raise PermissionDenied
    if not MIN_ANONYMITY_THRESHOLD <= anonymity_threshold <= MAX_ANONYMITY_THRESHOLD:
        raise Refused.on(
            "anonymity_threshold",
            _("Choose a number from %(min)s to %(max)s.")
            % {"min": MIN_ANONYMITY_THRESHOLD, "max": MAX_ANONYMITY_THRESHOLD},
        )
    with transaction.atomic():
        settings = FeedbackSettings.load()
        settings = FeedbackSettings.objects.select_for_update().get(pk=settings.pk)
        was = settings.anonymity_threshold
        settings.anonymity_threshold = anonymity_threshold
        settings.save(update_fields=["anonymity_threshold"])
        if was != anonymity_threshold:
            audit.record(
                "feedback.settings_changed",
                actor=viewer.person,
                target=settings,
                changes={"anonymity_threshold": [was, anonymity_threshold]},
            )
    return settings
