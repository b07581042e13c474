"""Authorization-matrix entries for the role guides: merged into
`cadence/tests/test_authorization_matrix.py`.

The guides hold nothing about anyone: everyone signed in reads every one of them.
"""

from cadence.tests.matrix import PAGE, Route

ROUTES = {
    "guides:guide": Route(PAGE, kwargs={"name": lambda cast: "manager"}),
}
