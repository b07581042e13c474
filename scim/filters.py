"""SCIM filters (RFC 7644 §3.4.2.2) as SQL: the comparisons identity providers send to find
whom they provision, parsed by scim2-models and turned into a `Q`. Anything else is refused
with `invalidFilter`, never read as "everyone".

Users: `userName`, `externalId`, `emails`/`emails.value` (also `emails[type eq "work" and
value eq …]`), `displayName`, `id` and `active`; Groups: `displayName`, `externalId`, `id`.
`eq` compares as the RFC says for each attribute: `externalId` case-exact, the rest not.
Combined with `and`, `or` and `not`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path.expressions import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    ValuePath,
)

from people.models import current_q
from scim.groups import team_pk

Lookup = Callable[[Any], Q]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidFilterException(detail="Compare this attribute with a string.")
    return value


def _pk(value: Any) -> Q:
    text = str(value)
    return Q(pk=int(text)) if text.isdigit() else Q(pk__in=[])


def _group_pk(value: Any) -> Q:
    """A group's id is "team-<pk>" (`scim.groups.group_id`), never a user's bare number."""
    number = team_pk(str(value))
    return Q(pk=number) if number is not None else Q(pk__in=[])


def _active(value: Any) -> Q:
    """As a user's `active` is served: their account is on and they have not left."""
    if not isinstance(value, bool):
        raise InvalidFilterException(detail="Compare active with true or false.")
    on = Q(is_active=True) & current_q()
    return on if value else ~on


def _user_name(value: Any) -> Q:
    text = _text(value)
    return Q(scim__user_name__iexact=text) | Q(scim__isnull=True, email__iexact=text)


USERS: dict[str, Lookup] = {
    "id": _pk,
    "username": _user_name,
    "externalid": lambda value: Q(scim__external_id=_text(value)),
    "emails": lambda value: Q(email__iexact=_text(value)),
    "emails.value": lambda value: Q(email__iexact=_text(value)),
    "displayname": lambda value: Q(name__iexact=_text(value)),
    "active": _active,
}
GROUPS: dict[str, Lookup] = {
    "id": _group_pk,
    "displayname": lambda value: Q(name__iexact=_text(value)),
    "externalid": lambda value: Q(scim__external_id=_text(value)),
}


def _name(attr_path: AttrPath) -> str:
    name = attr_path.attr if not attr_path.sub_attr else f"{attr_path.attr}.{attr_path.sub_attr}"
    return name.lower()


def _q(node: FilterNode, lookups: dict[str, Lookup], prefix: str = "") -> Q:
    if isinstance(node, LogicalExpr):
        terms = [_q(term, lookups, prefix) for term in node.terms]
        combined = terms[0]
        for term in terms[1:]:
            combined = combined & term if node.op == LogicalOperator.and_ else combined | term
        return combined
    if isinstance(node, Not):
        return ~_q(node.expr, lookups, prefix)
    if isinstance(node, ValuePath) and _name(node.attr_path) == "emails" and lookups is USERS:
        return _q(node.val_filter, lookups, "emails.")
    if isinstance(node, Comparison):
        name = prefix + _name(node.attr_path)
        if prefix and name == "emails.type":
            if str(node.value).lower() != "work" or node.op != CompareOperator.eq:
                return Q(pk__in=[])  # a person has a work address only
            return Q()
        if node.op != CompareOperator.eq or name not in lookups:
            raise InvalidFilterException(detail=f"Cadence does not filter by “{node}”.")
        return lookups[name](node.value)
    raise InvalidFilterException(detail=f"Cadence does not filter by “{node}”.")


def to_q(text: str, lookups: dict[str, Lookup]) -> Q:
    """The filter `text` as a condition, or `invalidFilter`."""
    try:
        parsed: ScimFilter[Any] = ScimFilter(text)
    except ValueError as error:
        raise InvalidFilterException(detail=str(error)) from None
    return _q(parsed.ast, lookups)
