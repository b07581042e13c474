"""The authorization matrix's vocabulary: outcomes, roles and a route's entry.

Apps keep their own entries in their tests (e.g. `conversations/tests/routes_*.py`, a dict
`ROUTES`), which `test_authorization_matrix` merges into one table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
