"""The catalogue of personal data: every kind of data Cadence holds about a person.

Each module registers its kinds in its own `<app>/catalogue.py` (found by `access`'s
`AppConfig.ready()`), and gets for free what the trust module builds on the catalogue: My data
("who can see it", derived from the module's rules), the access log (which kind of whose data a
page showed), the export of everything about a person, and erasure.

A kind is a model, the field that names the person the data is about (`subject`), and, where a
model holds several kinds, the field values that select this one (`where`): a person's private
goals are `Objective` objects with `owner_person` = them and `visibility` = "private". Who may
see an object of the kind is the model's rule for `action` (`access.rules`), never written here.

Reports that count a person among others without naming them (rhythm health, a 360 report) are
not logged per person; a module says which of its reports include someone with
`register_aggregate(Aggregate(...))`, and My data lists them (with who reads them, where the
aggregate names an object whose rule says it: `readers`).

    register(
        DataKind(
            "goals.private",
            _("Private goals"),
            Objective,
            subject="owner_person",
            where={"visibility": "private"},
            module="goals",
        ),
    )

What a person's export holds of a kind (`trust.exporting`) is the kind's `export`: the columns of
each item and the rows each item owns (a goal's key results), or, without one, the item's plain
fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django_stubs_ext import StrOrPromise

VIEW = "view"

# One column of an export: a field's name, following relations with "__" as in a filter
# ("giver__name"), or a (name, function of the object) pair for what only code can say.
Column = str | tuple[str, Callable[[Any], Any]]


@dataclass(frozen=True)
class Rows:
    """Rows each exported item owns, written with it: a goal's key results. Only rows that
    whoever may see the item sees with it: never rows of another kind (a conversation's private
    notes are a kind of their own, with their own rule)."""

    name: str  # the key in the item's JSON and the end of its CSV file's name: "key_results"
    columns: tuple[Column, ...]
    # The rows of one item; by default the item's related manager `name` (loaded for all items
    # at once, with the relations the columns follow).
    of: Callable[[Any], Iterable[Any]] | None = None
    label: StrOrPromise = ""  # for the export's README


@dataclass(frozen=True)
class Export:
    """What a person's export holds of each item of a kind: its `columns` and the `rows` it
    owns. A column names only what the person sees of the item on its page."""

    columns: tuple[Column, ...]
    rows: tuple[Rows, ...] = ()
    # What to load with the items beyond the relations the columns follow (a function of the
    # queryset), so that the export reads a fixed number of queries per kind.
    load: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None


@dataclass(frozen=True)
class DataKind:
    """One kind of data about a person."""

    key: str  # "goals.private": unique, stable (stored in the access log)
    label: StrOrPromise  # "Private goals"
    model: type[Model]
    # The field naming the person it is about, following relations with "__" as in a filter:
    # "owner_person", "conversation__employee".
    subject: str
    # The field values that select this kind among the model's objects ({"visibility": ...}).
    where: Mapping[str, Any] = field(default_factory=dict)
    # The action of the model's rules that decides who may see it ("view_employment").
    action: str = VIEW
    # Seen by everyone signed in (a public goal, a colleague's directory entry): reads are not
    # logged. True for every object of the kind, the field values that make one public, or a
    # function of the object where it depends on more (a profile is public while its person
    # works here). It must say what the kind's rule says: public exactly where the rule lets
    # everyone see the object (`access/tests/test_catalogue.py` checks it).
    public: bool | Mapping[str, Any] | Callable[[Any], bool] = False
    module: str = ""  # the module it belongs to (`cadence.modules`), for the module switches
    description: StrOrPromise = ""  # one sentence for My data, when the label needs it
    # What nobody can see about it, Cadence included ("who wrote an anonymous answer").
    nobody: StrOrPromise = ""
    # An unsaved object of this kind about the person, for "who can see it" when they have none.
    example: Callable[[Any], Model] | None = None
    # What the person's export holds of each item (None: its plain fields).
    export: Export | None = None
    # Every item has the same audience as the kind's example about the person (their own
    # access log: them alone): My data counts the items and asks the rules about the example
    # instead of loading them (`access/tests/test_same_audience.py` checks it).
    same_audience: bool = False

    def __post_init__(self) -> None:
        if self.same_audience and self.example is None:
            raise ValueError(f"{self.key}: a kind with one audience needs an example")

    def about_q(self, person_id: int) -> Q:
        return Q(**{self.subject: person_id}, **self.where)

    def about(self, person: Any) -> QuerySet[Any]:
        """Every object of this kind about the person (unfiltered: pass it to `visible`)."""
        return self.about_pk(person.pk)

    def about_pk(self, person_id: int) -> QuerySet[Any]:
        return self.model._default_manager.filter(self.about_q(person_id))

    def matches(self, obj: Model) -> bool:
        """Is this loaded object of this kind (whoever it is about)?"""
        return isinstance(obj, self.model) and _holds(obj, self.where)

    def is_public(self, obj: Model) -> bool:
        """Is this object seen by everyone signed in (so that reading it is not logged)?"""
        if isinstance(self.public, bool):
            return self.public
        if callable(self.public):
            return self.public(obj)
        return _holds(obj, self.public)

    def subject_of(self, obj: Model) -> int | None:
        """The id of the person `obj` is about, read from what is loaded."""
        *path, last = self.subject.split("__")
        current: Any = obj
        for name in path:
            current = getattr(current, name)
            if current is None:
                return None
        found = current.pk if last in ("pk", "id") else getattr(current, f"{last}_id")
        return None if found is None else int(found)


def _holds(obj: Model, values: Mapping[str, Any]) -> bool:
    """`obj` has these field values: "field" (equal) or "field__isnull" (a relation, unset)."""
    for name, value in values.items():
        if name.endswith("__isnull"):
            if (getattr(obj, f"{name.removesuffix('__isnull')}_id") is None) != value:
                return False
        elif getattr(obj, name) != value:
            return False
    return True


@dataclass(frozen=True)
class Aggregate:
    """A report that counts a person among others, as a number, never naming them (rhythm
    health, a 360 report one reviewed someone for): not in the access log, which records
    reads of one person's data, so My data says which of them include the person."""

    key: str  # "conversations.rhythm_health": unique, stable
    label: StrOrPromise  # "Rhythm health"
    description: StrOrPromise  # how the person is counted in it, and who reads it
    # The person's items it counts, by the person's id, as querysets whose counts add up (one
    # per model): My data counts them with the kinds, in its one counting query.
    counted: Callable[[int], list[QuerySet[Any]]]
    module: str = ""
    # Who reads it where it counts the person: an object (saved or not) of a model with rules
    # whose `who` is those readers (a rhythm tally of the person's team and line manager), so
    # that My data lists them, derived from the rules. None: the description says it.
    readers: Callable[[Any], Model] | None = None


