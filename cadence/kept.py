"""A value read from the database and kept in each process for
`settings.ORGANISATION_SETTINGS_SECONDS`, for the organisation's settings that nearly every page
reads and nearly nobody changes (as `organisation.current` keeps the organisation's own). A
change made in this process is seen at once: `forget` is connected to the model's saves; other
processes see it within those seconds.

    STALE_WEEKS = Kept(lambda: …)
    STALE_WEEKS.get()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

ALL: list[Kept[Any]] = []


class Kept(Generic[T]):
    def __init__(self, read: Callable[[], T], *, changed_by: tuple[type[Model], ...]) -> None:
        self.read = read
        self._value: tuple[float, T] | None = None
        for model in changed_by:
            for signal in (post_save, post_delete):
                signal.connect(self.forget, sender=model, weak=False)
        ALL.append(self)

    def get(self) -> T:
        now, kept = time.monotonic(), self._value
        if kept is not None and now - kept[0] < settings.ORGANISATION_SETTINGS_SECONDS:
            return kept[1]
        value = self.read()
        self._value = (now, value)
        return value

    def forget(self, **kwargs: Any) -> None:
        self._value = None

    def assume(self, value: T) -> None:
        """Keep `value` as if read now (tests: the defaults, without a query)."""
        self._value = (time.monotonic(), value)


def read_all() -> None:
    """Read every value kept per process now, as a worker starts (`cadence.wsgi.warm_up`):
    otherwise its first requests each pay a query for every one they read (a conversation's
    page three: the organisation's settings, the stale-goal weeks, the current competencies)."""
    for kept in ALL:
        kept.get()
