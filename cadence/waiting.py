"""What is waiting for the signed-in person: the list on Home and the counts in the navigation.

Each module says what of its own waits for someone in its `waiting.py`, one source per kind of
thing, registered with `@waiting_source` (imported when Django starts, see `CadenceConfig`):

    # growth/waiting.py
    from cadence.waiting import Item, WaitingSource, waiting_source

    @waiting_source("plan_to_update", module="growth", more_url="growth")
    class PlanToUpdate(WaitingSource):
        def pending(self, viewer, today):   # the rows waiting, as a queryset (counted)
            return visible(viewer, Plan, "change").filter(...)

        def items(self, viewer, today, limit):   # the first `limit` of them, as Items
            return [Item(...) for plan in self.pending(viewer, today)...[:limit]]

Every read goes through the visibility policy (`access.rules.visible`), and a source does a
fixed number of queries whatever the data: `items` one or two, and `pending` none of its own,
since every source's count is read in one query for the whole page (`counts`): the navigation
shows them on every page, at the price of that one query.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.db import connection
from django.db.models import F, Func, IntegerField, Model, QuerySet, Subquery
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from cadence.prepared import Prepared, PreparedValues

if TYPE_CHECKING:
    from access.viewer import Viewer

# Conversations and cycle steps this close (in days) wait for you; further ones not yet.
HORIZON_DAYS = 14


@dataclass
class Item:
    """One thing waiting: what to do, for whom, by when, and where to do it."""

    source: str
    action: StrOrPromise  # the link's words, a verb: "Answer", "Prepare", "Release"
    what: StrOrPromise  # the thing: "360 review", a conversation's or goal's title
    url: str  # where to act, one click away
    due: date | None = None
    whom: StrOrPromise = ""  # the person it is for or with
    note: StrOrPromise = ""  # more: the cycle, the topic, why ("not updated for 5 weeks")
    overdue: bool = False


class WaitingSource:
    """One kind of thing waiting; `waiting_source` names it."""

    key: ClassVar[str] = ""
    module: ClassVar[str] = ""  # the navigation module its count goes under
    more_url: ClassVar[str] = ""  # the URL name of the page listing all of them
    # The module that switches it off (`cadence.modules`): `module`, unless it is part of one
    # within it (a 360 review waits under Feedback, and goes with 360 reviews).
    switch: ClassVar[str] = ""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Any]:
        """The rows waiting, as a queryset: counted, never loaded."""
        raise NotImplementedError

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        """The first `limit` of them, by due date, in one or two queries."""
        raise NotImplementedError

    def first(
        self, viewer: Viewer, today: date, limit: int, *order: Any, related: tuple[str, ...] = ()
    ) -> list[Any]:
        """The first `limit` pending rows in `order`, with the `related` objects `items` shows,
        their SQL kept per viewer state and day (`kept_rows`)."""

        def build() -> QuerySet[Any]:
            rows = self.pending(viewer, today)
            return (rows.select_related(*related) if related else rows).order_by(*order)[:limit]

        return kept_rows(viewer, today, (self.key, limit), build)


SOURCES: dict[str, WaitingSource] = {}
SourceT = TypeVar("SourceT", bound=type[WaitingSource])
ModelT = TypeVar("ModelT", bound=Model)


def waiting_source(
    key: str, *, module: str, more_url: str, switch: str = ""
) -> Callable[[SourceT], SourceT]:
    """Register a source: its key, the navigation module its count goes under, the URL name
    of the page that lists all of them (Home's "and N more"), and the module that switches it
    off when not `module`."""

    def register(cls: SourceT) -> SourceT:
        cls.key, cls.module, cls.more_url = key, module, more_url
        cls.switch = switch or module
        SOURCES[key] = cls()
        return cls

    return register


def sources() -> dict[str, WaitingSource]:
    """The sources of the modules switched on (`organisation.current`)."""
    from organisation import current

    org = current.settings()
    if not org.modules_off:
        return SOURCES
    return {key: source for key, source in SOURCES.items() if org.is_on(source.switch)}


def _count(queryset: QuerySet[Any]) -> Subquery:
    """COUNT(*) of the queryset, as a scalar subquery (no GROUP BY: one row whatever it holds)."""
    counted = queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Subquery(counted, output_field=IntegerField())


@dataclass
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    at: float


@dataclass
class _Rows:
    prepared: Prepared[Any] | PreparedValues
    at: float


# The counts' SQL, per viewer state and day: building it through every source's rules costs
# far more (7-9 ms) than running it (under 1 ms), and it is the same on every page a person
# opens. Kept a few minutes, so that nothing the key misses can stay wrong for long. The rows
# Home lists (`kept_rows`) are kept here too, for the same reasons.
_COMPILED: OrderedDict[tuple[Any, ...], _Compiled | _Rows] = OrderedDict()
COMPILED_SECONDS = 300
COMPILED_MAX = 4096

KeptT = TypeVar("KeptT", _Compiled, _Rows)


def _viewer_key(viewer: Viewer, today: date) -> tuple[Any, ...]:
    """What SQL built through the rules for this viewer today depends on: everything the rules
    read about the viewer (`Viewer.state`), the day (theirs, and the server's, which says who
    still works here: `people.models.current_q`), and the organisation's settings that
    sources read (modules switched off leave their sources out; a pilot, what is outside it)."""
    from organisation import current

    org = current.settings()
    return (
        viewer.state(),
        today,
        timezone.localdate(),
        org.modules_off,
        org.pilot_paths if org.pilot else None,
    )


def _kept(key: tuple[Any, ...], build: Callable[[float], KeptT]) -> KeptT:
    """The entry kept under `key`, built (`build(now)`) when missing or too old."""
    found = _COMPILED.get(key)
    now = time.monotonic()
    if found is None or now - found.at > COMPILED_SECONDS:
        found = _COMPILED[key] = build(now)
        while len(_COMPILED) > COMPILED_MAX:
            _COMPILED.popitem(last=False)
    else:
        _COMPILED.move_to_end(key)
    return found  # type: ignore[return-value]  # each key is built by one kind of caller


def kept_rows(
    viewer: Viewer,
    today: date,
    key: tuple[Any, ...],
    build: Callable[[], QuerySet[ModelT]],
) -> list[ModelT]:
    """The rows of the queryset `build()` makes for this viewer (through the rules), its SQL
    compiled once per viewer state and day (`_viewer_key`) and run again on the next pages, as
    `counts` does: for the few rows Home lists, building and compiling the query cost 1-2 ms,
    running it 0.05 ms. `key` names the caller's query and whatever else went into it (a
    setting it read, a limit): two calls with the same key and viewer state must build the
    same SQL, so the rules it goes through may read of the viewer only `Viewer.state()` and
    whether they manage anyone (known on every page, from `counts`). The SQL is kept a few
    minutes at most: a time in it (`timezone.now()`) may be that old."""
    return _kept_run(viewer, today, ("rows", *key), build, Prepared.of)


def _kept_run(
    viewer: Viewer,
    today: date,
    key: tuple[Any, ...],
    build: Callable[[], QuerySet[Any]],
    prepare: Callable[[QuerySet[Any]], Any],
) -> list[Any]:
    """`kept_rows` and `kept_values`: `build()`'s SQL prepared (`prepare`) under the guard and
    kept per viewer state, day, whether they manage anyone and `key`, then run."""
    if viewer.person is None:
        return list(build())

    def kept(now: float) -> _Rows:
        with viewer.kept_by_state():
            return _Rows(prepare(build()), now)

    kind, *rest = key
    entry = _kept((kind, *_viewer_key(viewer, today), viewer.is_manager, *rest), kept)
    return entry.prepared.run()


def kept_values(
    viewer: Viewer,
    today: date,
    key: tuple[Any, ...],
    build: Callable[[], QuerySet[Any]],
) -> list[dict[str, Any]]:
    """`kept_rows` for a `values()` queryset (grouped counts, a latest date per person): the
    dicts iterating it gives, its SQL kept under the same conditions (and built under the same
    guard, `Viewer.kept_by_state`)."""
    return _kept_run(viewer, today, ("values", *key), build, PreparedValues.of)


def counts(
    viewer: Viewer,
    today: date,
    extra: Callable[[], dict[str, QuerySet[Any]]] | None = None,
) -> dict[str, int]:
    """How many rows wait in every source (and in the querysets `extra` returns, built from the
    same viewer), in one query, which also tells whether the viewer manages anyone
    (`viewer.is_manager`, which the navigation asks)."""
    if viewer.person is None:
        return {}
    key = (*_viewer_key(viewer, today), extra.__qualname__ if extra else None)

    def compile_(now: float) -> _Compiled:
        with viewer.kept_by_state():
            return _compile(viewer, today, extra, now)

    found = _kept(key, compile_)
    result = _run(found)
    viewer.tell_is_manager(result.pop(MANAGES) > 0)
    return result


# In every counts query: how many people report to the viewer today (do they manage anyone?).
MANAGES = "_manages"


def _run(compiled: _Compiled) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(names, row or (), strict=False)}


def _compile(
    viewer: Viewer,
    today: date,
    extra: Callable[[], dict[str, QuerySet[Any]]] | None,
    now: float,
) -> _Compiled:
    """The counts' SQL, built through every source's rules. None of them asks whether the
    viewer manages anyone (`viewer.is_manager`, which `viewer.state()`, the SQL's key, leaves
    out): where that matters, a rule asks it in the SQL (`goals.rules`, the company goals'
    writers), so the statement holds whether or not the viewer manages anyone yet, and the
    query answers it (MANAGES). `cadence/tests/test_waiting.py` keeps it so."""
    from people.models import Person

    assert viewer.person is not None
    expressions = {key: _count(s.pending(viewer, today)) for key, s in sources().items()}
    expressions.update(
        {key: _count(queryset) for key, queryset in (extra() if extra else {}).items()}
    )
    expressions[MANAGES] = _count(Person.objects.current().filter(manager=viewer.person))
    # Any one-row table would do: the person's own row is always there.
    queryset = Person.objects.filter(pk=viewer.person.pk).values(**expressions)
    sql, params = queryset.query.sql_with_params()
    return _Compiled(sql, tuple(params), now)


def module_counts(source_counts: dict[str, int]) -> dict[str, int]:
    """The counts summed per navigation module."""
    per_module: dict[str, int] = {}
    for key, source in sources().items():
        per_module[source.module] = per_module.get(source.module, 0) + source_counts.get(key, 0)
    return per_module


def waiting_items(
    viewer: Viewer, today: date, limit: int, source_counts: dict[str, int] | None = None
) -> list[Item]:
    """The first `limit` items of every source together, by due date (undated last). With the
    sources' `counts`, only those with something waiting are read."""
    found: list[Item] = []
    for key, source in sources().items():
        if source_counts is None or source_counts.get(key, 0) > 0:
            found.extend(source.items(viewer, today, limit))
    for item in found:
        item.overdue = item.due is not None and item.due < today
    # Stable: items due the same day keep their source's order.
    found.sort(key=lambda item: (item.due is None, item.due or today))
    return found[:limit]
