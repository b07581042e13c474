"""Who is asking: the signed-in person with the roles the rules read, loaded once per request.

Pages and the API get one with `viewer_of(request)` and hand it to `access.rules`; only the
rule modules look inside it (through `access.relations`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cadence.prepared import ById
from people.models import Person

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from access.models import HRRole


@dataclass
class Viewer:
    """Who is asking, with the roles the policy reads, loaded once per request."""

    person: Person | None

    @classmethod
    def of(cls, user: Any) -> Viewer:
        if not getattr(user, "is_authenticated", False):
            return cls(person=None)
        viewer = getattr(user, "_cadence_viewer", None)
        if viewer is None:
            viewer = user._cadence_viewer = cls(person=user)
        return viewer

    @property
    def is_authenticated(self) -> bool:
        return self.person is not None

    @cached_property
    def hr_role(self) -> HRRole | None:
        if self.person is None:
            return None
        # Loaded with the signed-in person (`accounts.backends.EmailBackend.get_user`).
        loaded = self.person._state.fields_cache
        if "hr_role" in loaded:
            role: HRRole | None = loaded["hr_role"]
            return role
        found = _HR_ROLE.run(self.person.pk)
        return found[0] if found else None

    @cached_property
    def led_paths(self) -> tuple[str, ...]:
        """The paths of the teams this person leads (the tops of their part of the
        organisation): read once (a query). Not part of `state()`: SQL kept per state must
        not depend on it (`kept_by_state` refuses it)."""
        if self._by_state:
            raise LeadsNotInState(
                "A query kept per viewer state read the teams the viewer leads, which the "
                "state leaves out: ask it in SQL, or keep this query out of cadence.waiting."
            )
        if self.person is None:
            return ()
        from people.models import Team

        return tuple(Team.objects.filter(lead=self.person.pk).values_list("path", flat=True))

    @property
    def is_hr(self) -> bool:
        return self.hr_role is not None

    @property
    def is_admin(self) -> bool:
        return bool(self.person and self.person.is_staff)

    # Whether they manage anyone: read once (a query), or told (`tell_is_manager`) by a query
    # that read it anyway (the navigation's counts, `cadence.waiting.counts`).
    _is_manager: bool | None = field(default=None, repr=False, compare=False)

    @property
    def is_manager(self) -> bool:
        if self._is_manager is None:
            self._is_manager = bool(
                self.person and Person.objects.current().filter(manager=self.person).exists()
            )
        return self._is_manager

    def tell_is_manager(self, value: bool) -> None:
        self._is_manager = value

    # True while a query kept per viewer state is built (`kept_by_state`).
    _by_state: bool = field(default=False, repr=False, compare=False)

    @contextmanager
    def kept_by_state(self) -> Iterator[None]:
        """While SQL that will be kept and reused for every viewer in the same `state()` is
        built (`cadence.waiting`): reading anything the state leaves out (the teams the viewer
        leads) raises `LeadsNotInState`, even when already read, rather than baking one
        viewer's answer into another's SQL."""
        led = self.__dict__.pop("led_paths", None)
        self._by_state = True
        try:
            yield
        finally:
            self._by_state = False
            if led is not None:
                self.__dict__["led_paths"] = led

    def state(self) -> tuple[object, ...]:
        """Everything the rules read about the viewer besides `is_manager` (a query, read by
        few rules, none of them in a waiting source): two viewers in the same state get the
        same SQL from every waiting source's rules, so SQL compiled for one may be reused for
        the other (`cadence.waiting.counts`)."""
        me = self.person
        if me is None:
            return ()
        role = self.hr_role
        return (
            me.pk,
            me.manager_id,
            me.chain,
            me.team_id,
            me.team.path if me.team_id and me.team else None,
            me.is_staff,
            me.is_superuser,
            me.leave_date,
            None if role is None else (self.hr_scope_path, role.can_manage_people),
        )

    @property
    def hr_scope_path(self) -> str | None:
        """The team path HR covers: "" for the whole organisation, None when not HR."""
        role = self.hr_role
        if role is None:
            return None
        return role.scope.path if role.scope is not None else ""


def _hr_role_of(person_id: int) -> QuerySet[HRRole]:
    from access.models import HRRole

    return HRRole.objects.select_related("scope").filter(person_id=person_id)


# The viewer's HR role, read on nearly every request: its SQL prepared once per process and run
# with the person's id (building the query cost about 1 ms, running it 0.05).
_HR_ROLE = ById(_hr_role_of)


class LeadsNotInState(RuntimeError):
    """A query kept per viewer state read `Viewer.led_paths` (see `Viewer.kept_by_state`)."""


def viewer_of(request: HttpRequest) -> Viewer:
    return Viewer.of(request.user)
