"""Storing a reviewer's 360 answers: the one place both the answering page
(`feedback.views_reviews.answer`) and the API (`POST /api/v1/reviews/invitations/{id}/answers`)
go through.

    submit_answers(invitation, answers) -> int

    invitation: a `ReviewInvitation` of the reviewer (the caller checks that it is theirs, e.g.
        `access.policy.review_invitations_of(viewer)`).
    answers: a list of `(question, rating, comment)` tuples: `question` a `ReviewQuestion` of the
        invitation's cycle, `rating` an int 1–5 or None (only rating questions take one),
        `comment` a str (may be empty). A question answered with neither a rating nor a comment
        is not stored; a question may appear at most once.
    Returns how many `ReviewAnswer` rows were stored.

    Raises (all subclasses of `SubmitError`, each with a translated `message`):
    - `NotOpen`: the cycle is not in status "reviewing" (or the invitation was declined);
    - `AlreadyAnswered`: the invitation was answered before (answers are given once, never
      changed: nothing links them back to the reviewer to change them);
    - `InvalidAnswers`: a question of another cycle or given twice, a rating outside 1–5 or on
      an open question, a comment too long; `errors` maps the question's pk (or None) to a
      message. Callers validating in a form first will never see this.

What is stored keeps the anonymity promise: each `ReviewAnswer` holds the participant, the
question, the rater group, the rating and the comment, and nothing else: no reviewer, no
timestamp, a random (UUID) id. That this reviewer answered is the invitation's `answered` flag,
without a time. Both are written in one transaction, and the flag is set with a conditional
UPDATE first, so two submissions at once store one set of answers (the other gets
`AlreadyAnswered`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    CycleStatus,
    QuestionKind,
    ReviewAnswer,
    ReviewInvitation,
)

COMMENT_MAX = ReviewAnswer._meta.get_field("comment").max_length


class SubmitError(Exception):
    message = _("These answers cannot be stored.")

    def __str__(self):
        return str(self.message)


class NotOpen(SubmitError):
    message = _("This review is not open for answers.")


class AlreadyAnswered(SubmitError):
    message = _("You have already answered this review.")


class InvalidAnswers(SubmitError):
    message = _("Some answers are not valid.")

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def validate(invitation: ReviewInvitation, answers) -> list[tuple]:
    """The answers worth storing, as (question, rating, comment); InvalidAnswers otherwise."""
    cycle_id = invitation.participant.cycle_id
    errors: dict = {}
    seen: set[int] = set()
    kept = []
    for question, rating, comment in answers:
        comment = (comment or "").strip()
        if question is None or question.cycle_id != cycle_id:
            errors[None] = gettext("A question is not part of this review.")
            continue
        if question.pk in seen:
            errors[question.pk] = gettext("A question is answered twice.")
            continue
        seen.add(question.pk)
        if rating is not None:
            if question.kind != QuestionKind.RATING:
                errors[question.pk] = gettext("This question takes no rating.")
                continue
            if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
                errors[question.pk] = gettext("Rate from 1 to 5.")
                continue
        if "\x00" in comment:
            errors[question.pk] = gettext("Null characters are not allowed.")
            continue
        if len(comment) > COMMENT_MAX:
            errors[question.pk] = gettext("At most %(count)s characters.") % {"count": COMMENT_MAX}
            continue
        if rating is None and not comment:
            continue  # nothing said: nothing stored
        kept.append((question, rating, comment))
    if errors:
        raise InvalidAnswers(errors)
    return kept


def submit_answers(invitation: ReviewInvitation, answers) -> int:
    """Store one reviewer's answers for one invitation at once (see the module's docstring)."""
    kept = validate(invitation, answers)
    participant = invitation.participant
    with transaction.atomic():
        # The claim filters on the row's own columns only: with a join, Django writes a
        # subquery that PostgreSQL does not re-check after waiting for a concurrent claim.
        is_open = ReviewInvitation.objects.filter(
            pk=invitation.pk, participant__cycle__status=CycleStatus.REVIEWING
        ).exists()
        claimed = is_open and ReviewInvitation.objects.filter(
            pk=invitation.pk, answered=False, declined=False
        ).update(answered=True)
        if not claimed:
            current = (
                ReviewInvitation.objects.filter(pk=invitation.pk)
                .values("answered", "declined", "participant__cycle__status")
                .first()
            )
            if current is not None and current["answered"]:
                raise AlreadyAnswered
            raise NotOpen
        rows = [
            ReviewAnswer(
                participant=participant,
                question=question,
                group=invitation.group,
                rating=rating,
                comment=comment,
            )
            for question, rating, comment in kept
        ]
        ReviewAnswer.objects.bulk_create(rows)
    invitation.answered = True
    return len(rows)
