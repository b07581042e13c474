"""Keyset ("cursor") paging, for every list that pages: the API's lists (`cadence.api_kit.Page`)
and long pages such as the praise wall.

A page is read after a cursor: the last shown row's sort keys and primary key, signed (with
SECRET_KEY and a salt naming the list and its order) so that it cannot be forged nor used on
another list. The next page starts right after that row with an index condition: no OFFSET to
skip and no COUNT of every row, both of which grow with the organisation. Rows added or removed
between pages neither repeat nor push others out.

    keys = sort_keys(queryset)                   # from its order_by(…), ending with the pk
    rows = queryset.filter(after_cursor(queryset.model, keys, token, salt))[: size + 1]
    token = cursor_of(rows[size - 1], keys, salt) if len(rows) > size else None

Pages with "Previous" and "Next" links (the directory, the goal lists) use `keyset_page`: a page
after or before a boundary row, in an ascending order ending with the pk, with the total
counted up to a bound only (the page says "more than" beyond it). Its boundaries are not
signed: they name a position in a list the viewer may read anyway, and an unreadable one is
the first page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Field, Func, IntegerField, Model, Q, QuerySet, Subquery
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

if TYPE_CHECKING:
    from django.http import HttpRequest


class BadCursor(ValueError):
    """Not a cursor of this list: forged, cut short, or made for another list or order."""


def sort_keys(queryset: QuerySet) -> list[str]:
    """The queryset's explicit order, "pk" for the primary key, which must come last: it makes
    the order total, so that a cursor names one place."""
    order = queryset.query.order_by
    keys = [{"-id": "-pk", "id": "pk"}.get(key, key) for key in order if isinstance(key, str)]
    if not keys or len(keys) != len(order) or keys[-1].lstrip("-") != "pk":
        raise TypeError(f"Keyset paging needs an order_by(…) ending with the pk, not {order}")
    return keys


def cursor_of(item: Model, keys: list[str], salt: str) -> str:
    """The cursor of the page after `item` (the last one shown)."""
    values = [_value(item, key.lstrip("-")) for key in keys]
    return signing.dumps(values, salt=_salted(salt, keys), compress=True, serializer=_Keys)


def after_cursor(model: type[Model], keys: list[str], cursor: str, salt: str) -> Q:
    """The rows after the cursor's in the order of `keys`; BadCursor if it is not one of ours.

    (a, b, pk) > (x, y, z) is written out as `a >= x AND (a > x OR (a = x AND (b > y OR
    (b = y AND pk > z))))`, with < for descending keys: the leading `a >= x` alone is what an
    index on the order starts from (a row comparison is not portable to SQLite's planner)."""
    try:
        values = signing.loads(cursor, salt=_salted(salt, keys), serializer=_Keys)
    except signing.BadSignature:
        raise BadCursor(cursor) from None
    if not isinstance(values, list) or len(values) != len(keys) or None in values:
        raise BadCursor(cursor)
    parsed = []
    for key, value in zip(keys, values, strict=True):
        name = key.lstrip("-")
        try:
            parsed.append((name, key.startswith("-"), _field(model, name).to_python(value)))
        except ValidationError:
            raise BadCursor(cursor) from None
    condition: Q | None = None
    for name, descending, value in reversed(parsed):
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        condition = beyond if condition is None else beyond | (Q(**{name: value}) & condition)
    assert condition is not None
    first, descending, value = parsed[0]
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": value}) & condition


def _salted(salt: str, keys: list[str]) -> str:
    return f"cadence.keyset:{salt}:{','.join(keys)}"


def _value(item: Any, key: str) -> Any:
    """The value of a sort key ("participant__cycle__answers_due") on a loaded row."""
    for part in key.split("__"):
        item = getattr(item, part)
    return item


def _field(model: type[Model], key: str) -> Field:
    field: Any = None
    for part in key.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        model = field.related_model or model
    return model._meta.pk if field.is_relation else field


class _Keys:
    """A cursor's sort keys as JSON: dates and times in full ISO form (to the microsecond, which
    DjangoJSONEncoder would cut), read back by each key's model field."""

    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":"), default=_iso).encode("latin-1")

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode("latin-1"))


