"""Storing a reviewer's 360 answers: the one place both the answering page
(`feedback.views_reviews.answer`) and the API (`POST /api/v1/reviews/invitations/{id}/answers`)
go through.

    submit_answers(invitation, answers) -> int

    invitation: a `ReviewInvitation` of the reviewer (the caller checks that it is theirs, e.g.
        `access.rules.get_visible_or_404(viewer, ReviewInvitation, pk, "answer")`).
    answers: a list of `(question, rating, comment)` tuples: `question` a `ReviewQuestion` of the
        invitation's cycle, `rating` an int 1–5 or None (only rating questions take one),
        `comment` a str (may be empty). A question answered with neither a rating nor a comment
        is not stored; a question may appear at most once.
    Returns how many answers were stored (sealed until the cycle closes).

    Raises (all subclasses of `SubmitError`, each with a translated `message`):
    - `NotOpen`: the cycle is not in status "reviewing" (or the invitation was declined);
    - `AlreadyAnswered`: the invitation was answered before (answers are given once, never
      changed: nothing links them back to the reviewer to change them);
    - `InvalidAnswers`: a question of another cycle or given twice, a rating outside 1–5 or on
      an open question, a comment too long; `errors` maps the question's pk (or None) to a
      message. Callers validating in a form first will never see this.

    open_sealed_answers(cycle) -> int

    Called by `feedback.cycles.advance` when the cycle closes, inside its transaction with the
    cycle's row locked: opens every sealed submission of the cycle, writes their answers as
    `ReviewAnswer` rows in one random order across all of them, and deletes the sealed rows.
    Returns how many answers it wrote. Raises `SealError` (and so leaves the cycle open, with
    nothing lost) when a submission cannot be opened with SECRET_KEY or SECRET_KEY_FALLBACKS.

How answers are stored, so that nothing links them to a reviewer
------------------------------------------------------------------
A submission is stored in two rows, in one transaction: the invitation's `answered` flag (no
time) and one `SealedSubmission`: a random UUID, the cycle in clear, and everything else (the
participant, the rater group, the answers) in one AES-256-GCM ciphertext with a random nonce,
under a key derived (HKDF-SHA256) from SECRET_KEY, which is not in the database. The plaintext
is padded with blanks to a power of two of at least 4 KiB, so the ciphertext's length does not
tell a long comment from a short one. No `ReviewAnswer` row exists for it yet.

When the cycle closes (`advance(cycle, CLOSED)`), one transaction opens every sealed submission
of the cycle, shuffles all their answers together (not per submission, so one reviewer's
answers do not sit side by side) with the system's random generator, inserts them, and deletes
the sealed rows. From then on:
- no column of `ReviewAnswer` names a person or a time, and its id is random;
- on PostgreSQL every answer of the cycle carries the same hidden transaction id (`xmin`),
  the close's, which no invitation and no live sealed row has; their physical order (`ctid`)
  is the shuffled one;
- on SQLite the hidden `rowid` order is the shuffled one, across all reviewers of the cycle;
- the only time is when the cycle closed, the same for every answer.
A submission after the close is refused (the cycle's row is locked while the reviews close, so
no submission slips in between). The report shows answers of closed cycles only (see
`feedback.report`), so nothing the answers say is shown while they could still change.

Threat model: who could still link what, and when
- A reader of the database or a backup (DBA, a leaked dump, a replica), without SECRET_KEY:
  sees who has answered (the flags, and while the reviews are open the sealed row written in
  the same transaction) but not what; after the close, answers that no column, hidden column,
  order or time ties to a reviewer. The sealed rows' lengths give only a size class.
- Someone holding both the database (or a backup made while the reviews were open) and
  SECRET_KEY (or a fallback key), i.e. the server's operator: can open a sealed submission and
  join it to its invitation by `xmin` or by the order of the rows, until the cycle closes; the
  deleted sealed rows stay readable to them in the table's dead space until PostgreSQL's
  (auto)vacuum or SQLite's reuse of the pages overwrites them. The same person can read the
  web server's requests anyway: no storage protects against the one who runs the server.
- Answers stored before this design (of every cycle, closed or still open; the open ones'
  stay readable rows) were rewritten in one shuffled transaction by the migration
  `shuffle_existing_answers` of `feedback` (then `vacuum_rewritten_answers` drops the old
  row versions) and are shown only after their cycle closes; copies of the database made
  before that still hold the old link.
- Anyone reading a report: sees anonymous groups only of at least k people, computed once the
  answers are final, so reading it twice tells nothing (`feedback.report`).
- Losing SECRET_KEY while reviews are open makes the sealed answers unreadable: the close is
  refused until the old key is in SECRET_KEY_FALLBACKS.
More in docs/anonymity.md.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, cast

from django.db import connection, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadence.sealing import Sealer
from cadence.sealing import SealError as SealError  # raised here, by `unseal`
from feedback.models import (
    ANONYMOUS_GROUPS,
    OTHERS_GROUP,
    CycleStatus,
    QuestionKind,
    ReviewAnswer,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
    SealedSubmission,
)

COMMENT_MAX = cast(int, ReviewAnswer._meta.get_field("comment").max_length)  # a CharField's
KEY_INFO = b"cadence feedback: sealed 360 submissions v1"
INSERT_BATCH = 500


# --- Sealing ------------------------------------------------------------------------------------

SEALER = Sealer(KEY_INFO)
seal = SEALER.seal
unseal = SEALER.unseal


# --- Submitting ---------------------------------------------------------------------------------


class SubmitError(Exception):
    message = _("These answers cannot be stored.")

    def __str__(self) -> str:
        return str(self.message)


class NotOpen(SubmitError):
    message = _("This review is not open for answers.")


class AlreadyAnswered(SubmitError):
    message = _("You have already answered this review.")


class InvalidAnswers(SubmitError):
    message = _("Some answers are not valid.")

    def __init__(self, errors: dict[int | None, str]):
        super().__init__(errors)
        self.errors = errors


# One answer as a page or the API hands it in: (question, rating, comment), not checked yet.
Answer = tuple[ReviewQuestion | None, object, str | None]
Kept = tuple[ReviewQuestion, int | None, str]


def validate(invitation: ReviewInvitation, answers: Iterable[Answer]) -> list[Kept]:
    """The answers worth storing, as (question, rating, comment); InvalidAnswers otherwise."""
    cycle_id = invitation.participant.cycle_id
    errors: dict[int | None, str] = {}
    seen: set[int] = set()
    kept: list[Kept] = []
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


def _lock_open_cycle(cycle_id: int) -> bool:
    """Whether the cycle takes answers, holding a share lock on its row on PostgreSQL until the
    transaction ends: closing the cycle (which locks the row for update) waits for submissions
    under way, and a submission waiting for a close sees it closed."""
    table = connection.ops.quote_name(ReviewCycle._meta.db_table)
    sql = f"SELECT 1 FROM {table} WHERE id = %s AND status = %s"  # noqa: S608
    if connection.vendor == "postgresql":
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_id, CycleStatus.REVIEWING.value])
        return cursor.fetchone() is not None


def submit_answers(invitation: ReviewInvitation, answers: Iterable[Answer]) -> int:
    """Store one reviewer's answers for one invitation at once, sealed (see the module's
    docstring)."""
    kept = validate(invitation, answers)
    participant = invitation.participant
    cycle_id = participant.cycle_id
    with transaction.atomic():
        # The claim filters on the row's own columns only: with a join, Django writes a
        # subquery that PostgreSQL does not re-check after waiting for a concurrent claim.
        is_open = _lock_open_cycle(cycle_id)
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
        submission = SealedSubmission(cycle_id=cycle_id)
        content = {
            "participant": participant.pk,
            "group": invitation.group,
            "answers": [[question.pk, rating, comment] for question, rating, comment in kept],
        }
        submission.sealed = seal(cycle_id, submission.pk, content)
        submission.save(force_insert=True)
    invitation.answered = True
    return len(kept)


# --- Opening at the close -----------------------------------------------------------------------


def stored_groups(submissions: list[dict[str, Any]], k: int) -> dict[tuple[int, str], str]:
    """Under which group each (participant, rater group) of these submissions is stored, so
    that every stored anonymous group stands for at least `k` reviewers: the answered flags
    say who answered in which group, so a group of one answer stored under its own name
    would be that reviewer's, and a group of two would be one of two.
    - self and manager: as they are (named by design);
    - a peer or direct-report group of at least k reviewers: as it is;
    - the groups of fewer than k, together, as "others" when together they reach k;
    - otherwise not at all: the report could never show them (`feedback.anonymity`), and
      kept they would name their reviewers to anyone reading the database."""
    counts: dict[int, dict[str, int]] = {}
    for content in submissions:
        groups = counts.setdefault(content["participant"], {})
        groups[content["group"]] = groups.get(content["group"], 0) + 1
    stored: dict[tuple[int, str], str] = {}
    for participant_id, groups in counts.items():
        small = [g for g, n in groups.items() if g in ANONYMOUS_GROUPS and n < k]
        merged = sum(groups[g] for g in small) >= k
        for group in groups:
            if group not in small:
                stored[(participant_id, group)] = group
            elif merged:
                stored[(participant_id, group)] = OTHERS_GROUP
    return stored


def open_sealed_answers(cycle: ReviewCycle) -> int:
    """Write the cycle's sealed answers as readable answers, all in one random order, and
    delete the sealed rows: in the caller's transaction (`feedback.cycles.advance`)."""
    participants = set(ReviewParticipant.objects.filter(cycle=cycle).values_list("pk", flat=True))
    questions = {q.pk: q.kind for q in cycle.questions.all()}
    submissions: list[dict[str, Any]] = []
    for row_id, value in SealedSubmission.objects.filter(cycle=cycle).values_list("id", "sealed"):
        content = unseal(cycle.pk, row_id, value)
        if content["participant"] in participants:  # else the person reviewed was deleted
            submissions.append(content)
    stored_as = stored_groups(submissions, cycle.anonymity_threshold)
    rows: list[ReviewAnswer] = []
    for content in submissions:
        participant_id = content["participant"]
        group = stored_as.get((participant_id, content["group"]))
        if group is None:
            continue  # too few reviewers in this group to keep their answers apart
        for question_id, rating, comment in content["answers"]:
            kind = questions.get(question_id)
            if kind is None:
                continue
            rows.append(
                ReviewAnswer(
                    participant_id=participant_id,
                    question_id=question_id,
                    group=group,
                    rating=rating if kind == QuestionKind.RATING else None,
                    comment=comment,
                )
            )
    # One order for the whole cycle, from the system's random source: no submission's answers
    # sit together, and nothing about the order can be replayed from a seed.
    secrets.SystemRandom().shuffle(rows)
    ReviewAnswer.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    SealedSubmission.objects.filter(cycle=cycle).delete()
    return len(rows)
