"""Authorization-matrix entries for invitations in the API: merged into
`cadence/tests/test_authorization_matrix.py`.

HR who may manage the person (Erin, organisation-wide) or an administrator (Frank) sends Alice an
invitation; everyone else may see her but not invite her (403). The list of who has not accepted
is for whoever may invite anyone: the same two.
"""

from cadence.tests.matrix import CREATED, DENIED, HIDDEN, LOGIN, OK, Route

INVITERS = {"anonymous": LOGIN, "signed_in": DENIED, "hr": OK, "admin": OK}


def alice_id(cast):
    return cast.alice.pk


ROUTES = {
    "api:send_invitation": Route(
        {**INVITERS, "hr": CREATED, "admin": CREATED},
        method="post",
        kwargs={"person_id": alice_id},
    ),
    "api:list_invitations": Route(INVITERS),
}


# Signing in with the identity provider exists only while single sign-on is on (off in the
# matrix, as in a new installation): its start and callback must not exist otherwise.
# accounts/tests/test_sso_flow.py requests them with it on.
ROUTES["accounts:sso_start"] = Route({"everyone": HIDDEN})
ROUTES["accounts:sso_callback"] = Route({"everyone": HIDDEN})
ROUTES["accounts:sso_confirm"] = Route({"everyone": HIDDEN})
