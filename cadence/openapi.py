"""Completes the API's OpenAPI description: every reference resolves, every error is listed.

Two things ninja leaves out, put right once for every app's router:

- A body read by hand (`conversations.api.body_of`, described with `documents`) comes with
  pydantic's nested definitions (`$defs`) and references into them (`#/$defs/…`) that resolve
  nowhere in the document. They move to `components/schemas`, and the body itself with them.
- Operations list only their successful answer. The errors each one can give follow from its
  shape, as the API is built: 401 when it needs sign-in, 403 for writes (a goal one may only
  look at, the session's CSRF check), 404 when it names an object in its path (one the caller
  may not see answers as if it did not exist), 422 when it reads parameters or a body, 400 when
  the body is not JSON. `cadence/tests/test_openapi.py` checks this against the answers the
  authorization matrix gets.
"""

import copy
from typing import Any

REF_PREFIX = "#/components/schemas/"
WRITES = {"post", "put", "patch", "delete"}

ERROR = "ErrorOut"
VALIDATION_ERROR = "ValidationErrorOut"
ERROR_SCHEMAS = {
    ERROR: {
        "title": ERROR,
        "type": "object",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "title": VALIDATION_ERROR,
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "loc": {
                            "type": "array",
                            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                        },
                        "msg": {"type": "string"},
                        "type": {"type": "string"},
                    },
                    "required": ["loc", "msg"],
                },
            }
        },
        "required": ["detail"],
    },
}
ANSWERS = {
    400: ("The body is not JSON.", ERROR),
    401: ("Sign in: a session or an `Authorization: Bearer` token.", ERROR),
    403: ("You may see this but not change it, or the session's CSRF token is missing.", ERROR),
    404: ("Not found, or not yours to see.", ERROR),
    422: ("The parameters or the body are invalid; `detail` says where and why.", VALIDATION_ERROR),
}


def complete(schema: dict) -> dict:
    # A copy: ninja shares the operations' `openapi_extra` between calls.
    schema["paths"] = copy.deepcopy(schema.get("paths", {}))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for status_schema in ERROR_SCHEMAS.items():
        components.setdefault(*status_schema)
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {})
            for content in body.values():
                content["schema"] = _hoisted(content["schema"], components)
            for status in _error_answers(method, operation):
                description, name = ANSWERS[status]
                operation.setdefault("responses", {}).setdefault(
                    str(status),
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": REF_PREFIX + name}}},
                    },
                )
    return schema


def _error_answers(method: str, operation: dict) -> list[int]:
    parameters = operation.get("parameters", [])
    body = "requestBody" in operation
    answers = []
    if body:
        answers.append(400)
    if operation.get("security"):
        answers.append(401)
    if method in WRITES:
        answers.append(403)
    if any(parameter.get("in") == "path" for parameter in parameters):
        answers.append(404)
    if parameters or body:
        answers.append(422)
    return answers


def _hoisted(body: dict, components: dict) -> dict:
    """The body's schema with its nested definitions moved to the components; a named object
    goes there too, and is referred to."""
    for name, definition in body.get("$defs", {}).items():
        components.setdefault(name, _local_refs(definition))
    body = _local_refs({key: value for key, value in body.items() if key != "$defs"})
    name = body.get("title")
    if body.get("type") == "object" and name and components.get(name, body) == body:
        components[name] = body
        return {"$ref": REF_PREFIX + name}
    return body


def _local_refs(node: Any) -> Any:
    """`#/$defs/X` (pydantic's, relative to a schema of its own) as `#/components/schemas/X`."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", REF_PREFIX)
                if key == "$ref" and isinstance(value, str)
                else _local_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_local_refs(item) for item in node]
    return node
