"""The API's shared toolkit, for every app's `api.py`: bounded ids and paging, strict input
schemas, references to people, loading and writing through the rules and services, and errors
in the one shape the schemas give.

Errors: 400 for a body that is not JSON, 422 with `{"detail": [{"loc": […], "msg": …}]}` for
one that does not fit (from the schema, or from `invalid` for what only the code can check),
`{"detail": "…"}` with 401/403/404/409 otherwise. Ids in paths use the `id` converter
(`"/goals/{id:goal_id}"`, see `cadence.ids`): out of range, they match no route (404).

Lists page with `Page` (`@paginate(Page)`): keyset ("cursor") paging, described there. The
items of each page pass `access.rules.shown`, so that every list of the API is in the access log.

Reads and writes of one object, in the API's words:

- `loaded(viewer, Model, pk, action, queryset=…, denied=…)`: `access.rules.get_visible_or_404`,
  answering 404 (`"Not found."`) to whoever may not know the object exists and 403 (`denied`,
  or "You may not do this.") to whoever may see it but not `action` it. Load first, then read
  the body (`body_of`): whoever may not know the object exists gets 404 whatever they send.
- `written(service, *args, **kwargs)`: call a write service (`<app>/services.py`, see
  `cadence.refusals`) and answer what it refuses: `Refused` 422 (each dotted field a `loc`,
  `"answers.0.rating"` as `["body", "answers", 0, "rating"]`, `""` as `["body"]`), `Conflict`
  409 with its message, `PermissionDenied` 403 with its message (or "You may not do this.").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import pydantic
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import PaginationBase
from pydantic import ConfigDict

from access.rules import VIEW, get_visible_or_404, shown
from access.viewer import viewer_of
from cadence.ids import MAX_ID
from cadence.keyset import BadCursor, after_cursor, cursor_of, sort_keys
from cadence.refusals import Conflict, Refused

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

# An id in a query string or a body: numbers beyond what the database holds are refused (422)
# instead of reaching SQL and failing there.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


SchemaT = TypeVar("SchemaT", bound=Schema)
ModelT = TypeVar("ModelT", bound=Model)
T = TypeVar("T")


class Page(PaginationBase):
    """Keyset ("cursor") paging, for every list of the API: `@paginate(Page)` on a view that
    returns a queryset ordered by `order_by(...)` ending with the primary key ("-pk" or "pk").

    A page is `{"items": […], "next_cursor": "…" | null, "next": "/api/v1/…?cursor=…" | null}`:
    ask for the next page with `cursor=<next_cursor>` (or follow `next`, which keeps the other
    parameters); `null` when this page is the last. The cursor holds the last item's sort keys
    and id, signed (with SECRET_KEY, for this path and order), so the next page starts right
    after it with an index condition (`cadence.keyset`): no OFFSET to skip, no COUNT of every
    visible row. Items added or removed between pages neither repeat nor push others out.
    There is no total: counting every row the caller may see grows with the organisation. A
    cursor that is not one of ours, or was made for another list, answers 422 (`loc`
    `["query", "cursor"]`).
    """

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Items per page (at most 500)")
        cursor: str | None = Field(
            None,
            max_length=1000,
            description="The `next_cursor` of the page before; none for the first page",
        )

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(
            description="Pass as `cursor` for the next page; null on the last page"
        )
        next: str | None = Field(description="The next page's URL; null on the last page")

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        keys = sort_keys(queryset)
        if pagination.cursor:
            try:
                queryset = queryset.filter(
                    after_cursor(queryset.model, keys, pagination.cursor, request.path)
                )
            except BadCursor:
                message = gettext("Not a cursor of this list: use its page before's next_cursor.")
                raise ValidationError(
                    [{"loc": ["query", "cursor"], "msg": message, "type": "value_error"}]
                ) from None
        rows = list(queryset[: pagination.limit + 1])
        items = rows[: pagination.limit]
        # What every list of the API shows, for the access log (`access.rules.shown`).
        shown(viewer_of(request), items)
        cursor = cursor_of(items[-1], keys, request.path) if len(rows) > pagination.limit else None
        return {
            self.items_attribute: items,
            "next_cursor": cursor,
            "next": cursor and _with_cursor(request, cursor),
        }


def _with_cursor(request: HttpRequest, cursor: str) -> str:
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


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


def located(field: str) -> tuple[str | int, ...]:
    """A refusal's dotted field as a `loc`: "answers.0.rating" -> ("answers", 0, "rating")."""
    return tuple(int(part) if part.isdigit() else part for part in field.split(".") if part)


def written(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """What the write service returned; what it refuses in the API's answers: `Refused` 422
    (in the shape of the schema's own errors), `Conflict` 409, `PermissionDenied` 403."""
    try:
        return service(*args, **kwargs)
    except Refused as refused:
        invalid([(located(field), message) for field, message in refused.errors])
    except Conflict as conflict:
        raise HttpError(409, str(conflict)) from conflict
    except PermissionDenied as denied:
        raise HttpError(403, str(denied) or gettext("You may not do this.")) from denied


def loaded(
    viewer: Viewer,
    model: type[ModelT],
    pk: int,
    action: str = VIEW,
    *,
    queryset: QuerySet[ModelT] | None = None,
    denied: str = "",
) -> ModelT:
    """`access.rules.get_visible_or_404` in the API's words: 404 for whoever may not know the
    object exists, 403 (with `denied`) for whoever may see it but not `action` it."""
    try:
        return get_visible_or_404(viewer, model, pk, action, queryset=queryset)
    except Http404:
        raise HttpError(404, gettext("Not found.")) from None
    except PermissionDenied:
        raise HttpError(403, denied or gettext("You may not do this.")) from None


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
