"""The authorization matrix's "outside the pilot" column: during a pilot, every page and API
route of a module answers 404 to someone outside its teams, whatever it answers them without
a pilot; organisation-wide HR, who runs the roll-out, is the exception (its own column stays)."""

import copy

import pytest

from cadence.tests import test_authorization_matrix as matrix
from cadence.tests.matrix import HIDDEN, address, module_routes, send
from organisation.tests.factories import start_pilot
from people.models import Team

# Its cases count no queries: they keep the navigation's compiled SQL between them.
pytestmark = pytest.mark.shares_kept_sql


@pytest.fixture
def cast(db, module_cast):
    return copy.deepcopy(module_cast)


def _outside_cases():
    """(route name, role) for every route of a module (`module_routes`): the first role but
    HR that may use it without a pilot."""
    for name, _route, _module, allowed in module_routes(matrix.MATRIX):
        inside = [role for role in allowed if role not in ("anonymous", "hr")]
        if inside:
            yield pytest.param(name, inside[0], id=f"{name}-{inside[0]}")


@pytest.mark.parametrize(("name", "role"), list(_outside_cases()))
def test_outside_the_pilot_every_module_route_is_hidden(client, cast, name, role):
    route = matrix.MATRIX[name]
    url, kwargs = address(cast, name, route)
    start_pilot(Team.objects.create(name="The pilot"))  # a team nobody of the cast is in
    matrix.sign_in(client, cast, role)
    response = send(client, cast, route, url, kwargs)
    matrix.check(response, HIDDEN, is_api=name.startswith("api:"))


def test_the_column_covers_every_module():
    cased = {p.values[0] for p in _outside_cases()}
    covered = {module for name, _r, module, _a in module_routes(matrix.MATRIX) if name in cased}
    assert {"goals", "conversations", "feedback", "reviews", "my_team"} <= covered
