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
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet


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
