"""360 answers cannot be linked to their reviewers by anyone reading the database, on SQLite
and PostgreSQL: not by a column, nor a hidden column (PostgreSQL's `xmin`, SQLite's `rowid`),
nor the order of the rows, nor a time. While the reviews are open a submission is sealed with
a key that is not in the database; the readable answers appear, shuffled across all
reviewers, in the transaction that closes the reviews (`feedback.reviewing`).

Each reviewer here writes a comment naming them on every question, so that the test (and
only the test) knows whose each answer is."""

import importlib
import json

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import override_settings
from django.urls import reverse

from accounts.models import ApiToken
from feedback import reviewing
from feedback.cycles import CycleError, advance
from feedback.models import (
    CycleStatus,
    RaterGroup,
    ReviewAnswer,
    ReviewInvitation,
    SealedSubmission,
)
from feedback.tests.factories import add_participant, invite, make_cycle
from people.tests.factories import add_people

QUESTIONS = (
    ("Communicates clearly", "rating"),
    ("Follows through", "rating"),
    ("Listens", "rating"),
    ("What should they keep doing?", "open"),
)
PEERS = 7  # per participant, besides self, manager and direct reports


def tag(number: int) -> str:
    return f"written by reviewer #{number:03d}#"


def number_of(comment: str) -> int:
    return int(comment.split("#")[1])


