"""Authorization-matrix entries for the first run (merged into
`cadence/tests/test_authorization_matrix.py`), in the matrix's state: an administrator exists
(frank).

The claim page is gone (404) for everyone once anyone administers the installation.
"""

from cadence.tests.matrix import HIDDEN, Route

ROUTES = {
    "setup:claim": Route({"everyone": HIDDEN}),
}
