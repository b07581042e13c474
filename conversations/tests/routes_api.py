"""Authorization-matrix entries for this part of the conversations module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

The API's writes to a conversation are requested without a body: the participants get the
body's error (400: an empty form is not JSON; 422: no body at all), everyone else 404 — the
visibility check comes before the body is read, so that nothing tells them it exists.
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
from conversations.tests.factories import add_action, make_conversation


def alice_check_in(cast):
    """Alice's open check-in with her manager Bob."""
    return make_conversation(cast.alice).pk


def alice_action(cast):
    """An action item Alice agreed with Bob in her check-in."""
    return add_action(make_conversation(cast.alice), cast.alice).pk


# Content is for the two participants: everyone else may not know the conversation exists.
CONVERSATION = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}
# A write without its body: the participants learn what is missing, nobody else anything.
WRITE_FORM = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": BAD, "manager": BAD}
WRITE_NOTHING = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": INVALID, "manager": INVALID}
ON_CHECK_IN = {"conversation_id": alice_check_in}

ROUTES: dict = {
    "api:list_conversations": Route(API),
    "api:create_conversation": Route({"anonymous": LOGIN, "signed_in": BAD}, method="post"),
    "api:get_conversation": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:sign_off_conversation": Route(CONVERSATION, method="post", kwargs=ON_CHECK_IN),
    "api:list_agenda_items": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:create_agenda_item": Route(WRITE_FORM, method="post", kwargs=ON_CHECK_IN),
    "api:list_notes": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:create_note": Route(WRITE_FORM, method="post", kwargs=ON_CHECK_IN),
    "api:list_action_items": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    "api:create_action_item": Route(WRITE_FORM, method="post", kwargs=ON_CHECK_IN),
    "api:update_action_item": Route(
        WRITE_NOTHING, method="patch", kwargs={"action_id": alice_action}
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