def submit_by_api(client, invitation, questions, number):
    """The reviewer's answers through the API: a rating and a comment naming them on each."""
    _token, raw = ApiToken.issue(invitation.reviewer, "script")
    body = {
        "answers": [
            {
                "question_id": q.pk,
                "rating": None if q.kind == "open" else 1 + (number + q.position) % 5,
                "comment": tag(number),
            }
            for q in questions
        ]
    }
    response = client.post(
        f"/api/v1/reviews/invitations/{invitation.pk}/answers",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def reviewed(cast, client):
    """A cycle in review with Alice and Bob reviewed by themselves, their managers, seven peers
    each and Bob's direct reports, every reviewer answering in turn, each in a transaction of
    their own (as on the server). Returns the cycle, the invitations in the order they were
    answered, and the xmins (PostgreSQL) of the invitations and sealed rows then."""
    cycle = make_cycle(questions=QUESTIONS)
    questions = list(cycle.questions.order_by("position"))
    alice = add_participant(cycle, cast.alice)
    bob = add_participant(cycle, cast.bob)
    invitations = [
        invite(alice, cast.alice, RaterGroup.SELF),
        invite(alice, cast.bob, RaterGroup.MANAGER),
        invite(bob, cast.bob, RaterGroup.SELF),
        invite(bob, cast.carol, RaterGroup.MANAGER),
        invite(bob, cast.alice, RaterGroup.REPORT),
    ]
    for participant, prefix in ((alice, "apeer"), (bob, "bpeer")):
        for person in add_people(PEERS, team=cast.platform, prefix=prefix):
            invitations.append(invite(participant, person, RaterGroup.PEER))
    for person in add_people(3, team=cast.platform, manager=cast.bob, prefix="breport"):
        invitations.append(invite(bob, person, RaterGroup.REPORT))
    invitations = [
        ReviewInvitation.objects.select_related("reviewer").get(pk=i.pk) for i in invitations
    ]
    for number, invitation in enumerate(invitations):
        submit_by_api(client, invitation, questions, number)
    return cycle, invitations, questions


def close_by_hr(login, cast, cycle):
    response = login(cast.erin).post(
        reverse("feedback:cycle_advance", args=[cycle.pk]), {"to": "closed", "confirm": "yes"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED


def xmins(model) -> list[str]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def answers_in_storage_order() -> list[str]:
    """The answers' comments in the order the database keeps the rows (rowid, ctid)."""
    hidden = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = connection.ops.quote_name(ReviewAnswer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT comment FROM {table} ORDER BY {hidden}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


# --- No column ------------------------------------------------------------------------------------


def test_no_column_of_any_feedback_table_leads_from_an_answer_to_a_person():
    fields = {f.name: f for f in ReviewAnswer._meta.concrete_fields}
    assert set(fields) == {"id", "participant", "question", "group", "rating", "comment"}
    assert isinstance(ReviewAnswer._meta.pk, models.UUIDField)
    assert not [f for f in fields.values() if isinstance(f, models.DateField | models.TimeField)]
    # Nothing else points at an answer, and no sealed submission names a person in clear.
    for model in apps.get_app_config("feedback").get_models():
        for field in model._meta.concrete_fields:
            assert not (field.is_relation and field.related_model is ReviewAnswer), field
    sealed = {f.name for f in SealedSubmission._meta.concrete_fields}
    assert sealed == {"id", "cycle", "sealed"}
    for field in SealedSubmission._meta.concrete_fields:
        assert not isinstance(field, models.DateField | models.TimeField), field
    # The invitation's flag has no time (its last reminder is a day before it was answered).
    for field in ReviewInvitation._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField), field


# --- Sealed while the reviews are open ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_while_reviews_are_open_answers_exist_only_sealed_and_unreadable(reviewed):
    cycle, invitations, _questions = reviewed
    assert not ReviewAnswer.objects.exists()
    sealed = list(SealedSubmission.objects.values_list("id", "cycle_id", "sealed"))
    assert len(sealed) == len(invitations)
    assert {cycle_id for _id, cycle_id, _value in sealed} == {cycle.pk}
    # Nothing readable: no comment, no rater group, no participant's id in any sealed value.
    for _id, _cycle, value in sealed:
        value = bytes(value)
        for text in ("written by reviewer", '"group"', '"peer"', '"participant"', '"answers"'):
            assert text.encode() not in value
    # Short submissions are padded to one size: the length tells nothing.
    assert len({len(bytes(value)) for _id, _cycle, value in sealed}) == 1
    # The key is not in the database: with another SECRET_KEY nothing opens.
    row_id, cycle_id, value = sealed[0]
    other_key = override_settings(SECRET_KEY="another key altogether", SECRET_KEY_FALLBACKS=[])
    with other_key, pytest.raises(reviewing.SealError):
        reviewing.unseal(cycle_id, row_id, value)
    content = reviewing.unseal(cycle_id, row_id, value)
    assert set(content) == {"participant", "group", "answers"}
    # Moved to another row, a sealed value does not open either.
    with pytest.raises(reviewing.SealError):
        reviewing.unseal(cycle_id, sealed[1][0], value)


# --- Shuffled when the reviews close --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_after_the_close_the_order_of_the_rows_does_not_follow_the_reviewers(reviewed, login, cast):
    cycle, invitations, questions = reviewed
    close_by_hr(login, cast, cycle)
    assert not SealedSubmission.objects.exists()
    comments = answers_in_storage_order()
    assert len(comments) == len(invitations) * len(questions)
    order = [number_of(c) for c in comments]
    # Not in the order they were submitted (on main: exactly that order).
    assert order != sorted(order)
    # One reviewer's answers do not sit side by side: with 4 answers each among 108 rows in
    # a random order, a reviewer's answers are all adjacent with a chance of about 1 in 50,000.
    positions: dict[int, list[int]] = {}
    for position, number in enumerate(order):
        positions.setdefault(number, []).append(position)
    together = [n for n, p in positions.items() if p[-1] - p[0] == len(p) - 1]
    assert len(together) <= 2, together
    # And the random ids do not sort by reviewer either.
    by_id = [
        number_of(c) for c in ReviewAnswer.objects.order_by("id").values_list("comment", flat=True)
    ]
    assert by_id != sorted(by_id)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_no_answer_shares_a_transaction_id_with_a_reviewer(reviewed, login, cast):
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    cycle, invitations, _questions = reviewed
    invitation_xmins = set(xmins(ReviewInvitation))
    sealed_xmins = set(xmins(SealedSubmission))
    # Each submission was a transaction of its own: the flag and the sealed row share it
    # (harmless: the sealed row is unreadable), and the reviewers' transactions differ.
    assert sealed_xmins <= invitation_xmins
    assert len(sealed_xmins) == len(invitations)
    close_by_hr(login, cast, cycle)
    answer_xmins = set(xmins(ReviewAnswer))
    # Every answer was written by the close, one transaction for all: xmin orders nothing.
    assert len(answer_xmins) == 1
    assert not answer_xmins & (invitation_xmins | sealed_xmins)
    assert not answer_xmins & set(xmins(ReviewInvitation))
    # VACUUM FREEZE keeps xmin readable; nothing to join afterwards either.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM feedback_reviewanswer a JOIN feedback_reviewinvitation i "
            "ON a.xmin = i.xmin"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_submission_after_the_close_is_refused(reviewed, login, cast, client):
    cycle, _invitations, questions = reviewed
    late = invite(cycle.participants.get(person=cast.alice), cast.dave, RaterGroup.PEER)
    close_by_hr(login, cast, cycle)
    before = ReviewAnswer.objects.count()
    with pytest.raises(reviewing.NotOpen):
        reviewing.submit_answers(
            ReviewInvitation.objects.select_related("participant").get(pk=late.pk),
            [(questions[0], 3, "")],
        )
    assert ReviewAnswer.objects.count() == before and not SealedSubmission.objects.exists()


# --- Keys -------------------------------------------------------------------------------------


def test_answers_sealed_before_a_key_change_open_with_the_old_key_as_fallback(cast):
    cycle = make_cycle(questions=QUESTIONS)
    question = cycle.questions.first()
    participant = add_participant(cycle, cast.alice)
    peers = add_people(3, team=cast.platform, prefix="keypeer")
    with override_settings(SECRET_KEY="the old key", SECRET_KEY_FALLBACKS=[]):
        for number, peer in enumerate(peers):
            invitation = invite(participant, peer)
            reviewing.submit_answers(invitation, [(question, 4, tag(number))])
    # The key was lost: closing is refused and nothing is lost.
    new_key = override_settings(SECRET_KEY="a new key", SECRET_KEY_FALLBACKS=[])
    with new_key, pytest.raises(CycleError, match="SECRET_KEY_FALLBACKS"):
        advance(cycle, CycleStatus.CLOSED)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEWING
    assert SealedSubmission.objects.count() == 3 and not ReviewAnswer.objects.exists()
    # With the old key as a fallback, the close opens them.
    with override_settings(SECRET_KEY="a new key", SECRET_KEY_FALLBACKS=["the old key"]):
        assert advance(cycle, CycleStatus.CLOSED)
    assert sorted(ReviewAnswer.objects.values_list("comment", flat=True)) == [
        tag(0),
        tag(1),
        tag(2),
    ]


# --- Answers stored before sealing --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_existing_answers_shuffled_with_new_ids(cast):
    migration = importlib.import_module("feedback.migrations.0004_shuffle_existing_answers")
    cycle = make_cycle(status="closed", questions=QUESTIONS)
    questions = list(cycle.questions.order_by("position"))
    participant = add_participant(cycle, cast.alice)
    # As main stored them: one reviewer's answers together, in the order they were sent.
    for number in range(20):
        ReviewAnswer.objects.bulk_create(
            ReviewAnswer(participant=participant, question=q, group="peer", comment=tag(number))
            for q in questions
        )
    before = set(ReviewAnswer.objects.values_list("id", flat=True))
    old_xmins = set(xmins(ReviewAnswer)) if connection.vendor == "postgresql" else set()
    migration.shuffle_answers(apps, None)
    after = ReviewAnswer.objects.values_list("id", "comment")
    assert len(after) == 80 and not before & {pk for pk, _c in after}
    order = [number_of(c) for c in answers_in_storage_order()]
    assert order != sorted(order)
    if connection.vendor == "postgresql":
        assert len(set(xmins(ReviewAnswer))) == 1
        assert not set(xmins(ReviewAnswer)) & old_xmins


def test_nothing_of_a_person_is_kept_in_clear_beside_the_sealed_answers(cast):
    cycle = make_cycle(questions=QUESTIONS)
    question = cycle.questions.first()
    invitation = invite(add_participant(cycle, cast.alice), cast.dave)
    reviewing.submit_answers(invitation, [(question, 2, "Dave's very own words")])
    row = SealedSubmission.objects.get()
    assert row.cycle_id == cycle.pk
    # (Strings long enough not to turn up by chance among 4 KiB of random bytes.)
    for clear in (b"Dave's", b"very own words", b'"participant"'):
        assert clear not in bytes(row.sealed)


# --- Groups too small to hide in ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_no_answer_is_stored_under_a_group_of_fewer_than_k_reviewers(cast, client, login):
    """The answered flags say who answered in which group: an answer stored as "the peers'"
    when one peer answered is that peer's. Every stored anonymous group stands for at least
    k reviewers: small groups are stored together as "others" when together they reach k,
    otherwise not at all (the report could never show them)."""
    cycle = make_cycle(questions=QUESTIONS)
    questions = list(cycle.questions.order_by("position"))
    alice = add_participant(cycle, cast.alice)  # one peer answers (two do not)
    bob = add_participant(cycle, cast.bob)  # two peers and two reports answer
    dave = add_participant(cycle, cast.dave)  # four peers and one report answer
    answering = [invite(alice, cast.alice, RaterGroup.SELF)]
    lone_peer, *silent = add_people(3, team=cast.platform, prefix="apeer")
    answering.append(invite(alice, lone_peer))
    for person in silent:
        invite(alice, person)
    answering += [invite(bob, p) for p in add_people(2, team=cast.platform, prefix="bpeer")]
    answering += [
        invite(bob, p, RaterGroup.REPORT)
        for p in add_people(2, team=cast.platform, manager=cast.bob, prefix="brep")
    ]
    answering += [invite(dave, p) for p in add_people(4, team=cast.sales, prefix="dpeer")]
    lone_report = add_people(1, team=cast.sales, manager=cast.dave, prefix="drep")[0]
    answering.append(invite(dave, lone_report, RaterGroup.REPORT))
    by_number = {}
    for number, invitation in enumerate(answering):
        invitation = ReviewInvitation.objects.select_related("reviewer").get(pk=invitation.pk)
        submit_by_api(client, invitation, questions, number)
        by_number[number] = invitation
    close_by_hr(login, cast, cycle)

    stored = {
        (participant, group): {number_of(c) for c in comments}
        for participant, group, comments in _grouped(ReviewAnswer.objects.all())
    }
    # Whoever reads the table and the flags can tell an answer's reviewer among no fewer
    # than k people, whichever anonymous group it is stored under.
    k = cycle.anonymity_threshold
    for (participant, group), numbers in stored.items():
        if group in (RaterGroup.SELF, RaterGroup.MANAGER):
            continue
        groups = [RaterGroup.PEER, RaterGroup.REPORT] if group == "others" else [group]
        answered = ReviewInvitation.objects.filter(
            participant=participant, group__in=groups, answered=True
        ).count()
        assert answered >= k and len(numbers) >= k, (participant, group, numbers)
    assert set(stored) == {
        (alice.pk, RaterGroup.SELF),
        (bob.pk, "others"),
        (dave.pk, RaterGroup.PEER),
    }
    # The lone peer's and the lone report's words are nowhere.
    lone = {n for n, i in by_number.items() if i.reviewer_id in (lone_peer.pk, lone_report.pk)}
    assert not lone & set().union(*stored.values())

    # Bob's report shows his peers and reports together, from four people.
    from feedback.report import build_report

    report = build_report(bob)
    first = report.sections[0].questions[0]
    assert next((row.label, row.count) for row in first.rows) == (
        "Others (peers and direct reports combined)",
        4,
    )


def _grouped(answers):
    groups: dict[tuple[int, str], list[str]] = {}
    for participant, group, comment in answers.values_list("participant_id", "group", "comment"):
        groups.setdefault((participant, group), []).append(comment)
    return [(p, g, comments) for (p, g), comments in groups.items()]


def test_the_migration_stores_existing_small_groups_together_or_not_at_all(cast):
    migration = importlib.import_module(
        "feedback.migrations.0010_answers_of_small_groups_stored_together"
    )
    cycle = make_cycle(status="closed", questions=QUESTIONS)
    question = cycle.questions.first()
    people = add_people(10, team=cast.platform, prefix="old")
    alice, bob, dave = (add_participant(cycle, p) for p in (cast.alice, cast.bob, cast.dave))
    plan = {  # participant: {group: reviewers who answered}
        alice: {RaterGroup.PEER: 1},
        bob: {RaterGroup.PEER: 2, RaterGroup.REPORT: 1},
        dave: {RaterGroup.PEER: 3, RaterGroup.REPORT: 2},
    }
    for participant, groups in plan.items():
        reviewers = iter(people)
        for group, count in groups.items():
            for person in [next(reviewers) for _ in range(count)]:
                invite(participant, person, group, answered=True)
                ReviewAnswer.objects.create(
                    participant=participant, question=question, group=group, rating=3
                )
    migration.store_small_groups_together(apps, None)
    stored = set(ReviewAnswer.objects.values_list("participant_id", "group").distinct())
    assert stored == {(bob.pk, "others"), (dave.pk, RaterGroup.PEER)}
    assert ReviewAnswer.objects.filter(participant=bob).count() == 3
