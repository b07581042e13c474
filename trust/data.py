"""What Cadence holds about a person and who can see it: My data's first tab and the API's
`/me/data`, built on the catalogue (`access.catalogue`) and the rules (`access.rules.who`).

For every registered kind: how many items the person has of it (those they may see under the
kind's rule: what their export holds), and who can see them, by role and name, derived from the
rules: the union over the items, with how many of them each role and person sees where that is
not all; for a kind they have none of, the audience of the kind's example about them. Then what
nobody else can see (kinds only they see, and each kind's `nobody`), and the aggregate reports
that count them.

It takes a fixed number of queries, however much the person has: one that counts every kind's
items and every aggregate's (its SQL built once per process), one per model the person has
items of (with what `who` reads, `for_who`), and a few for the people in every audience
together (`access.who`), with what the rule of an aggregate's readers reads (a rhythm tally's
line manager and team). A kind the person has none of costs no query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from access import catalogue, rules
from access.catalogue import Aggregate, DataKind
from access.rules import VIEW
from access.who import WhoSees, who_sees
from cadence.modules import MODULES

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
    held: list[tuple[DataKind, list[Model], int]] = []
    for kind in catalogue.registered():
        items, total = loaded[kind.key]
        if kind.same_audience:
            # Its items were counted, not loaded: its example stands for every one of them.
            count = (
                total if kind.example and rules.can(viewer, kind.action, kind.example(me)) else 0
            )
            held.append((kind, [], count))
            continue
        items = [obj for obj in items if rules.can(viewer, kind.action, obj)]
        held.append((kind, items, len(items)))
    questions: list[tuple[Model, str]] = []
    for kind, items, _count in held:
        shown = items or ([kind.example(me)] if kind.example is not None else [])
        questions += [(obj, kind.action) for obj in shown]
    aggregates = catalogue.aggregates()
    read_by = [a.readers(me) for a in aggregates if a.readers is not None]
    questions += [(obj, VIEW) for obj in read_by]  # asked with the kinds: no query more
    answers = iter(rules.who_asked(questions))
    kinds: list[KindSeen] = []
    for kind, items, count in held:
        asked = [next(answers) for _ in range(len(items) or (kind.example is not None))]
        # A kind whose items share one audience was asked about once: that answer stands for
        # every item, so that each group's count is per item (never a list as long as the log).
        times = max(count, 1) if kind.same_audience and asked else 1
        kinds.append(KindSeen(kind, count, who_sees(asked, me, times=times)))
    counted = [
        Counted(
            a,
            counts.aggregates.get(a.key, 0),
            None if a.readers is None else who_sees([next(answers)], me),
        )
        for a in aggregates
    ]
    return MyData(
        modules=_by_module(kinds),
        only_you=[k for k in kinds if k.only_you],
        nobody=[k for k in kinds if k.kind.nobody],
        aggregates=counted,
    )


def _about(person_id: int, counts: dict[str, int]) -> dict[str, tuple[list[Model], int]]:
    """Every registered kind's items about the person, loaded with what the rules read, and
    how many there are. Only the kinds the person has items of (`counts`) are loaded, one
    query for all the kinds of a model whose subject is one of its own fields (a person's
    goals, by visibility) or the same field of a related one (their self, manager and agreed
    ratings, all `assessment__subject`). A kind whose items all have the same audience (the
    person's access log) is counted, never loaded."""
    queries: dict[object, list[DataKind]] = {}
    found: dict[str, tuple[list[Model], int]] = {}
    for kind in catalogue.registered():
        if kind.same_audience or not counts[kind.key]:
            found[kind.key] = ([], counts[kind.key])
            continue
        group = kind.model if "__" not in kind.subject else (kind.model, kind.subject)
        queries.setdefault(group, []).append(kind)
    for kinds in queries.values():
        first = kinds[0]
        if len(kinds) == 1:
            items = list(rules.for_who(first.about_pk(person_id)))
            found[first.key] = (items, len(items))
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
        found.update({key: (items, len(items)) for key, items in lists.items()})
    return found


@dataclass
class _Counts:
    kinds: dict[str, int]  # how many items of each kind there are about the person
    aggregates: dict[str, int]  # how many of their items each aggregate counts


def _counts(person_id: int) -> _Counts:
    """How many items of each registered kind there are about the person, and how many of
    theirs each aggregate counts, in one query (a UNION ALL of one count per kind and per
    part of an aggregate): most people have none of most kinds, and a kind they have none of
    needs no queryset built, no query and no object loaded."""
    sql, params = _counting()
    counts = _Counts(kinds={}, aggregates={})
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id if value == _SOMEONE else value for value in params])
        for of, key, number in cursor.fetchall():
            found = counts.kinds if of == "kind" else counts.aggregates
            found[key] = found.get(key, 0) + number
    return counts


# An id nobody has, standing for the person in the counting query's parameters.
_SOMEONE = -7_302_519_468
_counting_queries: dict[str, tuple[list[object], str, list[Any]]] = {}


def _counting() -> tuple[str, list[Any]]:
    """The counting query's SQL and parameters, with `_SOMEONE` for the person. Its SQL is the
    same for everyone, so it is built once per database and set of kinds and aggregates:
    building a queryset for each on every request cost more than running the query."""
    kinds, aggregates = catalogue.registered(), catalogue.aggregates()
    every: list[object] = [*kinds, *aggregates]
    built = _counting_queries.get(connection.vendor)
    if built is None or built[0] != every:
        parts = [_count("kind", kind.key, kind.about_pk(_SOMEONE)) for kind in kinds] + [
            _count("aggregate", a.key, part) for a in aggregates for part in a.counted(_SOMEONE)
        ]
        sql, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
        built = (every, sql, list(params))
        _counting_queries[connection.vendor] = built
    return built[1], built[2]


def _count(of: str, key: str, items: QuerySet[Any]) -> QuerySet[Any]:
    return items.order_by().values(of=Value(of), key=Value(key)).annotate(n=Count("*"))


def _by_module(kinds: Sequence[KindSeen]) -> list[ModuleSeen]:
    modules: dict[str, ModuleSeen] = {}
    for kind in kinds:
        key = kind.kind.module
        if key not in modules:
            modules[key] = ModuleSeen(key, MODULE_LABELS.get(key, YOU) if key else YOU, [])
        modules[key].kinds.append(kind)
    return list(modules.values())
