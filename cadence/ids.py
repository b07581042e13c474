"""Ids in addresses, query strings and forms, with the bounds of the database's primary keys.

A number beyond `MAX_ID` cannot name a row (SQL would fail on it, or overflow): the `id` path
converter (registered once, in `CadenceConfig.ready`) makes such an address match no route, so
it is a 404 before any view or API operation runs. Pages write `<id:goal_id>`, the API
`{id:goal_id}`. `parse_id` reads one from a string the same way, `id_in(request.GET, "goal")`
from a query string or a posted form.
"""

MAX_ID = 2**63 - 1  # the largest bigint primary key


def parse_id(value: str) -> int | None:
    """A positive id written in ASCII digits, or None for anything else (empty, "abc", "0",
    "١٢", beyond MAX_ID)."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def id_in(data, name: str) -> int | None:
    """The id under `name` in a query string or a posted form (`request.GET`, `request.POST`),
    read as `parse_id` reads it: None when missing or not an id."""
    return parse_id(data.get(name, ""))


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value) -> str:
        return str(value)
