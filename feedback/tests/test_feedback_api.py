"""The feedback API: private feedback reaches nobody but giver, receiver and the manager it was
shared with; giving follows the page's rules; requests are asked, answered and declined as on
the pages; a reviewer submits 360 answers once, stored without any link to them; bad input
answers 4xx (never 500); the lists do a fixed number of queries."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from cadence.tests.paging import every_page
from feedback.models import (
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    Kind,
    RaterGroup,
    ReviewAnswer,
    ReviewInvitation,
    SealedSubmission,
    Visibility,
)
from feedback.tests.factories import (
    add_participant,
    close,
    give,
    invite,
    make_cycle,
    make_request,
)
from goals.tests.factories import make_goal
from people.tests.factories import add_people

API = "/api/v1"
EVERYONE = ("alice", "bob", "carol", "dave", "erin", "frank")


def bearer(person):
    _token, raw = ApiToken.issue(person, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class Caller:
    """A client that calls the API as someone, with their personal token."""

    def __init__(self, client, person):
        self.client, self.headers = client, bearer(person)

    def get(self, url, params=None):
        return self.client.get(url, params or {}, **self.headers)

    def post(self, url, body=None):
        data = "" if body is None else json.dumps(body)
        return self.client.post(url, data, content_type="application/json", **self.headers)


@pytest.fixture
def as_(client, cast):
    callers = {}

    def caller(name):
        if name not in callers:
            callers[name] = Caller(client, getattr(cast, name))
        return callers[name]

    return caller


def error_fields(response) -> set[str]:
    assert response.status_code == 422, (response.status_code, response.content)
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


def in_days(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# --- Who sees which feedback ----------------------------------------------------------------


@pytest.fixture
def table(cast):
    """Feedback of every kind between the cast, and who may read each (by text)."""
    alice, bob, carol, dave = cast.alice, cast.bob, cast.carol, cast.dave
    now = timezone.now()
    rows = [
        # (text, giver, receiver, kind, visibility, shared with manager, readers)
        ("PRIVATE-PRAISE", dave, alice, Kind.PRAISE, Visibility.PRIVATE, False, {"alice", "dave"}),
        (
            "CONSTRUCTIVE",
            carol,
            alice,
            Kind.CONSTRUCTIVE,
            Visibility.PRIVATE,
            False,
            {"alice", "carol"},
        ),
        (
            "SHARED",
            dave,
            alice,
            Kind.CONSTRUCTIVE,
            Visibility.PRIVATE,
            True,
            {"alice", "dave", "bob"},
        ),
        ("TO-MANAGER", alice, bob, Kind.CONSTRUCTIVE, Visibility.PRIVATE, False, {"alice", "bob"}),
        ("TEAM-PRAISE", dave, alice, Kind.PRAISE, Visibility.TEAM, False, {"alice", "dave", "bob"}),
        ("WALL", alice, dave, Kind.PRAISE, Visibility.ORGANISATION, False, set(EVERYONE)),
    ]
    for text, giver, receiver, kind, visibility, shared, _readers in rows:
        give(
            giver,
            receiver,
            text=text,
            kind=kind,
            visibility=visibility,
            shared_with_manager_at=now if shared else None,
            shared_with=receiver.manager if shared else None,
        )
    return {text: readers for text, *_rest, readers in rows}


PARTIES = {
    "PRIVATE-PRAISE": {"alice", "dave"},
    "CONSTRUCTIVE": {"alice", "carol"},
    "SHARED": {"alice", "dave", "bob"},  # bob: shared with him as Alice's manager
    "TO-MANAGER": {"alice", "bob"},
    "TEAM-PRAISE": {"alice", "dave"},
    "WALL": {"alice", "dave"},
}


@pytest.mark.parametrize("who", EVERYONE)
def test_each_person_reads_exactly_the_feedback_the_policy_allows(as_, table, who):
    caller = as_(who)
    listed = caller.get(f"{API}/feedback")
    assert listed.status_code == 200
    texts = {item["text"] for item in listed.json()["items"]}
    # The list is your own feedback (given, received, shared with you as manager); what is on
    # a wall is read there, and one by one here.
    expected = {text for text, readers in table.items() if who in readers and who in PARTIES[text]}
    assert texts == expected
    for feedback in Feedback.objects.all():
        response = caller.get(f"{API}/feedback/{feedback.pk}")
        if who in table[feedback.text]:
            assert response.status_code == 200
            assert response.json()["text"] == feedback.text
        else:
            assert response.status_code == 404
            assert feedback.text.encode() not in response.content


def test_only_the_receiver_learns_whether_it_was_shared(as_, cast, table):
    shared = Feedback.objects.get(text="SHARED")
    assert as_("alice").get(f"{API}/feedback/{shared.pk}").json()["shared_with_manager"] is True
    assert as_("bob").get(f"{API}/feedback/{shared.pk}").json()["shared_with_manager"] is None
    assert as_("dave").get(f"{API}/feedback/{shared.pk}").json()["shared_with_manager"] is None


def test_the_filters(as_, cast, table):
    def texts(**params):
        response = as_("alice").get(f"{API}/feedback", params)
        assert response.status_code == 200, response.content
        return {item["text"] for item in response.json()["items"]}

    assert texts(direction="given") == {"TO-MANAGER", "WALL"}
    assert texts(direction="received") == {
        "PRIVATE-PRAISE",
        "CONSTRUCTIVE",
        "SHARED",
        "TEAM-PRAISE",
    }
    assert texts(direction="received", kind="praise") == {"PRIVATE-PRAISE", "TEAM-PRAISE"}
    assert as_("alice").get(f"{API}/feedback", {"kind": "bogus"}).status_code == 422
    assert as_("alice").get(f"{API}/feedback", {"direction": "up"}).status_code == 422
    assert as_("alice").get(f"{API}/feedback/{2**63}").status_code == 404
    assert as_("alice").get(f"{API}/feedback/0").status_code == 404


def test_a_goal_is_shown_only_to_those_who_may_see_it(as_, cast):
    goal = make_goal(cast.alice, title="SECRET-GOAL", visibility="private")
    feedback = give(
        cast.dave, cast.alice, kind=Kind.PRAISE, visibility=Visibility.ORGANISATION, goal=goal
    )
    assert as_("alice").get(f"{API}/feedback/{feedback.pk}").json()["goal"]["id"] == goal.pk
    assert as_("carol").get(f"{API}/feedback/{feedback.pk}").json()["goal"] is None
    assert b"SECRET-GOAL" not in as_("dave").get(f"{API}/feedback").content


def fill_feedback(cast, count):
    people = add_people(3, prefix=f"giver{count}")
    goal = make_goal(cast.alice)
    for number in range(count):
        give(people[number % 3], cast.alice, text=f"Thanks {number}", goal=goal)
        give(cast.alice, people[number % 3], text=f"Given {number}")


def test_the_feedback_list_does_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    headers = bearer(cast.alice)
    fill_feedback(cast, 2)
    client.get(f"{API}/feedback", **headers)  # warm up: the token's last use
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/feedback", **headers).status_code == 200
    fill_feedback(cast, 20)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/feedback", {"limit": 40}, **headers).json()
    assert len(body["items"]) == 40
    with django_assert_num_queries(len(few.captured_queries)):  # a page further: the same
        body = client.get(f"{API}/feedback", {"cursor": body["next_cursor"]}, **headers).json()
    assert len(body["items"]) == 4
    # The token, the viewer's HR role and team (for the goals' visibility), the page: no count.
    assert len(few.captured_queries) <= 4


# --- Giving feedback --------------------------------------------------------------------------


def test_giving_feedback(as_, cast):
    goal = make_goal(cast.dave, title="Close the quarter")
    response = as_("alice").post(
        f"{API}/feedback",
        {
            "receiver_id": cast.dave.pk,
            "kind": "praise",
            "text": "Your demo on Monday answered every question the client had.",
            "visibility": "organisation",
            "goal_id": goal.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receiver"]["id"] == cast.dave.pk
    assert body["goal"] == {"id": goal.pk, "title": "Close the quarter"}
    assert body["visibility"] == "organisation"
    feedback = Feedback.objects.get()
    assert (feedback.giver, feedback.receiver, feedback.goal) == (cast.alice, cast.dave, goal)
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]


def test_constructive_feedback_is_always_private(as_, cast):
    response = as_("alice").post(
        f"{API}/feedback",
        {
            "receiver_id": cast.dave.pk,
            "kind": "constructive",
            "text": "The handover notes missed the open tickets.",
            "visibility": "organisation",
        },
    )
    assert response.status_code == 201
    assert response.json()["visibility"] == "private"
    assert Feedback.objects.get().visibility == Visibility.PRIVATE


def test_bad_feedback_is_refused(as_, cast):
    cast.carol.leave_date = timezone.localdate() - timedelta(days=1)
    cast.carol.save()
    others_goal = make_goal(cast.bob)
    good = {"receiver_id": cast.dave.pk, "text": "Thanks for the review."}
    post = as_("alice").post
    assert error_fields(post(f"{API}/feedback", {**good, "receiver_id": cast.alice.pk})) == {
        "receiver_id"
    }
    assert error_fields(post(f"{API}/feedback", {**good, "receiver_id": cast.carol.pk})) == {
        "receiver_id"
    }
    assert "receiver_id" in error_fields(post(f"{API}/feedback", {**good, "receiver_id": 2**63}))
    assert error_fields(post(f"{API}/feedback", {**good, "goal_id": others_goal.pk})) == {"goal_id"}
    assert error_fields(post(f"{API}/feedback", {**good, "text": "  "})) == {"text"}
    assert error_fields(post(f"{API}/feedback", {**good, "text": "x" * 4001})) == {"text"}
    assert error_fields(post(f"{API}/feedback", {**good, "kind": "rant"})) == {"kind"}
    assert error_fields(post(f"{API}/feedback", {**good, "extra": 1})) == {"extra"}
    assert post(f"{API}/feedback", {**good, "text": "a\x00b"}).status_code in (400, 422)
    assert as_("alice").client.post(
        f"{API}/feedback", "{not json", content_type="application/json", **as_("alice").headers
    ).status_code in (400, 422)
    assert not Feedback.objects.exists()


# --- Feedback requests ------------------------------------------------------------------------


def test_asking_for_feedback(as_, cast):
    goal = make_goal(cast.alice)
    response = as_("alice").post(
        f"{API}/feedback-requests",
        {
            "requestee_ids": [cast.bob.pk, cast.dave.pk, cast.bob.pk],
            "topic": "My presentation today",
            "goal_id": goal.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["topic"] == "My presentation today"
    assert body["goal"]["id"] == goal.pk
    assert body["due_date"] == in_days(7)
    assert {ask["requestee"]["id"] for ask in body["asks"]} == {cast.bob.pk, cast.dave.pk}
    assert {ask["status"] for ask in body["asks"]} == {"pending"}
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.com", "dave@example.com"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"requestee_ids": []}, "requestee_ids"),
        ({"requestee_ids": ["alice"]}, "requestee_ids"),
        ({"topic": " "}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"due_date": "yesterday"}, "due_date"),
        ({"goal_id": 0}, "goal_id"),
    ],
)
def test_bad_requests_are_refused(as_, cast, change, field):
    if change.get("requestee_ids") == ["alice"]:
        change = {"requestee_ids": [cast.alice.pk]}
    if change.get("due_date") == "yesterday":
        change = {"due_date": in_days(-1)}
    body = {"requestee_ids": [cast.bob.pk], "topic": "Demo", **change}
    assert field in error_fields(as_("alice").post(f"{API}/feedback-requests", body))
    assert not FeedbackRequest.objects.exists()


def test_requests_of_leavers_many_people_and_others_goals_are_refused(as_, cast):
    cast.carol.leave_date = timezone.localdate() - timedelta(days=1)
    cast.carol.save()
    post = as_("alice").post
    url = f"{API}/feedback-requests"
    assert error_fields(post(url, {"requestee_ids": [cast.carol.pk], "topic": "x"})) == {
        "requestee_ids"
    }
    many = [p.pk for p in add_people(11, prefix="colleague")]
    assert error_fields(post(url, {"requestee_ids": many, "topic": "x"})) == {"requestee_ids"}
    body = {"requestee_ids": [cast.bob.pk], "topic": "x", "goal_id": make_goal(cast.bob).pk}
    assert error_fields(post(url, body)) == {"goal_id"}
    assert not FeedbackRequest.objects.exists()


def test_the_people_asked_see_their_own_ask_only(as_, cast):
    request = make_request(cast.alice, [cast.bob, cast.dave])
    mine = as_("alice").get(f"{API}/feedback-requests").json()["items"]
    assert len(mine[0]["asks"]) == 2
    theirs = as_("dave").get(f"{API}/feedback-requests").json()["items"]
    assert [ask["requestee"]["id"] for ask in theirs[0]["asks"]] == [cast.dave.pk]
    for who in ("carol", "erin", "frank"):
        assert as_(who).get(f"{API}/feedback-requests").json()["items"] == []
    assert as_("alice").get(f"{API}/feedback-requests", {"role": "requestee"}).json()["items"] == []
    assert (
        len(as_("dave").get(f"{API}/feedback-requests", {"role": "requestee"}).json()["items"]) == 1
    )
    assert request.pk == theirs[0]["id"]


def test_answering_a_request(as_, cast):
    goal = make_goal(cast.alice)
    request = make_request(cast.alice, [cast.bob, cast.dave], goal=goal)
    ask = request.asks.get(requestee=cast.bob)
    url = f"{API}/feedback-asks/{ask.pk}/answer"
    body = {"kind": "constructive", "text": "Slow down on the numbers slide."}
    assert as_("alice").post(url, body).status_code == 403
    assert as_("dave").post(url, body).status_code == 403
    for who in ("carol", "erin", "frank"):
        assert as_(who).post(url, body).status_code == 404
    assert error_fields(as_("bob").post(url, {"kind": "praise", "text": ""})) == {"text"}
    response = as_("bob").post(url, body)
    assert response.status_code == 201, response.content
    assert response.json()["receiver"]["id"] == cast.alice.pk
    feedback = Feedback.objects.get()
    assert (feedback.request, feedback.goal, feedback.visibility) == (request, goal, "private")
    ask.refresh_from_db()
    assert (ask.status, ask.answer) == (AskStatus.ANSWERED, feedback)
    assert as_("bob").post(url, body).status_code == 409
    assert Feedback.objects.count() == 1
    assert as_("bob").post(f"{API}/feedback-asks/{2**63}/answer", body).status_code == 404
    assert as_("bob").post(f"{API}/feedback-asks/999999/answer", body).status_code == 404


def test_declining_a_request(as_, cast):
    request = make_request(cast.alice, [cast.bob])
    ask = request.asks.get()
    url = f"{API}/feedback-asks/{ask.pk}/decline"
    assert as_("alice").post(url, {}).status_code == 403
    assert as_("bob").post(url, {"reason": "x" * 301}).status_code == 422
    response = as_("bob").post(url, {"reason": "I missed it"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert FeedbackAsk.objects.get().declined_reason == "I missed it"
    assert as_("bob").post(url, {}).status_code == 409
    answer = f"{API}/feedback-asks/{ask.pk}/answer"
    assert as_("bob").post(answer, {"text": "late"}).status_code == 409


def fill_requests(cast, count):
    people = add_people(3, prefix=f"asked{count}")
    for number in range(count):
        make_request(cast.alice, people, topic=f"Mine {number}", goal=make_goal(cast.alice))
        make_request(people[number % 3], [cast.alice, cast.bob], topic=f"Theirs {number}")


def test_the_request_list_does_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    headers = bearer(cast.alice)
    fill_requests(cast, 2)
    client.get(f"{API}/feedback-requests", **headers)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/feedback-requests", **headers).status_code == 200
    fill_requests(cast, 20)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/feedback-requests", {"limit": 40}, **headers).json()
    assert len(body["items"]) == 40
    with django_assert_num_queries(len(few.captured_queries)):  # a page further: the same
        params = {"cursor": body["next_cursor"], "limit": 40}
        body = client.get(f"{API}/feedback-requests", params, **headers).json()
    assert len(body["items"]) == 4
    assert [len(page) for page in every_page(client, f"{API}/feedback-requests", **headers)] == [44]
    assert len(few.captured_queries) <= 5  # as the feedback list, and the asks


# --- 360 answers ------------------------------------------------------------------------------


@pytest.fixture
def review(cast):
    """Alice reviews her manager Bob (as a direct report) in an open cycle."""
    cycle = make_cycle()
    participant = add_participant(cycle, cast.bob)
    invitation = invite(participant, cast.alice, group=RaterGroup.REPORT)
    rating, open_question = cycle.questions.order_by("position")
    return invitation, rating, open_question


def test_the_questions_come_as_structure_with_their_kind_competency_and_scale(as_, review):
    """As the question editor writes them (issue 14): no code in the text."""
    _invitation, rating, open_question = review
    labels = ["Rarely", "Sometimes", "Often", "Very often", "Nearly always"]
    rating.competency, rating.scale_labels = "Communication", labels
    rating.save()
    item = as_("alice").get(f"{API}/reviews/invitations").json()["items"][0]
    assert item["questions"] == [
        {
            "id": rating.pk,
            "position": 0,
            "text": "Communicates clearly",
            "kind": "rating",
            "competency": "Communication",
            "competency_name": "Communication",
            "scale_labels": labels,
        },
        {
            "id": open_question.pk,
            "position": 1,
            "text": "What should they keep doing?",
            "kind": "open",
            "competency": "",
            "competency_name": "",
            "scale_labels": [],
        },
    ]


def answers_url(invitation):
    return f"{API}/reviews/invitations/{invitation.pk}/answers"


def two_more_reports_answer(participant, question, cast):
    """Two more of Bob's reports rate `question` 2: with Alice, k = 3 reports, so the close
    keeps their answers as the direct reports' (fewer would not be kept: `stored_groups`)."""
    from feedback import reviewing

    for person in add_people(2, team=cast.platform, manager=cast.bob, prefix="morereport"):
        reviewing.submit_answers(
            invite(participant, person, group=RaterGroup.REPORT), [(question, 2, "")]
        )


