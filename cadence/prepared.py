"""A queryset's SQL compiled once and run again, giving the same model instances.

Where a page reads rows through the rules (`access.rules.visible`), building the queryset and
compiling its SQL often costs far more than running it: a few rows of a waiting source cost
1-2 ms of Python against 0.05 ms in the database. `Prepared.of(queryset)` compiles it once and
keeps what turning its rows into model instances needs (the selected columns, the related
objects of `select_related`, annotations, the database's converters); `run()` executes the SQL
with the same parameters and builds what iterating the queryset would have built:

    prepared = Prepared.of(visible(viewer, Conversation).select_related("employee")[:5])
    prepared.run()  # == list(that queryset), without building or compiling it again

What the SQL says is fixed when it is prepared: the parameters (the viewer's id, today, a
time) are its own, so whoever keeps one keys it by everything that went into it
(`cadence.waiting.kept_rows` keeps them per viewer state and day, for a few minutes). Only querysets
of model instances (no `values()`), without known related objects (not from a related manager).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import ForeignKey, Model, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.db.models.query import (
    ModelIterable,
    RelatedPopulator,
    ValuesIterable,
    get_related_populators,
)

ModelT = TypeVar("ModelT", bound=Model)


@dataclass(frozen=True)
class Prepared(Generic[ModelT]):
    """One queryset's SQL and how to make its rows instances (see the module)."""

    sql: str | None  # None: it can select nothing (`none()`, an empty `IN`)
    params: tuple[Any, ...]
    using: str
    model: type[ModelT]
    init_list: tuple[str, ...]  # the model's own columns' attnames, in the row's order
    fields: slice  # where they are in the row
    related: tuple[RelatedPopulator, ...]  # select_related's objects
    annotations: tuple[tuple[str, int], ...]  # (name, position)
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (position, functions, column)
    width: int | None  # the row's columns to keep (ordering may select more)
    prefetch: tuple[Any, ...]  # prefetch_related's lookups, run after (their own queries)
    # Those that are a reverse foreign key's, with their SQL kept per number of rows
    # (`KeptPrefetch`), where `prefetch_related_objects` would build it each time.
    kept_prefetch: tuple[Any, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, queryset: QuerySet[ModelT]) -> Prepared[ModelT]:
        if queryset._iterable_class is not ModelIterable:
            raise ValueError("Only querysets of model instances can be prepared")
        if getattr(queryset, "_known_related_objects", None):
            raise ValueError("A related manager's queryset cannot be prepared")
        using = queryset.db
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
        prefetch = tuple(getattr(queryset, "_prefetch_related_lookups", ()))
        kept_prefetch = tuple(KeptPrefetch.of(queryset.model, lookup) for lookup in prefetch)
        if not sql:
            return cls(None, (), using, queryset.model, (), slice(0), (), (), (), None, prefetch)
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        columns = [column for column, _sql, _alias in select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("Composite fields are not supported")
        return cls(
            sql=sql,
            params=tuple(params),
            using=using,
            model=klass_info["model"],
            init_list=tuple(column.target.attname for column, _s, _a in select[first:last]),
            fields=slice(first, last),
            # (django-stubs describe a later Django's signature)
            related=tuple(get_related_populators(klass_info, select, using)),  # type: ignore[call-arg]
            annotations=tuple((compiler.annotation_col_map or {}).items()),
            converters=tuple(
                (position, tuple(functions), column)
                for position, (functions, column) in compiler.get_converters(columns).items()
            ),
            width=compiler.col_count if compiler.has_extra_select else None,
            prefetch=prefetch,
            kept_prefetch=kept_prefetch,
        )

    def run(self, params: Sequence[Any] | None = None) -> list[ModelT]:
        """The queryset's rows, as iterating it would give them (one query, and one per
        prefetched relation). `params`: the SQL's parameters in place of its own (the same
        statement for other values: `with_values`)."""
        if self.sql is None:
            return []
        found = []
        init_list, fields = list(self.init_list), self.fields
        params = self.params if params is None else params
        for row in _converted_rows(self.using, self.sql, params, self.converters, self.width):
            obj = self.model.from_db(self.using, init_list, row[fields])
            for populator in self.related:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        if self.prefetch and found:
            rest = []
            for lookup, kept in zip(self.prefetch, self.kept_prefetch, strict=True):
                if kept is None:
                    rest.append(lookup)
                else:
                    kept.run(found)
            if rest:
                prefetch_related_objects(found, *rest)
        return found


@dataclass(frozen=True)
class KeptPrefetch:
    """A reverse foreign key's `prefetch_related` lookup (a goal's key results) whose SQL is
    kept per number of parent rows: `prefetch_related_objects` builds and compiles the same
    query on every run (3-4 ms on a list of 35 goals, against 0.3 ms to run it). It gives what
    that gives: each parent's related manager answering from the rows loaded, each row's
    foreign key pointing at its parent."""

    lookup: Prefetch
    name: str  # the parent's attribute: its related manager
    fk: ForeignKey[Any, Any]  # the rows' foreign key to the parent
    queryset: QuerySet[Any]
    sql: dict[int, Prepared[Any] | None] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, model: type[Model], lookup: Any) -> KeptPrefetch | None:
        """One for `lookup` when it is a single reverse foreign key's to the parent's primary
        key (with a queryset of its own, neither sliced nor prefetching further), else None:
        `prefetch_related_objects` runs it."""
        if isinstance(lookup, str):
            lookup = Prefetch(lookup)
        if not isinstance(lookup, Prefetch) or lookup.to_attr or "__" in lookup.prefetch_to:
            return None
        descriptor = getattr(model, lookup.prefetch_to, None)
        if type(descriptor) is not ReverseManyToOneDescriptor:
            return None
        fk = descriptor.field
        if not isinstance(fk, ForeignKey) or fk.target_field != model._meta.pk:
            return None
        queryset = lookup.queryset
        if queryset is None:
            queryset = fk.model._default_manager.all()
        if (
            queryset.query.is_sliced
            or getattr(queryset, "_prefetch_related_lookups", ())
            or queryset._iterable_class is not ModelIterable
        ):
            return None
        return cls(lookup, lookup.prefetch_to, fk, queryset)

    def run(self, parents: list[Any]) -> None:
        ids = tuple(dict.fromkeys(parent.pk for parent in parents))
        if len(ids) not in self.sql:
            prepared: Prepared[Any] | None = Prepared.of(
                self.queryset.filter(**{f"{self.fk.name}__in": ids})
            )
            if prepared is not None and (prepared.params != ids or prepared.prefetch):
                prepared = None  # something else in the SQL's parameters: not kept
            if len(self.sql) < KEPT_PREFETCH_SIZES:
                self.sql[len(ids)] = prepared
        else:
            prepared = self.sql[len(ids)]
        if prepared is None:
            prefetch_related_objects(parents, self.lookup)
            return
        by_parent: dict[Any, list[Any]] = {}
        instances = {parent.pk: parent for parent in parents}
        attname, fk = self.fk.attname, self.fk
        for row in prepared.run(ids):
            parent_id = getattr(row, attname)
            if not fk.is_cached(row):
                fk.set_cached_value(row, instances[parent_id])
            by_parent.setdefault(parent_id, []).append(row)
        cache_name = fk.remote_field.cache_name
        for parent in parents:
            if not hasattr(parent, "_prefetched_objects_cache"):
                parent._prefetched_objects_cache = {}
            manager = getattr(parent, self.name)
            rows = manager._apply_rel_filters(self.queryset)
            rows._result_cache = by_parent.get(parent.pk, [])
            rows._prefetch_done = True
            parent._prefetched_objects_cache[cache_name] = rows


