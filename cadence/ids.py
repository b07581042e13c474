"""Ids in addresses, query strings and forms, with the bounds of the database's primary keys.

A number beyond `MAX_ID` cannot name a row (SQL would fail on it, or overflow): the `id` path
converter (registered once, in `CadenceConfig.ready`) makes such an address match no route, so
it is a 404 before any view or API operation runs. Pages write `<id:goal_id>`, the API
`{id:goal_id}`. `parse_id` reads one from a query string or a form the same way
(`query_id(request, name)`, `posted_id(request, name)`).
"""

MAX_ID = 2**63 - 1  # the largest bigint primary key


def parse_id(value: str) -> int | None:
    """A positive id written in ASCII digits, or None for anything else (empty, "abc", "0",
    "١٢", beyond MAX_ID)."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def query_id(request, name: str) -> int | None:
    """A positive id from the query string (`?team=12`), or None for anything else."""
    return parse_id(request.GET.get(name, ""))


def posted_id(request, name: str) -> int | None:
    """A positive id from a posted form, or None for anything else."""
    return parse_id(request.POST.get(name, ""))


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value) -> str:
        return str(value)