def _iso(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return str(value)  # Decimal, UUID


# --- Pages with Previous and Next links ---------------------------------------------------------


@dataclass(frozen=True)
class KeysetPage:
    object_list: list[Any]
    count: int  # up to count_up_to
    more_than: bool  # more than count_up_to rows in all
    previous: str | None  # boundaries for the previous and next pages' links
    next: str | None


def keyset_page(
    rows: QuerySet,
    order: tuple[str, ...],
    *,
    after: str | None,
    before: str | None,
    size: int,
    count_up_to: int,
) -> KeysetPage:
    """One page of `rows` in `order`, after or before a boundary row (the first page without
    one)."""
    start, end = _values(rows.model, order, after), _values(rows.model, order, before)
    if end is not None and start is None:
        earlier = rows.filter(_beyond(order, end, "lt"))
        found = list(earlier.order_by(*(f"-{field}" for field in order))[: size + 1])
        has_previous, has_next = len(found) > size, True
        found = found[:size][::-1]
    else:
        later = rows if start is None else rows.filter(_beyond(order, start, "gt"))
        found = list(later.order_by(*order)[: size + 1])
        has_previous, has_next = start is not None, len(found) > size
        found = found[:size]
    # Counted up to a bound: the exact figure beyond it is not worth reading every row. (Always
    # by a query, even when one page holds everything: a page's queries do not vary with size.)
    count = rows.order_by().values("pk")[: count_up_to + 1].count()
    return KeysetPage(
        object_list=found,
        count=min(count, count_up_to),
        more_than=count > count_up_to,
        previous=_boundary(found[0], order) if has_previous and found else None,
        next=_boundary(found[-1], order) if has_next and found else None,
    )


def page_of_request(
    request: HttpRequest, rows: QuerySet, order: tuple[str, ...], *, size: int, count_up_to: int
) -> tuple[KeysetPage, str]:
    """The page a list view's request asks for (`after` or `before` in its query string), and
    that query string without them, for the links to other pages and to filters."""
    page = keyset_page(
        rows,
        order,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=size,
        count_up_to=count_up_to,
    )
    querystring = request.GET.copy()
    for key in ("page", "after", "before"):
        querystring.pop(key, None)
    return page, querystring.urlencode()


def counted_first_page(
    rows: QuerySet, order: tuple[str, ...], *, size: int, count_up_to: int
) -> QuerySet:
    """What `keyset_page` reads of the first page, in one query: its rows in `order` (one
    more, to know whether there is a next page), each with `listed`, how many rows there are
    up to `count_up_to + 1` (a subquery run once). For a page whose SQL is kept
    (`cadence.waiting.kept_rows`); `first_page` makes the page of what it read."""
    bounded = rows.order_by().values("pk")[: count_up_to + 1]
    # Unordered: a model's default order in a COUNT without GROUP BY is refused by PostgreSQL.
    counted = (
        rows.model._default_manager.filter(pk__in=bounded)
        .order_by()
        .values(n=Func(F("pk"), function="COUNT"))
    )
    listed = Subquery(counted, output_field=IntegerField())
    return rows.annotate(listed=listed).order_by(*order)[: size + 1]


def first_page(found: list, order: tuple[str, ...], *, size: int, count_up_to: int) -> KeysetPage:
    """The first page of the rows `counted_first_page` read: what `keyset_page` gives
    without a boundary."""
    count = found[0].listed if found else 0
    has_next = len(found) > size
    found = found[:size]
    return KeysetPage(
        object_list=found,
        count=min(count, count_up_to),
        more_than=count > count_up_to,
        previous=None,
        next=_boundary(found[-1], order) if has_next and found else None,
    )


def _boundary(row: Model, order: tuple[str, ...]) -> str:
    values = [_attribute(row, name) for name in order]
    return urlsafe_base64_encode(json.dumps(values, cls=DjangoJSONEncoder).encode())


def _attribute(row: Any, name: str) -> Any:
    """The value of an order's field on a loaded row, through its relations for a related
    field's ("person__name": a placement's person's name)."""
    *path, last = name.split("__")
    for part in path:
        row = getattr(row, part)
    return getattr(row, _field(type(row), last).attname)


def _values(model: type[Model], order: tuple[str, ...], text: str | None) -> list | None:
    if not text:
        return None
    try:
        values = json.loads(urlsafe_base64_decode(text))
        if not isinstance(values, list) or len(values) != len(order):
            return None
        parsed = [
            _field(model, name).to_python(value) for name, value in zip(order, values, strict=True)
        ]
    except (ValueError, TypeError, ValidationError):
        return None
    return None if any(value is None for value in parsed) else parsed


def _beyond(order: tuple[str, ...], values: list, lookup: str) -> Q:
    """Rows after (`gt`) or before (`lt`) the boundary in `order`: (a, b) > (x, y) is
    a > x, or a = x and b > y."""
    condition = Q()
    for i, name in enumerate(order):
        equal = {order[j]: values[j] for j in range(i)}
        condition |= Q(**equal, **{f"{name}__{lookup}": values[i]})
    return condition
