"""Answering a 360 invitation: only its reviewer, only while the reviews are open, once; the
anonymity promise in words; answers stored with nothing that leads back to the reviewer."""

import uuid

import pytest
from django.db import models
from django.urls import reverse

from feedback import reviewing
from feedback.models import ReviewAnswer, ReviewInvitation, SealedSubmission
from feedback.tests.factories import add_participant, close, invite, make_cycle
from people.models import Person
from people.tests.factories import add_people


@pytest.fixture
def review(cast):
    cycle = make_cycle(
        questions=(
            ("Communicates clearly", "rating"),
            ("Follows through", "rating"),
            ("What should they keep doing?", "open"),
        ),
        anonymity_threshold=4,
    )
    participant = add_participant(cycle, cast.alice)
    return participant, list(cycle.questions.all())


def other_peers_answer(participant, questions, cast):
    """Three more peers rate the first question 2, so that the peers are k = 4 and their
    answers are stored as the peers' (a smaller group would not be: `stored_groups`)."""
    for person in add_people(3, team=cast.platform, prefix="otherpeer"):
        reviewing.submit_answers(invite(participant, person, "peer"), [(questions[0], 2, "")])


def theirs(answers):
    return answers.exclude(rating=2)  # not the other peers'


def url(invitation):
    return reverse("feedback:answer", args=[invitation.pk])


def answers_for(questions, rating="4", second="none", text="Keeps the team calm."):
    return {
        "action": "answer",
        f"q{questions[0].pk}": rating,
        f"q{questions[1].pk}": second,
        f"q{questions[2].pk}": text,
    }


