"""Authorization-matrix entries for the notifications pages: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

Alice's notification is hers alone: everyone else gets 404 when marking or opening it. Everyone
signed in reads and sets their own e-mail preferences. An e-mail's unsubscribe link works for
whoever holds it (the person's mailbox), signed in or not: it shows a page with a button.
"""

from cadence.tests.matrix import API, HIDDEN, LOGIN, OK, PAGE, PUBLIC, REDIRECT, Route
from notifications import kinds, mail
from notifications.services import notify


def alice_notification(cast):
    return notify(cast.alice, kinds.FEEDBACK_RECEIVED, "/feedback/", giver="Bob Manager").pk


def alice_digest_token(cast):
    return mail.unsubscribe_token(cast.alice, mail.WEEKLY_DIGEST)


ALICE_ONLY = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": REDIRECT}
ALICE_ONLY_API = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK}

ROUTES = {
    "notifications:index": Route(PAGE),
    "notifications:mark_all": Route({"anonymous": LOGIN, "signed_in": REDIRECT}, method="post"),
    "notifications:open": Route(
        ALICE_ONLY, method="post", kwargs={"notification_id": alice_notification}
    ),
    "notifications:mark": Route(
        ALICE_ONLY, method="post", kwargs={"notification_id": alice_notification}
    ),
    "notifications:email": Route({"anonymous": LOGIN, "signed_in": REDIRECT}, method="post"),
    "notifications:unsubscribe": Route(PUBLIC, kwargs={"token": alice_digest_token}),
    "api:get_email_preferences": Route(API),
    "api:put_email_preferences": Route(API, method="put", body={"off": [mail.WEEKLY_DIGEST]}),
    "api:list_notifications": Route(API),
    "api:mark_all_notifications": Route(API, method="post", body={}),
    "api:mark_notification": Route(
        ALICE_ONLY_API,
        method="post",
        kwargs={"notification_id": alice_notification},
        body={"read": True},
    ),
}
