"""The reads the access log records ("who looked at my data"): gathered in memory while a request
(or a background task) runs, and handed over once at its end to be written in one insert.

`access.rules.read` (every object loaded with `get_visible_or_404`, and what a page reads
besides) and `access.rules.shown` (the items of a list) note here which kinds of personal data
(`access.catalogue`) of whom the viewer was shown. A read is noted when:

- it happens inside `collecting()`: the access log's middleware opens one for every request
  and background work that shows someone data (an export) opens its own; outside one (a
  management command, a test calling a function directly) nothing is noted;
- the object is not about the viewer: a person's own data, and an object one of whose kinds
  is about them (feedback they received, which is also "feedback given" by its giver), is
  theirs to read;
- the kind is not public for that object (`DataKind.is_public`: a goal shared with everyone);
- the kind is decided by the action the object was shown for: "view", or the other action the
  page asked (a person's employment details are "view_employment").

Within one collection each (viewer, subject, kind, item) is noted once; a list is one entry per
(viewer, subject, kind) with the number of its items.

Not noted, by design: aggregates (counts, averages, rhythm health: nothing of one person's is
shown), the titles a form offers as choices (the goals one may align with), what a write answers
with that the viewer just wrote, the person a 360 reviewer reviews (noting it would tell them who
reviews them), and the calendar feed a calendar program fetches for its owner every few minutes
(the owner's own meetings; opening one in Cadence is noted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model

from access import catalogue

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW = "view"
PAGE, API, EXPORT = "page", "api", "export"
EMAIL = "email"  # what an e-mail showed (the weekly digest)


@dataclass(frozen=True)
class Read:
    """One entry to write: `viewer` was shown `kind` data about `subject`: the object `item`,
    or (item None) a list of `count` of them."""

    viewer_id: int
    subject_id: int
    kind: str
    item: int | None
    count: int = 1


class Reads:
    """The reads of one request or task, each noted once."""

    def __init__(self, channel: str, path: str = "") -> None:
        self.channel = channel
        self.path = path
        self._items: dict[tuple[int, int, str, int], None] = {}
        self._lists: dict[tuple[int, int, str], set[int]] = {}

    def item(self, viewer_id: int, subject_id: int, kind: str, pk: int) -> None:
        self._items[(viewer_id, subject_id, kind, pk)] = None

    def listed(self, viewer_id: int, subject_id: int, kind: str, pk: int) -> None:
        self._lists.setdefault((viewer_id, subject_id, kind), set()).add(pk)

    def entries(self) -> list[Read]:
        found = [Read(v, s, kind, pk) for v, s, kind, pk in self._items]
        found += [Read(v, s, kind, None, len(pks)) for (v, s, kind), pks in self._lists.items()]
        return found


_current: ContextVar[Reads | None] = ContextVar("access_reads", default=None)


@contextmanager
def collecting(channel: str, path: str = "") -> Iterator[Reads]:
    """Note the reads made inside the block (in this thread or task) into the `Reads` it
    yields; the caller writes them afterwards (`trust.access_log`)."""
    reads = Reads(channel, path)
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)


def logged_kinds(viewer_id: int, obj: Model, action: str = VIEW) -> list[tuple[str, int]]:
    """(kind key, subject id) of what showing `obj` to the viewer for `action` records."""
    kinds = catalogue.kinds_of(obj)
    if any(subject == viewer_id for _kind, subject in kinds):
        return []
    return [
        (kind.key, subject)
        for kind, subject in kinds
        if kind.action in (VIEW, action) and not kind.is_public(obj)
    ]


def note_read(viewer: Viewer, obj: Model, action: str = VIEW) -> None:
    reads = _current.get()
    if reads is None or viewer.person is None or obj.pk is None:
        return
    me = viewer.person.pk
    for kind, subject in logged_kinds(me, obj, action):
        reads.item(me, subject, kind, obj.pk)


def note_shown(viewer: Viewer, objects: Iterable[Model], action: str = VIEW) -> None:
    reads = _current.get()
    if reads is None or viewer.person is None:
        return
    me = viewer.person.pk
    for obj in objects:
        for kind, subject in logged_kinds(me, obj, action):
            reads.listed(me, subject, kind, obj.pk)
