"""Authorization-matrix entries for feedback requests and the feedback API: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

Alice (employee) asks Bob (her manager) for feedback: the request is theirs, everyone else gets
404. Only Bob answers or declines (Alice, who sees the request, gets 403). API writes are
requested without a body: those allowed learn what is missing (400), nobody else anything.
"""

from cadence.tests.matrix import (  # noqa: F401
    API,
    BAD,
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


SIGNED_IN_BAD = {"anonymous": LOGIN, "signed_in": BAD}
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
    "api:give_feedback": Route(SIGNED_IN_BAD, method="post"),
    "api:list_feedback_requests": Route(API),
    "api:create_feedback_request": Route(SIGNED_IN_BAD, method="post"),
    "api:answer_feedback_ask": Route(
        {**ASK, "manager": BAD}, method="post", kwargs={"ask_id": bobs_ask}
    ),
    "api:decline_feedback_ask": Route(
        {**ASK, "manager": BAD}, method="post", kwargs={"ask_id": bobs_ask}
    ),
    "api:list_review_invitations": Route(API),
    "api:submit_review_answers": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": BAD},
        method="post",
        kwargs={"invitation_id": alice_invitation},
    ),
}
