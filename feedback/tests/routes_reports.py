"""Authorization-matrix entries for this part of the feedback module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

Alice's 360 report in a closed cycle, not released yet: her manager Bob and HR (Erin, for the
whole organisation) read and release it; Alice may not see it until then, and nobody else
(Carol above Bob, a peer, the administrator) may know it exists.
"""

from cadence.tests.matrix import (  # noqa: F401
    BAD,
    DENIED,
    HIDDEN,
    HR_ONLY,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)
from feedback.models import ReviewParticipant


def alices_report(cast):
    """Alice's participation in a closed 360 cycle (the same one however often asked)."""
    from feedback.tests.factories import add_participant, make_cycle

    existing = ReviewParticipant.objects.filter(person=cast.alice, cycle__name="Matrix 360").first()
    if existing is None:
        existing = add_participant(make_cycle("Matrix 360", status="closed"), cast.alice)
    return existing.pk


REPORT = {"anonymous": LOGIN, "signed_in": HIDDEN, "manager": OK, "hr": OK}
# Without the confirmation box ticked, releasing answers the report again with a 400.
RELEASE = {"anonymous": LOGIN, "signed_in": HIDDEN, "manager": BAD, "hr": BAD}
ON_REPORT = {"participant_id": alices_report}

ROUTES: dict = {
    "feedback:report": Route(REPORT, kwargs=ON_REPORT),
    "feedback:release": Route(RELEASE, method="post", kwargs=ON_REPORT),
}
