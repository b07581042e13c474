"""Authorization-matrix entries for the trust pages: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

My data is always the signed-in person's own: every page shows the viewer their own data.
"""

from cadence.tests.matrix import PAGE, Route

ROUTES = {
    "trust:my_data": Route(PAGE),
}