# How many numbers of parent rows a kept prefetch keeps SQL for (a list's pages: up to 50).
KEPT_PREFETCH_SIZES = 64


@dataclass(frozen=True)
class PreparedValues:
    """A `values()` queryset's SQL (grouped counts, a latest date per pair) and how to make its
    rows the dicts iterating it gives, kept as `Prepared` keeps one of model instances."""

    sql: str | None  # None: it can select nothing
    params: tuple[Any, ...]
    using: str
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (position, functions, column)

    @classmethod
    def of(cls, queryset: QuerySet[Any]) -> PreparedValues:
        if queryset._iterable_class is not ValuesIterable:
            raise ValueError("Only values() querysets can be prepared as values")
        query, using = queryset.query, queryset.db
        names = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(None, (), using, names, ())
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("Composite fields are not supported")
        converters = tuple(
            (position, tuple(functions), column)
            for position, (functions, column) in compiler.get_converters(columns).items()
        )
        return cls(sql, tuple(params), using, names, converters)

    def run(self, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """The queryset's rows, as iterating it would give them (one query); `params` as for
        `Prepared.run`."""
        if self.sql is None:
            return []
        params = self.params if params is None else params
        rows = _converted_rows(self.using, self.sql, params, self.converters, len(self.names))
        return [dict(zip(self.names, row, strict=True)) for row in rows]


def with_values(params: Sequence[Any], values: Mapping[Any, Any]) -> list[Any]:
    """A prepared statement's parameters with each one that is a key of `values` replaced by
    its value: SQL prepared once with stand-in values that no row has (ids below any id) is
    run for the real ones, as `trust.data`'s counting query is for the person's id."""
    return [values.get(value, value) if type(value) is int else value for value in params]


def _converted_rows(
    using: str, sql: str, params: Sequence[Any], converters: tuple[Any, ...], width: int | None
) -> list[list[Any]]:
    """The query's rows (the first `width` columns, or all), each value through the database's
    converters as the queryset's iteration would pass it."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows = []
    for found in fetched:
        row = list(found[:width] if width else found)
        for position, functions, column in converters:
            value = row[position]
            for function in functions:
                value = function(value, column, connection)
            row[position] = value
        rows.append(row)
    return rows


# Ids no row has (below any), standing for real ones in SQL prepared once and run with those
# (`with_values`): `ById`'s id, the people and teams `access.who` names.
_STAND_IN = -7_302_519_468_000


def stand_in_ids(count: int, after: int = 0) -> list[int]:
    """`count` ids no row has, distinct from the `after` ones before them."""
    return [_STAND_IN - after - number for number in range(count)]


_SOME_ID = stand_in_ids(1)[0]


class ById(Generic[ModelT]):
    """A queryset of the rows of one id, `build(id)`: an object by its primary key, a list by
    its foreign key. Its SQL is prepared once per process (`Prepared`), with an id
    no row has, and run with each id in its place: for the few rows of one conversation,
    building and compiling the query cost 1-3 ms, running it 0.1. `build` must read nothing
    but the id (no viewer, no time): the same SQL serves every request.

        NOTES = ById(lambda pk: Note.objects.filter(conversation_id=pk).select_related("author"))
        NOTES.run(conversation.pk)
    """

    def __init__(self, build: Callable[[int], QuerySet[ModelT]]) -> None:
        self.build = build
        self._prepared: Prepared[ModelT] | None = None

    def run(self, pk: int) -> list[ModelT]:
        prepared = self._prepared
        if prepared is None:
            prepared = Prepared.of(self.build(_SOME_ID))
            if _SOME_ID not in prepared.params:
                raise ValueError("The id is not a parameter of the prepared SQL")
            self._prepared = prepared
        return prepared.run(with_values(prepared.params, {_SOME_ID: pk}))
