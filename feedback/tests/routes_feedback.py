"""Authorization-matrix entries for this part of the feedback module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

Feedback and praise. The pages everyone has (inbox, giving, the hints, the praise wall, the
export of one's own feedback) are open to everyone signed in; the settings to HR. One feedback
is Dave's constructive feedback to Alice, private and not shared: only the two know it exists.
Bob (her manager), Carol (the chain above), Erin (HR) and Frank (the administrator) get a 404.
Writes are posted with an empty body: the two get 400 where input is needed.
"""

from cadence.tests.matrix import (
    BAD,
    DENIED,
    HIDDEN,
    HR_ONLY,
    LOGIN,
    OK,
    PAGE,
    Route,
)
from feedback.models import Feedback, Kind
from feedback.tests.factories import give


def daves_feedback_to_alice(cast):
    existing = Feedback.objects.filter(giver=cast.dave, receiver=cast.alice).first()
    return (existing or give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE)).pk


ON_FEEDBACK = {"feedback_id": daves_feedback_to_alice}
# Private: for the giver and the receiver only.
PRIVATE = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "peer": OK}
# A form posted empty: the two get 400.
EMPTY_FORM = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": BAD, "peer": BAD}

ROUTES: dict = {
    "feedback:inbox": Route(PAGE),
    "feedback:give": Route(PAGE),
    "feedback:hints": Route(PAGE),
    "feedback:wall": Route(PAGE),
    "feedback:export": Route(PAGE),
    # Organisation-wide HR who may manage people (Erin).
    "feedback:settings": Route(HR_ONLY),
    "feedback:detail": Route(PRIVATE, kwargs=ON_FEEDBACK),
    # The giver corrects it until it is read; the receiver may read it, not change it.
    "feedback:edit": Route({**PRIVATE, "employee": DENIED}, kwargs=ON_FEEDBACK),
    "feedback:reply": Route(EMPTY_FORM, method="post", kwargs=ON_FEEDBACK),
    # No emoji chosen.
    "feedback:react": Route(EMPTY_FORM, method="post", kwargs=ON_FEEDBACK),
    # Only the receiver shares with their manager; the giver may see it but not do that.
    "feedback:share": Route({**EMPTY_FORM, "peer": DENIED}, method="post", kwargs=ON_FEEDBACK),
}
