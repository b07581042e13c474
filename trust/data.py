"""What Cadence holds about a person and who can see it: My data's first tab and the API's
`/me/data`, built on the catalogue (`access.catalogue`) and the rules (`access.rules.who`).

For every registered kind: how many items the person has of it (those they may know exist),
and who can see them, by role and name, derived from the rules: the union over the items, with
how many of them each role and person sees where that is not all; for a kind they have none
of, the audience of the kind's example about them. Then what nobody else can see (kinds only
they see, and each kind's `nobody`), and the aggregate reports that count them.

It takes a fixed number of queries, however much the person has: one per model the kinds are
of (with what `who` reads, `for_who`), two for the people in every audience together
(`access.who`), and one per aggregate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, Q
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
    """An aggregate report and how many times it counts the person."""

    aggregate: Aggregate
    count: int


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
    # The items they may know exist (a 360 cycle still in draft is not theirs to see yet),
    # decided on the loaded items: they are loaded with what the rules read (`for_who`).
    loaded = _about(me.pk)
    held: list[tuple[DataKind, list[Model]]] = [
        (kind, [obj for obj in loaded[kind.key] if rules.can(viewer, VIEW, obj)])
        for kind in catalogue.registered()
    ]
    questions: list[tuple[Model, str]] = []
    for kind, items in held:
        shown = items or ([kind.example(me)] if kind.example is not None else [])
        questions += [(obj, kind.action) for obj in shown]
    answers = iter(rules.who_asked(questions))
    kinds: list[KindSeen] = []
    for kind, items in held:
        asked = len(items) or (1 if kind.example is not None else 0)
        kinds.append(
            KindSeen(kind, len(items), who_sees([next(answers) for _ in range(asked)], me))
        )
    return MyData(
        modules=_by_module(kinds),
        only_you=[k for k in kinds if k.only_you],
        nobody=[k for k in kinds if k.kind.nobody],
        aggregates=[Counted(a, a.counts(me)) for a in catalogue.aggregates()],
    )


def _about(person_id: int) -> dict[str, list[Model]]:
    """Every registered kind's items about the person, loaded with what the rules read: one
    query for all the kinds of a model whose subject is one of its own fields (a person's
    goals, by visibility), one for each other kind."""
    queries: dict[object, list[DataKind]] = {}
    for kind in catalogue.registered():
        group = kind.model if "__" not in kind.subject else kind.key
        queries.setdefault(group, []).append(kind)
    found: dict[str, list[Model]] = {}
    for kinds in queries.values():
        if len(kinds) == 1:
            found[kinds[0].key] = list(rules.for_who(kinds[0].about_pk(person_id)))
            continue
        either = Q()
        for kind in kinds:
            either |= kind.about_q(person_id)
        for kind in kinds:
            found[kind.key] = []
        for obj in rules.for_who(kinds[0].model._default_manager.filter(either)):
            for kind in kinds:
                if kind.matches(obj) and kind.subject_of(obj) == person_id:
                    found[kind.key].append(obj)
    return found


def _by_module(kinds: Sequence[KindSeen]) -> list[ModuleSeen]:
    modules: dict[str, ModuleSeen] = {}
    for kind in kinds:
        key = kind.kind.module
        if key not in modules:
            modules[key] = ModuleSeen(key, MODULE_LABELS.get(key, YOU) if key else YOU, [])
        modules[key].kinds.append(kind)
    return list(modules.values())
