"""A survey's rounds, from opening to results: the one place answers are stored and read.

    open_round(survey, on) -> Round | None
        Opens the survey's next round on `on`: its questions (a pulse rotates through its
        questions, at most `per_round` a round, so that every question is asked before any is
        asked again; a one-off asks them all), the thresholds of today's settings (kept by the
        round), and an invitation for everyone in the audience who works here that day and
        inside the pilot scope, with the groups they count in, frozen.

    submit(invitation, answers) -> None
        Stores one person's answers once, sealed, and marks the invitation answered (no time).
        `answers`: {question id: value} — a scale or 0–10 value (int), a choice's index (int),
        or an open answer (str, may be empty). Every question but open ones must be answered.
        Raises `Refused` (per question, as "answers.<question id>") or `Conflict` (answered
        already, or the round closed meanwhile).

    close_round(round) -> None
        In one transaction, with the round locked: opens every sealed response, chooses the
        groups that may be released together (`surveys.disclosure`, with the round's k for
        figures and its k for comments), writes the responses and comments shuffled across all
        respondents with only their released groups, computes each released group's figures,
        and deletes the sealed rows.

What a reader of the database sees
----------------------------------
While a round is open: who was asked and who has answered (flags, no time) and one sealed row
per answer, unreadable without SECRET_KEY; on PostgreSQL the sealed row shares its
transaction id with the invitation's flag, as for 360 answers (docs/anonymity.md). After it
closes: responses and comments with a random id, no person, no time, in a shuffled order,
written by one transaction, each carrying only the released groups it counts in — and every
combination of released groups holds at least k respondents (k for comments), so no stored
row can be narrowed down to fewer people than a figure can.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence import events
from cadence.refusals import Conflict, Refused, clean_text
from cadence.sealing import Sealer
from insights import writing
from organisation import scope
from people.models import Person, Team
from surveys import bank, groups
from surveys.disclosure import Candidate, release, release_answers
from surveys.models import (
    Comment,
    Figure,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Round,
    RoundQuestion,
    RoundStatus,
    SealedResponse,
    Survey,
    SurveySettings,
)

SEALER = Sealer(b"cadence surveys: sealed responses v1")
COMMENT_MAX = 2000
BATCH = 500
# A figure's columns, in the order `_figures` gives them.
FIGURE_FIELDS = ("round", "group", "question", "n", "invited", "total", "net", "counts")


def _today() -> date:
    return timezone.localdate()


# --- Opening --------------------------------------------------------------------------------


def questions_for(survey: Survey, number: int) -> list[Question]:
    """The questions of the survey's round `number` (from 1): a pulse's window of `per_round`
    of them, moving on each round through the survey's list and round again; a one-off's all."""
    asked = [ask.question for ask in survey.asks.select_related("question").order_by("position")]
    if not survey.is_pulse or len(asked) <= survey.per_round:
        return asked
    start = (number - 1) * survey.per_round % len(asked)
    return [asked[(start + i) % len(asked)] for i in range(survey.per_round)]


def audience(survey: Survey, on: date) -> list[Person]:
    working = Q(leave_date__isnull=True) | Q(leave_date__gte=on)
    people = Person.objects.filter(working, scope.in_scope_q(), is_active=True)
    if survey.team_id is not None:
        people = people.filter(team__path__startswith=survey.team.path)  # type: ignore[union-attr]
    return list(people.select_related("team").order_by("pk"))


def next_number(survey: Survey) -> int:
    last = survey.rounds.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _due(last_opened: date | None, every_days: int | None, on: date) -> bool:
    """Whether a survey's next round should open on `on`: its first, or a pulse's next once
    `every_days` have passed since the last one opened."""
    if last_opened is None:
        return True
    return every_days is not None and last_opened + timedelta(days=every_days) <= on


def is_due(survey: Survey, on: date) -> bool:
    """Whether the survey's next round should be open on `on` (and is not)."""
    if survey.ended_at is not None or survey.starts_on > on:
        return False
    last = survey.rounds.aggregate(last=Max("opens_on"))["last"]
    return _due(last, survey.every_days, on)


