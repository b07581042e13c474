"""Authorization-matrix entries for this part of the conversations module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

The conversation page and everything done on it: what is said is the two participants' alone,
so everyone else (the manager's manager, HR, the administrator, a peer) gets a 404. Writes are
posted with an empty body: the participants get 400 where a form needs input, and a redirect
where there is nothing to fill in.
"""

from cadence.tests.matrix import (  # noqa: F401
    BAD,
    DENIED,
    HIDDEN,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)
from conversations.models import Conversation, Kind, Status
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    make_conversation,
)


def alice_check_in(cast):
    """Alice's open check-in with her manager Bob (the same one, however often it is asked
    for in one request's kwargs)."""
    existing = Conversation.objects.filter(
        employee=cast.alice, manager=cast.bob, kind=Kind.CHECK_IN, status=Status.SCHEDULED
    ).first()
    return (existing or make_conversation(cast.alice)).pk


def _check_in(cast):
    return Conversation.objects.get(pk=alice_check_in(cast))


def alices_talking_point(cast):
    return add_agenda_item(_check_in(cast), cast.alice).pk


def alices_note(cast):
    return add_note(_check_in(cast), cast.alice).pk


def bobs_private_note(cast):
    return add_private_note(_check_in(cast), cast.bob).pk


def alices_action(cast):
    return add_action(_check_in(cast), cast.alice).pk


# Content is for the two participants: everyone else may not know the conversation exists.
CONVERSATION = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}
# A form posted empty: the two get it back with its errors.
EMPTY_FORM = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": BAD, "manager": BAD}
# A button (no input needed): the two are sent back to the page.
BUTTON = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": REDIRECT, "manager": REDIRECT}

ON_CHECK_IN = {"conversation_id": alice_check_in}

ROUTES: dict = {
    "conversations:detail": Route(CONVERSATION, kwargs=ON_CHECK_IN),
    # Only the employee prepares; the manager reads the answers on the page.
    "conversations:prepare": Route({**CONVERSATION, "manager": DENIED}, kwargs=ON_CHECK_IN),
    "conversations:agenda_add": Route(EMPTY_FORM, method="post", kwargs=ON_CHECK_IN),
    # Posted without saying what to do (toggle or delete).
    "conversations:agenda_item": Route(
        EMPTY_FORM,
        method="post",
        kwargs={**ON_CHECK_IN, "item_id": alices_talking_point},
    ),
    "conversations:note_add": Route(EMPTY_FORM, method="post", kwargs=ON_CHECK_IN),
    # Alice's note: she may delete it; Bob sees it but may not.
    "conversations:note_delete": Route(
        {**BUTTON, "manager": DENIED},
        method="post",
        kwargs={**ON_CHECK_IN, "note_id": alices_note},
    ),
    "conversations:private_note_add": Route(EMPTY_FORM, method="post", kwargs=ON_CHECK_IN),
    # Bob's private note: for anyone but Bob, Alice included, it does not exist.
    "conversations:private_note_delete": Route(
        {**BUTTON, "employee": HIDDEN},
        method="post",
        kwargs={**ON_CHECK_IN, "note_id": bobs_private_note},
    ),
    "conversations:action_add": Route(EMPTY_FORM, method="post", kwargs=ON_CHECK_IN),
    "conversations:action_toggle": Route(
        BUTTON, method="post", kwargs={"action_id": alices_action}
    ),
    "conversations:sign_off": Route(BUTTON, method="post", kwargs=ON_CHECK_IN),
    # A rhythm conversation is skipped by the manager.
    "conversations:skip": Route({**CONVERSATION, "employee": DENIED}, kwargs=ON_CHECK_IN),
    "conversations:reschedule": Route(CONVERSATION, kwargs=ON_CHECK_IN),
}
