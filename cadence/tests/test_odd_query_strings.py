"""No 500s from what anyone can type into an address bar: every GET route of the authorization
matrix, as an employee and as HR, with each query parameter the pages and the API read set to
values that break naive parsing (a digit that is no number, an id past the database's range, a
NUL character, bad percent-encoding, a date that does not exist, a very long string).

Each answer must be a deliberate one: a page, a redirect, or a 4xx with its message. What a
route answers is the matrix's business; here only "never a server error" is checked.
"""

import copy

import pytest

from cadence.tests.matrix import CAST, address
from cadence.tests.test_authorization_matrix import MATRIX, sign_in

# Its cases count no queries: they keep the navigation's compiled SQL between them.
pytestmark = pytest.mark.shares_kept_sql

# The query parameters Cadence's pages, forms and API read (filters, paging, choices).
PARAMETERS = [
    "after",
    "as",
    "before",
    "competency",
    "cursor",
    "cycle",
    "days",
    "direction",
    "format",
    "group",
    "kind",
    "limit",
    "month",
    "next",
    "offset",
    "order",
    "owner",
    "page",
    "parent",
    "period",
    "person",
    "q",
    "role",
    "root",
    "scope",
    "self",
    "show",
    "since",
    "sort",
    "state",
    "status",
    "step",
    "tab",
    "team",
    "template",
    "to",
    "type",
    "until",
    "version",
    "with",
    "year",
]

ODD_VALUES = [
    "²",  # a digit to str.isdigit, no number to int()
    "9" * 40,  # past every integer column
    "-1",
    "a\x00b",  # PostgreSQL refuses NUL in text
    "%ff%fe",  # not UTF-8 once decoded
    "2024-02-30",
    "x" * 3000,
]

GET_ROUTES = sorted(
    name
    for name, route in MATRIX.items()
    if route.method == "get" and not name.startswith(("api:openapi", "admin:"))
)


@pytest.fixture
def cast(db, module_cast):
    return copy.deepcopy(module_cast)


@pytest.mark.parametrize("role", ["employee", "hr"])
@pytest.mark.parametrize("name", GET_ROUTES)
def test_odd_query_strings_get_an_answer_not_a_server_error(client, cast, name, role):
    url, _kwargs = address(cast, name, MATRIX[name])
    sign_in(client, cast, role)
    client.raise_request_exception = False
    failures = []
    for value in ODD_VALUES:
        response = client.get(url, dict.fromkeys(PARAMETERS, value))
        if response.status_code >= 500:
            failures.append((value[:20], response.status_code))
    assert not failures, f"{name} as {CAST[role]}: {failures}"
