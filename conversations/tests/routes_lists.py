"""Authorization-matrix entries for this part of the conversations module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry."""

from cadence.tests.matrix import DENIED, HIDDEN, HR_ONLY, LOGIN, OK, PAGE, REDIRECT, Route


def alice_id(cast):
    return cast.alice.pk


def platform_id(cast):
    return cast.platform.pk


ROUTES: dict = {
    "conversations:index": Route(PAGE),
    # Everyone signed in may open the form; without a manager or reports it says so kindly.
    "conversations:create": Route(PAGE),
    # Rhythm health: managers (for the people below them) and HR.
    "conversations:adherence": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK, "hr": OK}
    ),
    # Opening (and if need be scheduling) a pair's next conversation: the two of them only.
    "conversations:open_next": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": REDIRECT, "manager": REDIRECT},
        kwargs={"person_id": alice_id, "kind": lambda cast: "check_in"},
    ),
    # A reminder e-mail from My team: the person's manager only; back to My team with a word
    # (sent, already sent today, or nothing to remind of).
    "conversations:nudge": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "manager": REDIRECT},
        method="post",
        kwargs={"person_id": alice_id, "kind": lambda cast: "prepare"},
    ),
    # Rhythms are organisation information: readable by all, changed with the right role.
    "conversations:rhythms": Route(PAGE),
    "conversations:team_rhythm": Route(PAGE, kwargs={"team_id": platform_id}),
    # A person's rhythm: the person, their management chain and HR in scope.
    "conversations:pair_rhythm": Route(
        {"anonymous": LOGIN, "signed_in": OK, "peer": HIDDEN, "admin": HIDDEN},
        kwargs={"person_id": alice_id},
    ),
    "conversations:templates": Route(HR_ONLY),
    "conversations:template_edit": Route(HR_ONLY, kwargs={"kind": lambda cast: "check_in"}),
    # My team: people with current reports (Bob, and Carol who manages Bob).
    "my_team": Route({"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK}),
}
