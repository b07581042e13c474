"""A SCIM token and a client that sends SCIM requests with it."""

from __future__ import annotations

import json
from typing import Any

from scim.models import ScimToken

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


class Scim:
    """Sends SCIM requests to /scim/v2/ with a bearer token."""

    def __init__(self, client: Any, raw: str):
        self.client, self.raw = client, raw

    def _send(self, method: str, path: str, payload: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {self.raw}", **extra}
        if payload is not None:
            kwargs["data"] = json.dumps(payload)
            kwargs["content_type"] = "application/scim+json"
        return getattr(self.client, method)(f"/scim/v2/{path}", **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/scim/v2/{path}", params, HTTP_AUTHORIZATION=f"Bearer {self.raw}")

    def post(self, path: str, payload: Any) -> Any:
        return self._send("post", path, payload)

    def put(self, path: str, payload: Any) -> Any:
        return self._send("put", path, payload)

    def patch(self, path: str, *operations: dict[str, Any]) -> Any:
        return self._send("patch", path, {"schemas": [PATCH], "Operations": list(operations)})

    def delete(self, path: str) -> Any:
        return self._send("delete", path)


def new_scim(client: Any, name: str = "Entra ID") -> Scim:
    _token, raw = ScimToken.issue(name, None)
    return Scim(client, raw)


def user(email: str, name: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schemas": [CORE, ENTERPRISE],
        "userName": email,
        "displayName": name,
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }
    body.update(fields)
    return body