@transaction.atomic
def open_round(
    survey: Survey, on: date | None = None, *, only_if_due: bool = False
) -> Round | None:
    """Opens the survey's next round (see the module's docstring) and tells everyone asked;
    None when nobody is in its audience, or (`only_if_due`, for the periodic job) when the
    round is not due or another run opened it meanwhile."""
    on = on or _today()
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if only_if_due and not is_due(locked, on):
        return None
    people = audience(locked, on)
    if not people:
        return None
    number = next_number(locked)
    found = SurveySettings.load()
    frozen = {
        person.pk: groups.groups_of(
            person.team.path if person.team else None, person.start_date, on
        )
        for person in people
    }
    sizes: dict[str, int] = defaultdict(int)
    for keys in frozen.values():
        for key in keys:
            sizes[key] += 1
    opened = Round.objects.create(
        survey=locked,
        number=number,
        opens_on=on,
        closes_on=on + timedelta(days=locked.open_days - 1),
        k=found.anonymity_threshold,
        k_comments=max(found.comment_threshold, found.anonymity_threshold),
        invited=len(people),
        sizes=dict(sizes),
    )
    RoundQuestion.objects.bulk_create(
        RoundQuestion(round=opened, question=question, position=i)
        for i, question in enumerate(questions_for(locked, number))
    )
    Invitation.objects.bulk_create(
        (Invitation(round=opened, person=person, groups=frozen[person.pk]) for person in people),
        batch_size=BATCH,
    )
    ids = list(Invitation.objects.filter(round=opened).values_list("pk", flat=True))
    transaction.on_commit(lambda: _tell_opened(ids))
    return opened


def _tell_opened(ids: list[int]) -> None:
    from surveys.tasks import tell

    for pk in ids:
        tell.enqueue("survey_open", pk)


def due_rounds(on: date | None = None) -> list[Survey]:
    """The surveys whose next round should be open on `on` and is not."""
    on = on or _today()
    surveys = Survey.objects.filter(ended_at__isnull=True, starts_on__lte=on).annotate(
        last_opened=Max("rounds__opens_on")
    )
    return [survey for survey in surveys if _due(survey.last_opened, survey.every_days, on)]


# --- Answering ------------------------------------------------------------------------------


def validate(found: Round, answers: Mapping[int, Any]) -> dict[str, Any]:
    """The answers as they are sealed ({question id as str: value}); Refused otherwise."""
    errors: list[tuple[str, str]] = []
    kept: dict[str, Any] = {}
    asked = {question.pk: question for question in found.questions.all()}
    for question_id in answers:
        if question_id not in asked:
            errors.append(("answers", _("A question is not part of this round.")))
    for question_id, question in asked.items():
        value = answers.get(question_id)
        field = f"answers.{question_id}"
        if question.kind == QuestionKind.TEXT:
            if value is None:
                continue
            if not isinstance(value, str):
                errors.append((field, _("Write your answer as text.")))
                continue
            try:
                text = clean_text(value, field, COMMENT_MAX, required=False)
            except Refused as refused:
                errors.extend(refused.errors)
                continue
            if text:
                kept[str(question_id)] = text
            continue
        if value is None or value == "":
            errors.append((field, _("Choose an answer.")))
        elif isinstance(value, bool) or not isinstance(value, int) or value not in question.values:
            errors.append((field, _("Choose one of the answers offered.")))
        else:
            kept[str(question_id)] = value
    if errors:
        raise Refused(errors)
    return kept


def _lock_open(round_id: int) -> bool:
    """Whether the round takes answers, holding a share lock on its row on PostgreSQL until the
    transaction ends, so that closing it waits for answers under way."""
    table = connection.ops.quote_name(Round._meta.db_table)
    sql = f"SELECT 1 FROM {table} WHERE id = %s AND status = %s"  # noqa: S608
    if connection.vendor == "postgresql":
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_id, RoundStatus.OPEN.value])
        return cursor.fetchone() is not None