def test_a_peer_sees_whom_they_review_and_the_anonymity_promise(login, cast, review):
    participant, _questions = review
    invitation = invite(participant, cast.dave, "peer")
    page = login(cast.dave).get(url(invitation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Review of Alice Employee" in html
    assert "as a peer" in html
    assert "Your answers are anonymous" in html
    assert "at least 3 other people" in html  # k = 4: you and three others
    assert "Cadence does not store who wrote them" in html
    assert html.count('type="radio"') == 2 * 6  # 1–5 and "can't say" for each rating
    assert "<textarea" in html


@pytest.mark.parametrize(
    ("group", "reviewer", "words"),
    [("self", "alice", "role (self)"), ("manager", "bob", "role (manager)")],
)
def test_named_groups_are_told_they_are_named(login, cast, review, group, reviewer, words):
    participant, _ = review
    invitation = invite(participant, getattr(cast, reviewer), group)
    html = login(getattr(cast, reviewer)).get(url(invitation)).content.decode()
    assert words in html
    assert "Your answers are anonymous" not in html


def test_answering_stores_answers_without_the_reviewer(login, cast, review):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    client = login(cast.dave)
    response = client.post(url(invitation), answers_for(questions))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answered
    # Sealed until the reviews close; readable then.
    assert not ReviewAnswer.objects.exists()
    assert SealedSubmission.objects.count() == 1
    other_peers_answer(participant, questions, cast)
    close(participant.cycle)
    assert not SealedSubmission.objects.exists()
    stored = {
        (a.question_id, a.group, a.rating, a.comment) for a in theirs(ReviewAnswer.objects.all())
    }
    assert stored == {
        (questions[0].pk, "peer", 4, ""),
        (questions[2].pk, "peer", None, "Keeps the team calm."),
    }
    # Nothing in the answers table leads back to the reviewer: no link to a person, no time,
    # a random id that says nothing about order.
    fields = ReviewAnswer._meta.get_fields()
    people = [f for f in fields if f.is_relation and f.related_model is Person and f.concrete]
    assert people == []
    assert not [
        f
        for f in fields
        if isinstance(f, (models.DateTimeField, models.DateField, models.TimeField))
    ]
    assert isinstance(ReviewAnswer._meta.pk, models.UUIDField)
    assert {f.name for f in ReviewAnswer._meta.concrete_fields} == {
        "id",
        "participant",
        "question",
        "group",
        "rating",
        "comment",
    }
    assert all(isinstance(answer.pk, uuid.UUID) for answer in ReviewAnswer.objects.all())
    # And the invitation holds no time either.
    assert not [
        f for f in ReviewInvitation._meta.get_fields() if isinstance(f, models.DateTimeField)
    ]


def test_after_answering_a_thank_you_and_no_second_answer(login, cast, review):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    client = login(cast.dave)
    client.post(url(invitation), answers_for(questions))
    page = client.get(url(invitation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thank you, answered" in html
    assert "<textarea" not in html and "Keeps the team calm" not in html
    response = client.post(url(invitation), answers_for(questions, rating="1"))
    assert response.status_code == 302
    assert SealedSubmission.objects.count() == 1
    other_peers_answer(participant, questions, cast)
    close(participant.cycle)
    assert theirs(ReviewAnswer.objects.all()).count() == 2
    assert not ReviewAnswer.objects.filter(rating=1).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"rating": "", "second": "", "text": ""},
        {"rating": "none", "second": "none", "text": "   "},
        {"rating": "9"},
        {"rating": "0"},
        {"rating": "4", "text": "x" * 3001},
        {"rating": "4", "text": "null \x00 char"},
    ],
)
def test_bad_answers_re_render_with_errors(login, cast, review, data):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    response = login(cast.dave).post(url(invitation), answers_for(questions, **data))
    assert response.status_code == 400
    assert not ReviewAnswer.objects.exists() and not SealedSubmission.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_a_rating_without_open_answers_is_enough(login, cast, review):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    response = login(cast.dave).post(url(invitation), answers_for(questions, text=""))
    assert response.status_code == 302
    other_peers_answer(participant, questions, cast)
    close(participant.cycle)
    assert theirs(ReviewAnswer.objects.all()).get().rating == 4


def test_only_the_reviewer_may_open_an_invitation(login, cast, review):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    for person in (cast.alice, cast.bob, cast.carol, cast.erin, cast.frank):
        client = login(person)
        assert client.get(url(invitation)).status_code == 404
        assert client.post(url(invitation), answers_for(questions)).status_code == 404
    assert not SealedSubmission.objects.exists()
    huge = reverse("feedback:answer", args=[10**30])
    assert login(cast.dave).get(huge).status_code == 404


@pytest.mark.parametrize("status", ["nominating", "closed"])
def test_answers_are_taken_only_while_the_reviews_are_open(login, cast, review, status):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    participant.cycle.status = status
    participant.cycle.save()
    client = login(cast.dave)
    page = client.get(url(invitation))
    assert page.status_code == 200
    assert "This review is closed" in page.content.decode()
    assert client.post(url(invitation), answers_for(questions)).status_code == 302
    assert not ReviewAnswer.objects.exists() and not SealedSubmission.objects.exists()


def test_a_reviewer_may_decline(login, cast, review):
    participant, questions = review
    invitation = invite(participant, cast.dave, "peer")
    client = login(cast.dave)
    html = client.get(url(invitation)).content.decode()
    assert "Yes, decline" in html
    response = client.post(url(invitation), {"action": "decline"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined and not invitation.answered
    assert "You declined this review" in client.get(url(invitation)).content.decode()
    client.post(url(invitation), answers_for(questions))
    assert not SealedSubmission.objects.exists()
    assert client.post(url(invitation), {"action": "what"}).status_code == 302


def test_an_unknown_action_is_a_bad_request(login, cast, review):
    participant, _ = review
    invitation = invite(participant, cast.dave, "peer")
    assert login(cast.dave).post(url(invitation), {"action": "what"}).status_code == 400


def test_the_self_review_stores_the_self_group(login, cast, review):
    participant, questions = review
    invitation = invite(participant, cast.alice, "self")
    login(cast.alice).post(url(invitation), answers_for(questions))
    close(participant.cycle)
    assert set(ReviewAnswer.objects.values_list("group", flat=True)) == {"self"}


def test_the_progress_page_does_not_say_which_peer_answered(login, cast, review):
    participant, questions = review
    witnesses = [
        Person.objects.create_user(f"w{i}@example.com", "x", name=f"Quietwitness {i}")
        for i in range(3)
    ]
    invitations = [invite(participant, w, "peer") for w in witnesses]
    invite(participant, cast.bob, "manager")
    login(witnesses[1]).post(url(invitations[1]), answers_for(questions))
    html = login(cast.erin).get(participant.cycle.get_absolute_url()).content.decode()
    assert "Quietwitness" not in html and "@example.com" not in html.replace("erin@example.com", "")
    assert "1 of 3" in html
