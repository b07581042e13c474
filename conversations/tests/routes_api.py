"""Authorization-matrix entries for this part of the conversations module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

The API's writes are sent a valid body, so that the outcomes prove who may write: the two
participants write (201, or 200 for a change), everyone else gets 404 — the visibility check
comes before the body is read, so that nothing tells them the conversation exists. A
one-on-one is started with the two people one reports to or who report to one; anyone else
is refused (422, the partner is not theirs).
"""

from datetime import timedelta

from django.utils import timezone

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
from conversations.tests.factories import add_action, make_conversation


def alice_check_in(cast):
    """Alice's open check-in with her manager Bob."""
    return make_conversation(cast.alice).pk


def alice_action(cast):
    """An action item Alice agreed with Bob in her check-in."""
    return add_action(make_conversation(cast.alice), cast.alice).pk


# Content is for the two participants: everyone else may not know the conversation exists.
CONVERSATION = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}
# A valid write: the two participants make it, nobody else learns the conversation exists.
WRITE = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": CREATED, "manager": CREATED}
CHANGE = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}
ON_CHECK_IN = {"conversation_id": alice_check_in}


def text(cast, kwargs):
    return {"text": "Talk about the roadmap"}


def action(cast, kwargs):
    return {"text": "Draft the proposal", "due_date": str(timezone.localdate() + timedelta(7))}


def one_on_one_with_bob(cast, kwargs):
    return {"partner_id": cast.bob.pk, "due_date": str(timezone.localdate() + timedelta(3))}


# With Bob: Alice (he is her manager) and Carol (he reports to her); not Bob himself, nor
# anyone else.
START_WITH_BOB = {"anonymous": LOGIN, "signed_in": INVALID, "employee": CREATED, "leader": CREATED}

ROUTES: dict = {
    "api:list_conversations": Route(API),
    "api:create_conversation": Route(START_WITH_BOB, method="post", body=one_on_one_with_bob),
    "api:get_conversation": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:sign_off_conversation": Route(CONVERSATION, method="post", kwargs=ON_CHECK_IN),
    "api:list_agenda_items": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:create_agenda_item": Route(WRITE, method="post", kwargs=ON_CHECK_IN, body=text),
    "api:list_notes": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:create_note": Route(WRITE, method="post", kwargs=ON_CHECK_IN, body=text),
    "api:list_action_items": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:create_action_item": Route(WRITE, method="post", kwargs=ON_CHECK_IN, body=action),
    "api:update_action_item": Route(
        CHANGE, method="patch", kwargs={"action_id": alice_action}, body={"done": True}
    ),
    # The calendar feed: the page and its buttons are each person's own.
    "conversations:calendar": Route(PAGE),
    "conversations:calendar_reset": Route(
        {"anonymous": LOGIN, "signed_in": REDIRECT}, method="post"
    ),
    "conversations:calendar_revoke": Route(
        {"anonymous": LOGIN, "signed_in": REDIRECT}, method="post"
    ),
    # No sign-in: the address is the secret. An unknown one does not exist, for anyone.
    "conversations:calendar_feed": Route(
        {"everyone": HIDDEN}, kwargs={"token": lambda cast: "cal_bogus"}
    ),
}