def submit(invitation: Invitation, answers: Mapping[int, Any]) -> None:
    """Stores one person's answers once, sealed (see the module's docstring)."""
    kept = validate(invitation.round, answers)
    with transaction.atomic():
        if not _lock_open(invitation.round_id):
            raise Conflict(_("This round has closed."))
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered:
            raise Conflict(_("You have already answered this round."))
        locked.answered = True
        locked.save(update_fields=["answered"])
        row = SealedResponse(round_id=invitation.round_id)
        row.sealed = SEALER.seal(
            invitation.round_id, row.id, {"groups": locked.groups, "answers": kept}
        )
        row.save(force_insert=True)
    invitation.answered = True


# --- Closing --------------------------------------------------------------------------------


def _depths(keys: set[str]) -> dict[int, int]:
    ids = {team for key in keys if (team := groups.team_of(key)) is not None}
    paths = Team.objects.filter(pk__in=ids).values_list("pk", "path")
    return {pk: path.count("/") - 2 for pk, path in paths}


def _candidates(opened: list[dict[str, Any]]) -> list[Candidate]:
    """The groups of the opened responses, in the order the release considers them."""
    members: dict[str, set[int]] = defaultdict(set)
    for index, response in enumerate(opened):
        for key in response["groups"]:
            members[key].add(index)
    order = groups.priority(members, _depths(set(members)))
    candidates, seen = [], set()
    for key in order:  # a group of exactly the same people as one before it is that one
        found = frozenset(members[key])
        if found not in seen:
            seen.add(found)
            candidates.append(Candidate(key, found))
    return candidates


def _released(candidates: list[Candidate], k: int) -> list[str]:
    return [candidate.key for candidate in release(candidates, k)]  # type: ignore[misc]


def _figures(
    found: Round,
    questions: list[Question],
    opened: list[dict[str, Any]],
    released: list[str],
    sizes: Mapping[str, int],
) -> list[tuple[Any, ...]]:
    """Each released group's participation and its figures for each closed question, in one
    pass over the responses; how a question's answers split only for the groups
    `_splits_shown` lets show it, whatever the question's kind: rows of `FIGURE_FIELDS`."""
    shown = set(released)
    closed = [q for q in questions if q.kind != QuestionKind.TEXT]
    split = _splits_shown(found, closed, opened)
    respondents: dict[str, int] = defaultdict(int)
    sums: dict[tuple[str, int], list[Any]] = {}
    # What each question's answers need, read once rather than once per response.
    asked = [
        (
            q.pk,
            str(q.pk),
            (q.points or 0) + 1 if q.reverse else None,
            q.kind == QuestionKind.CHOICE,
            q.kind == QuestionKind.ENPS,
        )
        for q in closed
    ]
    for response in opened:
        keys = [key for key in response["groups"] if key in shown]
        if not keys:
            continue
        answers = response["answers"]
        for key in keys:
            respondents[key] += 1
        for pk, answer_key, reversed_from, choice, enps in asked:
            value = answers.get(answer_key)
            if value is None:
                continue
            scored = reversed_from - value if reversed_from is not None else value
            if choice:
                scored = 0  # an option's place in the list is no score: no sum, no mean
            net = bank.net_promoter(value) if enps else 0
            for key in keys:
                cell = sums.get((key, pk))
                if cell is None:
                    cell = sums[(key, pk)] = [0, 0, defaultdict(int), 0]
                cell[0] += 1
                cell[1] += scored
                cell[2][str(value)] += 1
                cell[3] += net
    rows: list[tuple[Any, ...]] = []
    for key in released:
        rows.append((found.pk, key, None, respondents[key], sizes.get(key, 0), 0, None, {}))
        for question in closed:
            n, total, counts, net = sums.get((key, question.pk), (0, 0, {}, 0))
            if key not in split[question.pk]:
                counts = {}  # how its answers split is not shown for this group
            enps = question.kind == QuestionKind.ENPS
            rows.append(
                (found.pk, key, question.pk, n, None, total, net if enps else None, dict(counts))
            )
    return rows


