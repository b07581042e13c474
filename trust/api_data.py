"""My data in the JSON API: every kind of data Cadence holds about you, how many items, and who
can see them (by role and name, derived from the rules), what nobody can see, and the reports
that count you. The same as the page (`trust.data`)."""

from __future__ import annotations

from ninja import Field, Router, Schema

from access.viewer import viewer_of
from access.who import Seen
from trust import data
from trust.data import KindSeen

router = Router(tags=["my data"])


class PersonSeen(Schema):
    id: int
    name: str
    items: int = Field(description="How many of the kind's items this person can see")


class GroupOut(Schema):
    role: str = Field(
        description="The role, as a key: `self`, `manager`, `chain`, `team`, `hr`, `everyone`…"
    )
    label: str = Field(description="The role in words, in your language (“your manager”)")
    everyone: bool = Field(description="Everyone signed in: nobody is named")
    example: bool = Field(
        description="A role nobody is named in yet: you have none of the kind, and this is who "
        "would see one (e.g. who gave it)"
    )
    count: int = Field(description="How many people are in it")
    people: list[PersonSeen] = Field(
        description="The people in it, by name (for a team with the teams within it, the first "
        "50 of `count`)"
    )
    items: int = Field(description="How many of the kind's items this group can see")


class KindOut(Schema):
    key: str = Field(description="The kind, e.g. `goals.private` (as in the access log)")
    label: str
    description: str
    module: str = Field(description="The module it belongs to (empty: you and your job)")
    count: int = Field(description="How many items of this kind you have")
    only_you: bool = Field(description="Nobody else can see it")
    nobody: str = Field(description="What nobody can see of it, Cadence included, or empty")
    seen_by: list[GroupOut] = Field(
        description="Who can see the items (the union over them); with `count` 0, who would see one"
    )


class AggregateOut(Schema):
    key: str
    label: str
    description: str
    count: int = Field(description="How many items of yours it counts (0: you are not in it)")
    read_by: list[GroupOut] | None = Field(
        description="Who reads it where it counts you, worked out from the rules as `seen_by` "
        "is; null where the description says it"
    )


class MyDataOut(Schema):
    kinds: list[KindOut]
    aggregates: list[AggregateOut] = Field(
        description="Reports that count you among others, as a number, never by name"
    )


def _group(line: Seen) -> dict:
    return {
        "role": line.role,
        "label": line.label,
        "everyone": line.everyone,
        "example": line.example,
        "count": line.count,
        "people": [
            {"id": person.pk, "name": person.name, "items": line.items_of[person.pk]}
            for person in line.people
        ],
        "items": line.items,
    }


def _kind(item: KindSeen) -> dict:
    kind = item.kind
    return {
        "key": kind.key,
        "label": str(kind.label),
        "description": str(kind.description),
        "module": kind.module,
        "count": item.count,
        "only_you": item.only_you,
        "nobody": str(kind.nobody),
        "seen_by": [_group(line) for line in item.who.lines],
    }


@router.get("/me/data", response=MyDataOut, summary="Your data and who can see it")
def my_data(request):
    """Every kind of data Cadence holds about you, from every module: how many items, who can
    see them by role and name (worked out from the same rules that decide every page), what
    nobody can see, and the reports that count you without naming you."""
    found = data.my_data(viewer_of(request))
    return {
        "kinds": [_kind(item) for module in found.modules for item in module.kinds],
        "aggregates": [
            {
                "key": counted.aggregate.key,
                "label": str(counted.aggregate.label),
                "description": str(counted.aggregate.description),
                "count": counted.count,
                "read_by": None
                if counted.who is None
                else [_group(line) for line in counted.who.lines],
            }
            for counted in found.aggregates
        ],
    }
