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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
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
            prefetch_related_objects(found, *self.prefetch)
        return found


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
