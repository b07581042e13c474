"""Authorization-matrix entries for the trust pages: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

My data is always the signed-in person's own: every page shows the viewer their own data.
The audit log (pages, CSV and API) is for organisation-wide HR and administrators: 403 for
everyone else signed in.
"""

from cadence.tests.matrix import DENIED, LOGIN, OK, PAGE, Route

AUDIT_READERS = {"anonymous": LOGIN, "signed_in": DENIED, "hr": OK, "admin": OK}

ROUTES = {
    "trust:my_data": Route(PAGE),
    "trust:changes": Route(PAGE),
    "audit:log": Route(AUDIT_READERS),
    "audit:csv": Route(AUDIT_READERS),
    "api:list_audit_entries": Route(AUDIT_READERS),
}
