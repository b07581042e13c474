"""The API's shared toolkit, for every app's `api.py`: bounded ids and paging, strict input
schemas, references to people, and errors in the one shape the schemas give.

Errors: 400 for a body that is not JSON, 422 with `{"detail": [{"loc": […], "msg": …}]}` for
one that does not fit (from the schema, or from `invalid` for what only the code can check),
`{"detail": "…"}` with 401/403/404/409 otherwise. Ids in paths use the `id` converter
(`"/goals/{id:goal_id}"`, see `cadence.ids`): out of range, they match no route (404).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import pydantic
from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict

from cadence.ids import MAX_ID

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

# An id in a query string or a body: numbers beyond what the database holds are refused (422)
# instead of reaching SQL and failing there.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


SchemaT = TypeVar("SchemaT", bound=Schema)


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=2**31)


class Strict(Schema):
    # An unknown field is an error, not silently ignored: a field that cannot be written (say
    # a key result's `current_value` in a PATCH) must not look accepted.
    model_config = ConfigDict(extra="forbid")


class PersonRef(Schema):
    id: int
    name: str


def invalid(errors: Sequence[tuple[tuple[Any, ...], object]]) -> NoReturn:
    """Answer 422 with errors shaped like the schema's own: ((location…), message) pairs."""
    raise ValidationError(
        [{"loc": ["body", *loc], "msg": str(msg), "type": "value_error"} for loc, msg in errors]
    )


def signed_in(viewer: Viewer) -> Person:
    """The caller: the API's authentication (`cadence/api.py`) lets only signed-in people in."""
    assert viewer.person is not None
    return viewer.person


def body_of(request, schema: type[SchemaT]) -> SchemaT:
    """The JSON body read into `schema`, with the answers ninja gives for a declared body.

    For writes that must check permission and existence first: read the body after them, so
    that whoever may not know the object exists gets 404 whatever they send."""
    if not request.body:
        raise ValidationError(
            [{"type": "missing", "loc": ["body", "payload"], "msg": "Field required"}]
        )
    try:
        data = json.loads(request.body)
    except ValueError as error:
        raise HttpError(400, "Cannot parse request body") from error
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        errors = []
        for detail in error.errors(include_url=False):
            item: dict[str, Any] = dict(detail)
            item.pop("input", None)
            item.pop("ctx", None)
            item["loc"] = ["body", "payload", *item["loc"]]
            errors.append(item)
        raise ValidationError(errors) from error


def documents(schema: type[Schema]) -> dict:
    """The OpenAPI description of a body read by `body_of`."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


def clean_text(value: str, field: str, max_length: int | None, required: bool = True) -> str:
    text = value.strip()
    if "\x00" in text:  # as the forms refuse it (PostgreSQL cannot store it)
        invalid([((field,), gettext("Null characters are not allowed."))])
    if required and not text:
        invalid([((field,), gettext("Write something."))])
    if max_length is not None and len(text) > max_length:
        message = gettext("At most %(count)s characters.") % {"count": max_length}
        invalid([((field,), message)])
    return text
