"""What Cadence holds about a person and who can see it: My data's first tab and the API's
`/me/data`, built on the catalogue (`access.catalogue`) and the rules (`access.rules.who`).

For every registered kind: how many items the person has of it (those they may see under the
kind's rule: what their export holds), and who can see them, by role and name, derived from the
rules: the union over the items, with how many of them each role and person sees where that is
not all; for a kind they have none of, the audience of the kind's example about them. Then what
nobody else can see (kinds only they see, and each kind's `nobody`), and the aggregate reports
that count them.

It takes a fixed number of queries, however much the person has: one that counts every kind's
items and every aggregate's (its SQL built once per process) and reads, of each item of a kind
whose rule declares what it reads (`Rules.reads`), those fields as one value, its audience;
one per model of the other kinds the person has items of (with what `who` reads, `for_who`);
and a few for the people in every audience together (`access.who`), with what the rule of an
aggregate's readers reads (a rhythm tally's line manager and team). A kind the person has none
of costs no query. The rules are asked once per distinct audience of a kind, about an object
holding only what they read (`access.audiences`), and that answer counts for its items.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, F, JSONField, Model, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from access import audiences, catalogue, rules
from access.catalogue import Aggregate, DataKind
from access.rules import VIEW
from access.who import WhoSees, who_sees
from cadence.modules import MODULES
from cadence.prepared import stand_in_ids, with_values

if TYPE_CHECKING:
    from access.viewer import Viewer

MODULE_LABELS: dict[str, StrOrPromise] = {module.key: module.label for module in MODULES}
# Kinds that belong to no module that can be switched off: the person and their job.
YOU = _("You and your job")


@dataclass
class KindSeen:
    """One kind of data about the person, and who can see it."""

    kind: DataKind
    count: int  # how many items the person has of it
    who: WhoSees  # who can see them (the example, when `count` is 0)

    @property
    def from_example(self) -> bool:
        return self.count == 0

    @property
    def only_you(self) -> bool:
        """Nobody else can see it."""
        return self.who.only_reader


@dataclass
class ModuleSeen:
    key: str
    label: StrOrPromise
    kinds: list[KindSeen]


@dataclass
class Counted:
    """An aggregate report, how many times it counts the person, and who reads it where it
    does (None: its description says)."""

    aggregate: Aggregate
    count: int
    who: WhoSees | None = None


@dataclass
class MyData:
    modules: list[ModuleSeen]
    only_you: list[KindSeen]  # kinds nobody else can see
    nobody: list[KindSeen]  # kinds with something nobody can see, Cadence included
    aggregates: list[Counted]  # the reports that count the person


def my_data(viewer: Viewer) -> MyData:
    """What Cadence holds about the viewer, kind by kind, and who can see it."""
    me = viewer.person
    assert me is not None, "My data is for someone signed in"
    # The items they may see under the kind's own rule, as their export holds them (a 360
    # cycle still in draft is not theirs to see yet, nor a 360 report before its release),
    # decided on the loaded items: they are loaded with what the rules read (`for_who`).
    counts = _counts(me.pk)
    loaded = _about(me.pk, counts.kinds)
    # Each kind's items the person may see, as (object, how many items it stands for).
    standing = _stand_ins(counts.audiences)
    held: list[tuple[DataKind, list[tuple[Model, int]], int]] = []
    for kind in catalogue.registered():
        total = counts.kinds[kind.key]
        if kind.same_audience:
            # Its items were counted, not loaded: its example stands for every one of them.
            if total and kind.example and rules.can(viewer, kind.action, kind.example(me)):
                held.append((kind, [], total))
            else:
                held.append((kind, [], 0))
            continue
        if kind.key in loaded:
            items = [(obj, 1) for obj in loaded[kind.key]]
        else:
            items = standing.get(kind.key, [])
        items = [(obj, number) for obj, number in items if rules.can(viewer, kind.action, obj)]
        held.append((kind, items, sum(number for _obj, number in items)))
    questions: list[tuple[Model, str]] = []
    for kind, items, _count in held:
        shown = [obj for obj, _number in items]
        if not shown and kind.example is not None:
            shown = [kind.example(me)]
        questions += [(obj, kind.action) for obj in shown]
    aggregates = catalogue.aggregates()
    read_by = [a.readers(me) for a in aggregates if a.readers is not None]
    questions += [(obj, VIEW) for obj in read_by]  # asked with the kinds: no query more
    resolved = rules.who_asked(questions)
    answers = iter(resolved)
    # Each group's words, worked out once for all kinds (`who.seen`): known by the group's
    # id, which `resolved` keeps alive until the last kind is done.
    words: dict[int, tuple[Any, ...]] = {}
    kinds: list[KindSeen] = []
    for kind, items, count in held:
        asked = [next(answers) for _ in range(len(items) or (kind.example is not None))]
        # An answer stands for as many items as share its audience; a kind whose items all
        # share one was asked about once, for every item (never a list as long as the log).
        if items:
            times: int | list[int] = [number for _obj, number in items]
        else:
            times = max(count, 1) if kind.same_audience and asked else 1
        kinds.append(KindSeen(kind, count, who_sees(asked, me, times=times, words=words)))
    counted = [
        Counted(
            a,
            counts.aggregates.get(a.key, 0),
            None if a.readers is None else who_sees([next(answers)], me, words=words),
        )
        for a in aggregates
    ]
    return MyData(
        modules=_by_module(kinds),
        only_you=[k for k in kinds if k.only_you],
        nobody=[k for k in kinds if k.kind.nobody],
        aggregates=counted,
    )


def _stand_ins(found: dict[str, list[tuple[str, int]]]) -> dict[str, list[tuple[Model, int]]]:
    """For each kind whose rule declares what it reads, one object per distinct audience of
    the person's items (what the rule reads, and nothing else), with how many items have it;
    the lists of related objects the rules read (a plan's shares) loaded for all at once."""
    standing: dict[str, list[tuple[Model, int]]] = {}
    lists = []
    for key, values in found.items():
        kind = catalogue.get(key)
        reads = _reads(kind)
        assert reads is not None
        standing[key] = [
            (audiences.stand_in(kind.model, reads, value), number) for value, number in values
        ]
        lists.append((kind.model, reads, [obj for obj, _number in standing[key]]))
    audiences.load_lists(lists)
    return standing


def _reads(kind: DataKind) -> tuple[str, ...] | None:
    """What the kind's rule reads of its items (None: not declared, its items are loaded)."""
    return None if kind.same_audience else rules.rules_for(kind.model).reads


def _about(person_id: int, counts: dict[str, int]) -> dict[str, list[Model]]:
    """The items about the person of every kind whose rule does not declare what it reads,
    loaded with what the rules read. Only the kinds the person has items of (`counts`) are
    loaded, one query for all the kinds of a model whose subject is one of its own fields (a
    person's goals, by visibility) or the same field of a related one (all
    `assessment__subject`)."""
    queries: dict[object, list[DataKind]] = {}
    found: dict[str, list[Model]] = {}
    for kind in catalogue.registered():
        if kind.same_audience or _reads(kind) is not None:
            continue
        if not counts[kind.key]:
            found[kind.key] = []
            continue
        group = kind.model if "__" not in kind.subject else (kind.model, kind.subject)
        queries.setdefault(group, []).append(kind)
    for kinds in queries.values():
        first = kinds[0]
        if len(kinds) == 1:
            found[first.key] = list(rules.for_who(first.about_pk(person_id)))
            continue
        either = Q()
        for kind in kinds:
            either |= kind.about_q(person_id)
        lists: dict[str, list[Model]] = {kind.key: [] for kind in kinds}
        for obj in rules.for_who(first.model._default_manager.filter(either)):
            for kind in kinds:
                # Loaded by a related field, every object is about the person.
                if kind.matches(obj) and (
                    "__" in kind.subject or kind.subject_of(obj) == person_id
                ):
                    lists[kind.key].append(obj)
        found.update(lists)
    return found


@dataclass
class _Counts:
    kinds: dict[str, int]  # how many items of each kind there are about the person
    aggregates: dict[str, int]  # how many of their items each aggregate counts
    # For a kind whose rule declares what it reads: each distinct audience of its items (the
    # JSON of what the rule reads) and how many items have it, in the order of the items.
    audiences: dict[str, list[tuple[str, int]]]


def _counts(person_id: int) -> _Counts:
    """How many items of each registered kind there are about the person, how many of theirs
    each aggregate counts, and the audiences of the items of kinds whose rules declare what
    they read, in one query (a UNION ALL of one part per kind and per part of an aggregate):
    most people have none of most kinds, and a kind they have none of needs no queryset
    built, no object loaded."""
    sql, params = _counting()
    none = {kind.key: 0 for kind in catalogue.registered()}
    counts = _Counts(kinds=none, aggregates={}, audiences={})
    items: dict[str, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, with_values(params, {_SOMEONE: person_id}))
        for of, key, audience, number in cursor.fetchall():
            if of == "item":
                if not isinstance(audience, str):  # a backend that decodes JSON itself
                    audience = json.dumps(audience, sort_keys=True)
                items.setdefault(key, []).append((number, audience))
                continue
            found = counts.kinds if of == "kind" else counts.aggregates
            found[key] = found.get(key, 0) + number
    for key, rows in items.items():
        rows.sort()  # by the item's place in its model's order: "who" lists roles as they come
        by_audience: dict[str, int] = {}
        for _place, audience in rows:
            by_audience[audience] = by_audience.get(audience, 0) + 1
        counts.kinds[key] = len(rows)
        counts.audiences[key] = list(by_audience.items())
    return counts


# An id nobody has, standing for the person in the counting query's parameters.
[_SOMEONE] = stand_in_ids(1)
_counting_queries: dict[str, tuple[list[object], str, list[Any]]] = {}


def _counting() -> tuple[str, list[Any]]:
    """The counting query's SQL and parameters, with `_SOMEONE` for the person. Its SQL is the
    same for everyone, so it is built once per database and set of kinds and aggregates:
    building a queryset for each on every request cost more than running the query."""
    kinds, aggregates = catalogue.registered(), catalogue.aggregates()
    every: list[object] = [*kinds, *aggregates, *(_reads(kind) for kind in kinds)]
    built = _counting_queries.get(connection.vendor)
    if built is None or built[0] != every:
        parts = [_part(kind) for kind in kinds] + [
            _count("aggregate", a.key, part) for a in aggregates for part in a.counted(_SOMEONE)
        ]
        sql, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
        built = (every, sql, list(params))
        _counting_queries[connection.vendor] = built
    return built[1], built[2]


def _part(kind: DataKind) -> QuerySet[Any]:
    """The kind's part of the counting query: how many items, or, where its rule declares what
    it reads, one row per item with that (its audience) and its place in the model's order."""
    items = kind.about_pk(_SOMEONE)
    reads = _reads(kind)
    if reads is None:
        return _count("kind", kind.key, items)
    return items.order_by().values(
        of=Value("item"),
        key=Value(kind.key),
        audience_of=audiences.expression(kind.model, reads),
        n=Window(RowNumber(), order_by=_order(kind.model)),
    )


def _order(model: type[Model]) -> list[Any]:
    """The model's order (as the items are loaded), then by id."""
    order: list[Any] = []
    for field in model._meta.ordering or ():
        if isinstance(field, str):
            if field != "?":
                desc = field.startswith("-")
                order.append(F(field.removeprefix("-")).desc() if desc else F(field).asc())
        else:
            order.append(field)
    return [*order, F("pk").asc()]


def _count(of: str, key: str, items: QuerySet[Any]) -> QuerySet[Any]:
    return (
        items.order_by()
        .values(of=Value(of), key=Value(key), audience_of=Value(None, output_field=JSONField()))
        .annotate(n=Count("*"))
    )


def _by_module(kinds: Sequence[KindSeen]) -> list[ModuleSeen]:
    modules: dict[str, ModuleSeen] = {}
    for kind in kinds:
        key = kind.kind.module
        if key not in modules:
            modules[key] = ModuleSeen(key, MODULE_LABELS.get(key, YOU) if key else YOU, [])
        modules[key].kinds.append(kind)
    return list(modules.values())
