"""The authorization matrix's "outside the pilot" column: during a pilot, every page and API
route of a module answers 404 to someone outside its teams, whatever it answers them without
a pilot; organisation-wide HR, who runs the roll-out, is the exception (its own column stays)."""

import copy
import json

import pytest
from django.urls import reverse

from cadence import modules
from cadence.tests import test_authorization_matrix as matrix
from cadence.tests.matrix import DENIED, HIDDEN, LOGIN, ROLES
from organisation.tests.factories import start_pilot
from people.models import Team


@pytest.fixture
def cast(db, module_cast):
    return copy.deepcopy(module_cast)


def _module_routes():
    """(route name, role) for every route of a module: the first role but HR that may use it
    without a pilot."""
    for name in sorted(matrix.MATRIX):
        route = matrix.MATRIX[name]
        path = reverse(name, kwargs=dict.fromkeys(route.kwargs, 1))
        if modules.owning(path) is None:
            continue
        allowed = [
            role
            for role in ROLES
            if role not in ("anonymous", "hr")
            and route.outcome(role) not in (LOGIN, DENIED, HIDDEN)
        ]
        if allowed:
            yield pytest.param(name, allowed[0], id=f"{name}-{allowed[0]}")


@pytest.mark.parametrize(("name", "role"), list(_module_routes()))
def test_outside_the_pilot_every_module_route_is_hidden(client, cast, name, role):
    route = matrix.MATRIX[name]
    kwargs = {key: make(cast) for key, make in route.kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    start_pilot(Team.objects.create(name="The pilot"))  # a team nobody of the cast is in
    matrix.sign_in(client, cast, role)
    if route.body is None:
        response = getattr(client, route.method)(url)
    else:
        body = route.body(cast, kwargs) if callable(route.body) else route.body
        response = getattr(client, route.method)(
            url, json.dumps(body), content_type="application/json"
        )
    matrix.check(response, HIDDEN, is_api=name.startswith("api:"))


def test_the_column_covers_every_module():
    covered = {
        modules.owning(
            reverse(p.values[0], kwargs=dict.fromkeys(matrix.MATRIX[p.values[0]].kwargs, 1))
        ).key
        for p in _module_routes()
    }
    assert {"goals", "conversations", "feedback", "reviews", "my_team"} <= covered
