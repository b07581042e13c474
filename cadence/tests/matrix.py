"""The authorization matrix's vocabulary: outcomes, roles and a route's entry; and what its
columns share: the routes of the modules (`module_routes`) and how a route is requested
(`address`, `send`).

Apps keep their own entries in their tests (e.g. `conversations/tests/routes_*.py`, a dict
`ROUTES`), which `test_authorization_matrix` merges into one table.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from cadence import modules

OK, LOGIN, DENIED, HIDDEN, REDIRECT, BAD = "ok", "login", "denied", "hidden", "redirect", "bad"
INVALID = "invalid"
CREATED = "created"  # 201: an API write with a valid body, by whoever may make it
ROLES = ["anonymous", "employee", "manager", "leader", "peer", "hr", "admin"]
CAST = {
    "employee": "alice",
    "manager": "bob",
    "leader": "carol",
    "peer": "dave",
    "hr": "erin",
    "admin": "frank",
}


@dataclass
class Route:
    expect: dict  # role -> outcome; "signed_in" sets every role but anonymous
    method: str = "get"
    kwargs: dict = field(default_factory=dict)  # name -> callable(cast) giving the value
    # An API write's JSON body, valid for whoever may write: a dict, or callable(cast, kwargs)
    # giving it from the cast and the path's values; so that the matrix proves who may write.
    # None: the write is requested without a body.
    body: dict | Callable[[Any, dict], dict] | None = None

    def outcome(self, role):
        if role in self.expect:
            return self.expect[role]
        if role != "anonymous" and "signed_in" in self.expect:
            return self.expect["signed_in"]
        return self.expect["everyone"]


PAGE = {"anonymous": LOGIN, "signed_in": OK}
HR_ONLY = {"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}
API = {"anonymous": LOGIN, "signed_in": OK}
PUBLIC = {"everyone": OK}


def module_routes(table: dict[str, Route]) -> Iterator[tuple[str, Route, str, list[str]]]:
    """The routes of `table` that belong to a module (`cadence.modules.owning`), by name: each
    as (name, entry, the module's key, the roles it lets in when the module is on and nobody
    pilots it, in `ROLES` order). The "module off" and "outside the pilot" columns are made
    from it."""
    for name in sorted(table):
        route = table[name]
        try:
            path = reverse(name, kwargs=dict.fromkeys(route.kwargs, 1))
        except NoReverseMatch:  # pragma: no cover - every route takes ids
            continue
        module = modules.owning(path)
        if module is None:
            continue
        allowed = [role for role in ROLES if route.outcome(role) not in (LOGIN, DENIED, HIDDEN)]
        yield name, route, module.key, allowed


def address(cast, name: str, route: Route) -> tuple[str, dict]:
    """The route's address and its path's values, made from the cast (which may add rows)."""
    kwargs = {key: make(cast) for key, make in route.kwargs.items()}
    return reverse(name, kwargs=kwargs), kwargs


def send(client, cast, route: Route, url: str, kwargs: dict):
    """Request `url` as the route's entry says: its method, with its JSON body if it has one."""
    if route.body is None:
        return getattr(client, route.method)(url)
    body = route.body(cast, kwargs) if callable(route.body) else route.body
    return getattr(client, route.method)(url, json.dumps(body), content_type="application/json")
