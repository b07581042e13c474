"""Asking the rules once per audience, not once per object: for My data, which asks who can see
every item a person has.

A rule may declare what its `can` and `who` read of an object (`Rules.reads`), for the actions
the catalogue's kinds of its model ask, with what the words of `who`'s groups read: fields,
following relations with "__" as in a filter ("employee__team__path"; a relation alone,
"manager", is its id), and lists of related objects ("shares", "plan__shares"). Objects whose
declared fields are equal are then seen by the same people, whoever asks: the rules need only
be asked about one of them. My data reads, in SQL, the declared fields of each item as one JSON
value (`expression`), groups the items by it and asks about one `stand_in` per group: an unsaved
object holding those values only, with the related objects they follow and the lists they name
(`load_lists`: one query per list for every stand-in; a list's owner's id is among the values,
so that items grouped together have the same list).

Safe by construction: on a stand-in every field not declared is deferred, and reading one
raises `UndeclaredRead` (its id, where not declared: AttributeError; never a query, never a
default), so a rule that reads more than it declares fails on My data rather than give one
item's answer to another. `access/tests/test_reads.py` walks every registered kind whose rule
declares what it reads and checks, for every viewer, that the rules answer the same about each
item's stand-in as about the item itself, in no more queries.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import DEFERRED, F, Field, Model, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.utils import timezone


class UndeclaredRead(Exception):
    """A rule read a field of a stand-in that its `reads` does not declare."""


def columns(model: type[Model], reads: Iterable[str]) -> dict[str, Field[Any, Any]]:
    """Every column the declared `reads` need, by lookup ("employee", "employee__team__path"),
    with the field that reads its value: each relation on a path is a column too (its id), and
    so is the id of the object that has a list of related objects a rule reads (`lists`)."""
    found: dict[str, Field[Any, Any]] = {}
    for read in reads:
        current = model
        names = read.split("__")
        for depth, name in enumerate(names):
            field: Any = current._meta.pk if name == "pk" else current._meta.get_field(name)
            key = "__".join([*names[:depth], field.name])
            last = depth == len(names) - 1
            if field.is_relation and (field.one_to_many or field.many_to_many) and last:
                if depth == 0:  # the object's own list: its id tells whose
                    found[model._meta.pk.name] = model._meta.pk
                break
            if not field.concrete or (
                field.is_relation and not (field.many_to_one or field.one_to_one)
            ):
                raise ValueError(
                    f"{model.__name__}.reads: {read!r} is not a field or a relation to one"
                )
            if field.is_relation:
                found[key] = field.target_field
                current = field.related_model
            else:
                if not last:
                    raise ValueError(f"{model.__name__}.reads: {read!r} goes through a value")
                found[key] = field
    return found


def lists(model: type[Model], reads: Iterable[str]) -> list[tuple[str, str]]:
    """The lists of related objects the `reads` name (a plan's shares: "shares", or
    "plan__shares" from one of its actions), as (the path to the object that has it, the
    list's name): loaded on the stand-ins by `load_lists`."""
    found = []
    for read in reads:
        *path, name = read.split("__")
        if name == "pk":
            continue
        current = model
        for step in path:
            current = current._meta.get_field(step).related_model  # type: ignore[assignment]
        field: Any = current._meta.get_field(name)
        if field.is_relation and (field.one_to_many or field.many_to_many):
            accessor = field.name if field.concrete else field.get_accessor_name()
            found.append(("__".join(path), accessor))
    return found


def load_lists(stand_ins: Iterable[tuple[type[Model], Iterable[str], Sequence[Model]]]) -> None:
    """Load the lists of related objects that the stand-ins' `reads` name, one query for each
    list of each model for all of them together (a plan's shares: for the stand-ins of a plan,
    of its actions and of its active periods at once)."""
    owners: dict[tuple[type[Model], str], dict[int, Model]] = {}
    for model, reads, objects in stand_ins:
        for path, name in lists(model, reads):
            for obj in objects:
                owner: Any = obj
                for step in path.split("__") if path else ():
                    owner = getattr(owner, step)
                if owner is not None:
                    owners.setdefault((type(owner), name), {})[id(owner)] = owner
    for (_model, name), found in owners.items():
        prefetch_related_objects(list(found.values()), name)


def expression(model: type[Model], reads: Iterable[str]) -> JSONObject:
    """The declared fields of an object as one JSON value, in SQL: equal for objects with the
    same audience (its text is what My data groups by)."""
    return JSONObject(**{key: F(key) for key in columns(model, reads)})


def stand_in(model: type[Model], reads: Iterable[str], value: str | Mapping[str, Any]) -> Model:
    """An unsaved object of `model` holding the declared fields' values (the JSON of
    `expression`) and nothing else: reading any other field raises `UndeclaredRead`."""
    recipe = _recipe(model, tuple(reads))
    values = json.loads(value) if isinstance(value, str) else value
    typed = {key: _python(field, values[key]) for key, field in recipe.columns.items()}
    return _build(recipe.root, typed)


@dataclass(frozen=True)
class _Part:
    """How to build one object of a stand-in (the stand-in, or a related object it holds) from
    the typed values by lookup: worked out once per model and reads (`_recipe`)."""

    model: type[Model]
    attnames: tuple[str, ...]  # the columns it holds, in the model's order
    # Where each one's value goes among all the model's columns (the others deferred: handed
    # to `from_db` in full, which then need not work out where), and its lookup (a related
    # object's id: the relation's).
    slots: tuple[tuple[int, str], ...]
    # The related objects it holds: (the relation, the lookup of its id, how to build it).
    related: tuple[tuple[Any, str, _Part], ...]


@dataclass(frozen=True)
class _Recipe:
    columns: dict[str, Field[Any, Any]]
    root: _Part


@functools.cache
def _recipe(model: type[Model], reads: tuple[str, ...]) -> _Recipe:
    found = columns(model, reads)
    return _Recipe(columns=found, root=_part(model, "", found))


def _part(model: type[Model], prefix: str, found: Mapping[str, Any]) -> _Part:
    here = {
        key.removeprefix(prefix): key
        for key in found
        if key.startswith(prefix) and "__" not in key.removeprefix(prefix)
    }
    opts = model._meta
    keys: dict[str, str] = {}  # attname -> lookup
    related = []
    for name, key in here.items():
        field: Any = opts.get_field(name)
        keys[field.attname] = key
        if field.is_relation:
            related.append(
                (field, key, _part(field.related_model, f"{prefix}{field.name}__", found))
            )
    if prefix and opts.pk.attname not in keys:
        # A related object: its id is the relation's value (set by the caller).
        keys[opts.pk.attname] = prefix.removesuffix("__")
    attnames = tuple(f.attname for f in opts.concrete_fields if f.attname in keys)
    slots = tuple(
        (index, keys[f.attname])
        for index, f in enumerate(opts.concrete_fields)
        if f.attname in keys
    )
    return _Part(model, attnames, slots, tuple(related))


def _python(field: Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(value, datetime) and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)  # as SQLite stores them
    return value


def _build(part: _Part, values: Mapping[str, Any]) -> Model:
    row: list[Any] = [DEFERRED] * len(part.model._meta.concrete_fields)
    for index, key in part.slots:
        row[index] = values[key]
    obj = part.model.from_db(None, part.attnames, row)
    _guard(obj)
    for field, key, child in part.related:
        if values[key] is not None:
            field.set_cached_value(obj, _build(child, values))
    return obj


def is_stand_in(obj: Model) -> bool:
    """Whether `obj` is a stand-in (for an audience, holding what a rule reads), not an item."""
    return getattr(obj, "_stands_in", False)


def _guard(obj: Model) -> None:
    model = type(obj).__name__
    obj._stands_in = True  # type: ignore[attr-defined]

    def undeclared(*args: Any, fields: Sequence[str] | None = None, **kwargs: Any) -> Any:
        raise UndeclaredRead(
            f"A rule read {model}.{', '.join(fields or ['?'])}, which its `reads` does not "
            "declare (My data asks it about an object holding only those)"
        )

    # Reading a deferred field asks whether the primary key is set, then loads the field: on
    # a stand-in, loading says what was read and refuses. (Its id, where not declared, cannot
    # be read either: Django raises AttributeError.)
    setattr(obj, "refresh_from_db", undeclared)  # noqa: B010 (on this object only)
    setattr(obj, "_is_pk_set", lambda *args, **kwargs: True)  # noqa: B010
