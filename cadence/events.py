"""Events: what happened in the organisation, told to whoever listens (the organisation's
webhooks and its teams' chat channels, `webhooks/`) once the change that made it happen is
committed, and never when it is rolled back.

A service says what happened where it happens, with the ids of what it happened to:

    from cadence import events

    events.emit(events.GOAL_COMPLETED, goal.pk)

`emit` only queues the ids on the transaction (`transaction.on_commit`, robust: a listener that
fails is logged and cannot fail the write, which is committed already). A listener registers
itself with `@events.listener` (from its app's `AppConfig.ready()`), is called with the kind and
the ids, and reads what it needs itself: an event carries no content, so that what is told
outside Cadence is decided in one place (`webhooks.payloads`), never private content.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

CONVERSATION_HELD = "conversation.held"  # the manager signed off: it took place
GOAL_COMPLETED = "goal.completed"  # a goal's status became done
PRAISE_GIVEN = "praise.given"  # praise shown to everyone in the organisation
REPORT_RELEASED = "review.report_released"  # a 360 report released to its participant
SURVEY_ROUND_CLOSED = "survey.round_closed"  # a survey round closed, its figures settled
PERSON_ADDED = "person.added"  # someone added by HR or a CSV import
PERSON_LEFT = "person.left"  # someone's leave date set (or changed)

KINDS: dict[str, StrOrPromise] = {
    CONVERSATION_HELD: _("Conversation held"),
    GOAL_COMPLETED: _("Goal completed"),
    PRAISE_GIVEN: _("Praise given publicly"),
    REPORT_RELEASED: _("360 report released"),
    SURVEY_ROUND_CLOSED: _("Survey round closed"),
    PERSON_ADDED: _("Person added"),
    PERSON_LEFT: _("Person leaving"),
}

Listener = Callable[[str, list[int]], None]
_listeners: list[Listener] = []


def listener(listen: Listener) -> Listener:
    """Register `listen(kind, ids)`, called after each commit that emitted events."""
    if listen not in _listeners:
        _listeners.append(listen)
    return listen


def emit(kind: str, *ids: int) -> None:
    """`kind` happened to the objects `ids`: the listeners hear of it once the transaction
    commits (at once outside one), in the order emitted; nothing when it rolls back."""
    if kind not in KINDS:
        raise ValueError(f"Unknown event {kind!r}")
    wanted = [pk for pk in ids if pk is not None]
    if not wanted:
        return

    def tell() -> None:
        for listen in list(_listeners):
            try:
                listen(kind, wanted)
            except Exception:  # a listener's failure must not reach the committed write
                logger.exception("A listener of %s failed", kind)

    transaction.on_commit(tell, robust=True)
