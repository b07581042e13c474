"""Authorization-matrix entries for feedback requests and the feedback API: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

Alice (employee) asks Bob (her manager) for feedback: the request is theirs, everyone else gets
404. Only Bob answers or declines (Alice, who sees the request, gets 403). API writes are sent
a valid body: the outcome is who may write (201), never that the body was refused (422).
"""

from cadence.tests.matrix import (  # noqa: F401
    API,
    BAD,
    CREATED,
    DENIED,
    HIDDEN,
    INVALID,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)
from feedback.models import Kind, RaterGroup
from feedback.tests.factories import add_participant, give, invite, make_cycle, make_request


def alice_request(cast):
    """Alice's request for feedback, asking Bob."""
    return make_request(cast.alice, [cast.bob]).pk


def bobs_ask(cast):
    """Bob's ask in Alice's request."""
    return make_request(cast.alice, [cast.bob]).asks.get().pk


def private_feedback(cast):
    """Constructive (so private) feedback from Bob to Alice."""
    return give(cast.bob, cast.alice, kind=Kind.CONSTRUCTIVE).pk


def alice_invitation(cast):
    """Alice reviews her manager Bob in an open 360 cycle."""
    participant = add_participant(make_cycle(), cast.bob)
    return invite(participant, cast.alice, group=RaterGroup.REPORT).pk


def zoe(cast):
    """Someone outside the cast, whom everyone in it may give feedback to or ask."""
    from people.models import Person

    return (
        Person.objects.filter(email="zoe@example.com").first()
        or Person.objects.create_user("zoe@example.com", None, name="Zoe Colleague")
    ).pk


def feedback_body(cast, kwargs):
    return {"receiver_id": zoe(cast), "kind": "praise", "text": "Clear demo, thank you."}


def request_body(cast, kwargs):
    return {"requestee_ids": [zoe(cast)], "topic": "My demo"}


def ask_answer_body(cast, kwargs):
    return {"kind": "praise", "text": "Well prepared."}


def ask_decline_body(cast, kwargs):
    return {"reason": "I was away."}


def review_body(cast, kwargs):
    from feedback.models import ReviewInvitation

    invitation = ReviewInvitation.objects.get(pk=kwargs["invitation_id"])
    question = invitation.participant.cycle.questions.order_by("position").first()
    return {"answers": [{"question_id": question.pk, "rating": 4}]}


SIGNED_IN_WRITES = {"anonymous": LOGIN, "signed_in": CREATED}
# A request is for its requester (Alice) and the person asked (Bob).
REQUEST = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}
# Bob's ask: Alice sees the request but may not answer for Bob.
ASK = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": DENIED}
PRIVATE = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}

ROUTES: dict = {
    "feedback:requests": Route(PAGE),
    "feedback:request_create": Route(PAGE),
    "feedback:request": Route(REQUEST, kwargs={"request_id": alice_request}),
    "feedback:ask_answer": Route({**ASK, "manager": OK}, kwargs={"ask_id": bobs_ask}),
    # Declining needs no reason: the empty form declines.
    "feedback:ask_decline": Route(
        {**ASK, "manager": REDIRECT}, method="post", kwargs={"ask_id": bobs_ask}
    ),
    "api:list_feedback": Route(API),
    "api:get_feedback": Route(PRIVATE, kwargs={"feedback_id": private_feedback}),
    "api:give_feedback": Route(SIGNED_IN_WRITES, method="post", body=feedback_body),
    "api:list_feedback_requests": Route(API),
    "api:create_feedback_request": Route(SIGNED_IN_WRITES, method="post", body=request_body),
    # Only Bob, who was asked, answers or declines: Alice sees the request (403), no one else.
    "api:answer_feedback_ask": Route(
        {**ASK, "manager": CREATED},
        method="post",
        kwargs={"ask_id": bobs_ask},
        body=ask_answer_body,
    ),
    "api:decline_feedback_ask": Route(
        {**ASK, "manager": OK}, method="post", kwargs={"ask_id": bobs_ask}, body=ask_decline_body
    ),
    "api:list_review_invitations": Route(API),
    "api:submit_review_answers": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": CREATED},
        method="post",
        kwargs={"invitation_id": alice_invitation},
        body=review_body,
    ),
}