def alices(answers):
    return answers.exclude(rating=2)  # not the other reports'


def test_a_reviewer_lists_their_invitations_with_the_questions(as_, cast, review):
    invitation, rating, open_question = review
    items = as_("alice").get(f"{API}/reviews/invitations").json()["items"]
    assert [item["id"] for item in items] == [invitation.pk]
    item = items[0]
    assert item["reviewing"]["id"] == cast.bob.pk
    assert item["group"] == "report" and item["named"] is False
    assert [q["id"] for q in item["questions"]] == [rating.pk, open_question.pk]
    for who in ("bob", "carol", "dave", "erin", "frank"):
        assert as_(who).get(f"{API}/reviews/invitations").json()["items"] == []
    assert (
        len(as_("alice").get(f"{API}/reviews/invitations", {"pending": "true"}).json()["items"])
        == 1
    )
    assert (
        as_("alice").get(f"{API}/reviews/invitations", {"pending": "false"}).json()["items"] == []
    )


def test_submitting_answers_stores_them_without_the_reviewer(as_, cast, review):
    invitation, rating, open_question = review
    body = {
        "answers": [
            {"question_id": rating.pk, "rating": 4, "comment": "Clear priorities."},
            {"question_id": open_question.pk, "comment": "Keep the weekly demos."},
        ]
    }
    for who in ("bob", "carol", "erin", "frank"):
        assert as_(who).post(answers_url(invitation), body).status_code == 404
    response = as_("alice").post(answers_url(invitation), body)
    assert response.status_code == 201, response.content
    assert response.json()["stored"] == 2
    assert response.json()["invitation"]["answered"] is True
    assert b"Clear priorities" not in response.content
    assert not ReviewAnswer.objects.exists()  # sealed until the reviews close
    two_more_reports_answer(invitation.participant, rating, cast)
    close(invitation.participant.cycle)
    answers = alices(ReviewAnswer.objects.order_by("question__position"))
    assert [(a.group, a.rating, a.comment) for a in answers] == [
        ("report", 4, "Clear priorities."),
        ("report", None, "Keep the weekly demos."),
    ]
    assert {a.participant_id for a in answers} == {invitation.participant_id}
    invitation.refresh_from_db()
    assert invitation.answered
    # Nothing in an answer points back to who gave it, or when.
    names = {field.name for field in ReviewAnswer._meta.get_fields()}
    assert names == {"id", "participant", "question", "group", "rating", "comment"}
    again = as_("alice").post(answers_url(invitation), body)
    assert again.status_code == 409
    assert alices(ReviewAnswer.objects.all()).count() == 2
    assert not SealedSubmission.objects.exists()