def _splits_shown(
    found: Round, questions: list[Question], opened: list[dict[str, Any]]
) -> dict[int, set[str]]:
    """For each closed question, the released groups whose split of its answers may be shown
    (`surveys.disclosure.release_answers`, with the round's k): a scale's or eNPS's count of
    each value tells as much of a person as a single choice's count of each option."""
    if not questions:
        return {}
    shown = set(found.released)
    members: dict[str, set[int]] = defaultdict(set)
    for index, response in enumerate(opened):
        for key in response["groups"]:
            if key in shown:
                members[key].add(index)
    groups = [Candidate(key, frozenset(members[key])) for key in found.released]
    split = {}
    for question in questions:
        answer_key = str(question.pk)
        answers = {
            index: value
            for index, response in enumerate(opened)
            if (value := response["answers"].get(answer_key)) is not None
        }
        kept = release_answers(groups, answers, found.k)
        split[question.pk] = {str(group.key) for group in kept}
    return split


def settle(found: Round, opened: list[dict[str, Any]]) -> tuple[list[Response], list[Comment]]:
    """What a round's opened responses become when it closes: the figures of the groups
    released (written here), and the responses and comments to store, shuffled, each with
    only its released groups (returned, for the caller to write). Sets the round's release."""
    questions = list(found.questions.all())
    candidates = _candidates(opened)  # the same for the figures and the comments
    released = _released(candidates, found.k)
    for_comments = _released(candidates, found.k_comments)
    found.released = released
    # Through the cursor, not as model instances for `bulk_create`: at 10,000 people, a
    # round's tens of thousands of figures cost more to build and prepare than to write.
    writing.insert(Figure, FIGURE_FIELDS, _figures(found, questions, opened, released, found.sizes))
    text_questions = {str(q.pk): q for q in questions if q.kind == QuestionKind.TEXT}
    # A single choice's split is shown only where `disclosure.release_answers` lets it; a
    # stored response would give it to whoever reads the database, so it keeps none.
    choice_questions = [str(q.pk) for q in questions if q.kind == QuestionKind.CHOICE]
    responses, comments = [], []
    shown, shown_comments = set(released), set(for_comments)
    for response in opened:
        answers = dict(response["answers"])
        for question_id in text_questions:
            text = answers.pop(question_id, None)
            if text and shown_comments & set(response["groups"]):
                comments.append(
                    Comment(
                        round=found,
                        question=text_questions[question_id],
                        groups=[k for k in response["groups"] if k in shown_comments],
                        text=text,
                    )
                )
        for question_id in choice_questions:
            answers.pop(question_id, None)
        responses.append(
            Response(
                round=found,
                groups=[k for k in response["groups"] if k in shown],
                answers=answers,
            )
        )
    rng = secrets.SystemRandom()
    rng.shuffle(responses)
    rng.shuffle(comments)
    found.status = RoundStatus.CLOSED
    found.respondents = len(opened)
    found.released = released
    found.released_comments = for_comments
    found.closed_at = timezone.now()
    return responses, comments


def close_round(found: Round) -> None:
    """Closes the round (see the module's docstring); a round closed already is left as it is."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=found.pk)
        if locked.status != RoundStatus.OPEN:
            return
        sealed = list(SealedResponse.objects.filter(round=locked))
        opened = [SEALER.unseal(locked.pk, row.id, row.sealed) for row in sealed]
        responses, comments = settle(locked, opened)
        Response.objects.bulk_create(responses, batch_size=BATCH)
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        SealedResponse.objects.filter(pk__in=[row.pk for row in sealed]).delete()
        locked.save(
            update_fields=["status", "respondents", "released", "released_comments", "closed_at"]
        )
        events.emit(events.SURVEY_ROUND_CLOSED, locked.pk)
    found.refresh_from_db()


def due_to_close(on: date | None = None) -> list[Round]:
    on = on or _today()
    return list(Round.objects.filter(Q(status=RoundStatus.OPEN), closes_on__lt=on))
