"""Authorization-matrix entries for the first run (merged into
`cadence/tests/test_authorization_matrix.py`), in the matrix's state: an administrator exists
(frank) and the organisation is not set up yet.

The claim page is gone (404) for everyone once anyone administers the installation. The guide
is the administrators' until the organisation is set up (then it sends them Home:
`test_guide.py`). A step of the checklist is ticked by those whose part of the settings it is
(the rhythm: organisation-wide HR); the list is put away by HR and administrators.
"""

from cadence.tests.matrix import DENIED, HIDDEN, LOGIN, OK, REDIRECT, Route

GUIDE = {"anonymous": LOGIN, "signed_in": DENIED, "admin": OK}

ROUTES = {
    "setup:claim": Route({"everyone": HIDDEN}),
    "setup:step": Route(GUIDE, kwargs={"key": lambda cast: "organisation"}),
    "setup:finish": Route(GUIDE),
    "setup:confirm": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "hr": REDIRECT},
        method="post",
        kwargs={"key": lambda cast: "rhythm"},
    ),
    "setup:dismiss": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "hr": REDIRECT, "admin": REDIRECT},
        method="post",
    ),
}