@pytest.mark.parametrize(
    "answer",
    [
        {"question_id": "OPEN", "rating": 3},  # no rating on an open question
        {"question_id": "RATING", "rating": 6},
        {"question_id": "RATING", "rating": 0},
        {"question_id": "RATING", "comment": "x" * 3001},
        {"question_id": 99999},
        {"question_id": "RATING", "rating": 3, "who": "me"},
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(as_, review, answer):
    invitation, rating, open_question = review
    ids = {"RATING": rating.pk, "OPEN": open_question.pk}
    answer = {**answer, "question_id": ids.get(answer["question_id"], answer["question_id"])}
    response = as_("alice").post(answers_url(invitation), {"answers": [answer]})
    assert response.status_code == 422, response.content
    assert not SealedSubmission.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_a_question_of_another_cycle_or_twice_is_refused(as_, cast, review):
    invitation, rating, _open = review
    other = make_cycle(name="Other").questions.first()
    url = answers_url(invitation)
    assert as_("alice").post(url, {"answers": [{"question_id": other.pk}]}).status_code == 422
    twice = {"answers": [{"question_id": rating.pk, "rating": 3}] * 2}
    assert as_("alice").post(url, twice).status_code == 422
    assert not SealedSubmission.objects.exists()


@pytest.mark.parametrize("status", ["draft", "nominating", "closed"])
def test_answers_only_while_the_reviews_are_open(as_, cast, status):
    cycle = make_cycle(status=status)
    invitation = invite(add_participant(cycle, cast.bob), cast.alice, group=RaterGroup.REPORT)
    question = cycle.questions.first()
    body = {"answers": [{"question_id": question.pk, "rating": 3}]}
    assert as_("alice").post(answers_url(invitation), body).status_code == 403
    assert not ReviewAnswer.objects.exists() and not SealedSubmission.objects.exists()


def test_a_declined_invitation_takes_no_answers(as_, cast, review):
    invitation, rating, _open = review
    ReviewInvitation.objects.filter(pk=invitation.pk).update(declined=True)
    body = {"answers": [{"question_id": rating.pk, "rating": 3}]}
    assert as_("alice").post(answers_url(invitation), body).status_code == 403


def test_bodies_that_are_not_json_or_empty(as_, review):
    invitation, _rating, _open = review
    caller = as_("alice")
    url = answers_url(invitation)
    assert (
        caller.client.post(url, "{", content_type="application/json", **caller.headers).status_code
        == 400
    )
    assert caller.post(url).status_code == 422
    assert caller.post(url, {"answers": "all good"}).status_code == 422


def test_the_invitation_list_does_a_fixed_number_of_queries(
    client, cast, django_assert_num_queries
):
    headers = bearer(cast.alice)

    def fill(count):
        cycle = make_cycle(name=f"Cycle {count}")
        for person in add_people(count, prefix=f"reviewed{count}"):
            invite(add_participant(cycle, person), cast.alice)

    fill(2)
    client.get(f"{API}/reviews/invitations", **headers)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/reviews/invitations", **headers).status_code == 200
    fill(20)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/reviews/invitations", **headers).json()
    assert len(body["items"]) == 22 and body["next_cursor"] is None
    assert len(few.captured_queries) <= 4


# --- The schema ---------------------------------------------------------------------------------


def test_the_schema_lists_the_feedback_endpoints_and_keeps_the_goals_names(client):
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/feedback",
        "/api/v1/feedback/{feedback_id}",
        "/api/v1/feedback-requests",
        "/api/v1/feedback-asks/{ask_id}/answer",
        "/api/v1/feedback-asks/{ask_id}/decline",
        "/api/v1/reviews/invitations",
        "/api/v1/reviews/invitations/{invitation_id}/answers",
    ):
        assert path in paths, path
    schemas = schema["components"]["schemas"]
    assert "on_track" in schemas["Status"]["enum"]
    assert "learning" in schemas["Kind"]["enum"]
    assert "reviewer" not in json.dumps(schemas.get("ReviewAnswerIn", {}))


# --- The shared storing logic (feedback.reviewing) ------------------------------------------------


def test_blank_answers_are_not_stored_and_the_group_is_all_that_is_kept(cast, review):
    from feedback import reviewing

    invitation, rating, open_question = review
    stored = reviewing.submit_answers(
        invitation, [(rating, None, "  "), (open_question, None, "Hi")]
    )
    assert stored == 1
    with pytest.raises(reviewing.AlreadyAnswered):
        reviewing.submit_answers(invitation, [(rating, 5, "")])
    two_more_reports_answer(invitation.participant, rating, cast)
    close(invitation.participant.cycle)
    answer = alices(ReviewAnswer.objects.all()).get()
    assert (answer.question, answer.group, answer.rating, answer.comment) == (
        open_question,
        "report",
        None,
        "Hi",
    )


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_store_one_set_of_answers(cast):
    import threading

    from django.db import connections

    from feedback import reviewing

    cycle = make_cycle()
    invitation = invite(add_participant(cycle, cast.bob), cast.alice, group=RaterGroup.REPORT)
    question = cycle.questions.order_by("position").first()
    barrier = threading.Barrier(2)
    outcomes = []

    def work():
        try:
            mine = ReviewInvitation.objects.select_related("participant").get(pk=invitation.pk)
            barrier.wait()
            outcomes.append(reviewing.submit_answers(mine, [(question, 4, "")]))
        except reviewing.AlreadyAnswered:
            outcomes.append("again")
        except Exception as error:  # reported below
            barrier.abort()  # the other stops waiting for this one
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["1", "again"], outcomes
    assert SealedSubmission.objects.count() == 1
    two_more_reports_answer(invitation.participant, question, cast)
    close(cycle)
    assert ReviewAnswer.objects.count() == 3