_kinds: dict[str, DataKind] = {}
_aggregates: dict[str, Aggregate] = {}
_by_model: dict[type[Model], list[DataKind]] = {}


def register(*kinds: DataKind) -> None:
    for kind in kinds:
        if kind.key in _kinds and _kinds[kind.key] != kind:
            raise ValueError(f"The data kind {kind.key!r} is registered twice")
        if kind.key not in _kinds:
            _kinds[kind.key] = kind
            _by_model.setdefault(kind.model, []).append(kind)


def registered() -> list[DataKind]:
    """Every kind, in the order the modules registered them."""
    return list(_kinds.values())


def get(key: str) -> DataKind:
    return _kinds[key]


def kinds_of(obj: Model) -> list[tuple[DataKind, int]]:
    """The kinds `obj` is of, each with the person it is about: feedback is "feedback received"
    for its receiver and "feedback given" for its giver."""
    found = []
    for kind in _by_model.get(type(obj), ()):
        if kind.matches(obj):
            subject = kind.subject_of(obj)
            if subject is not None:
                found.append((kind, subject))
    return found


def register_aggregate(*aggregates: Aggregate) -> None:
    """Say that a module's report counts people in it (My data lists it)."""
    for aggregate in aggregates:
        if aggregate.key in _aggregates and _aggregates[aggregate.key] != aggregate:
            raise ValueError(f"The aggregate {aggregate.key!r} is registered twice")
        _aggregates[aggregate.key] = aggregate


def aggregates() -> list[Aggregate]:
    """Every aggregate report, in the order the modules registered them."""
    return list(_aggregates.values())
