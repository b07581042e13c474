"""What the agenda shows by itself, beside the talking points the two add.

Each source is a function `(conversation, viewer) -> AgendaSection | None`, registered with
`@agenda_source`. Apps register theirs in an `agenda.py` module, which is imported when
Django starts (see `ConversationsConfig.ready`). Built in: the pair's open action items. Goals
adds the employee's goals needing attention (on a quarterly review: all their current goals,
with progress) from `goals/agenda.py`; the plans module adds the employee's development plan
the same way:

    # plans/agenda.py
    from conversations.agenda import AgendaSection, agenda_source

    @agenda_source(order=30)
    def development_plan(conversation, viewer):
        ...
        return AgendaSection("plan", _("Development plan"), "plans/agenda/_plan.html", {...})

The page includes `section.template` with `section` in its context, so a source's template reads
its data from `section.context` (e.g. `{% for item in section.context.items %}`); a section with
styles of its own names their static file in `stylesheet`, which the page links in its head.

A source must do a fixed number of queries and show only what `access.rules` lets the viewer
see, and pass what it shows to `access.rules.shown` (the access log). Sources run for open
conversations only: a past conversation's agenda is what was added to it, not today's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from access.rules import shown
from access.viewer import Viewer
from conversations.models import ActionItem, Conversation


@dataclass
class AgendaSection:
    key: str
    title: StrOrPromise
    template: str
    context: dict = field(default_factory=dict)
    # The section's own styles, a static path ("plans/plans.css"): the page links it in its head.
    stylesheet: str = ""


Source = Callable[[Conversation, Viewer], AgendaSection | None]
_SOURCES: list[tuple[int, Source]] = []


def agenda_source(order: int = 50) -> Callable[[Source], Source]:
    def register(source: Source) -> Source:
        if source not in (s for _o, s in _SOURCES):
            _SOURCES.append((order, source))
            _SOURCES.sort(key=lambda pair: pair[0])
        return source

    return register


def automatic_agenda(conversation: Conversation, viewer: Viewer) -> list[AgendaSection]:
    if not conversation.is_open:
        return []
    sections = (source(conversation, viewer) for _order, source in _SOURCES)
    return [section for section in sections if section is not None]


@agenda_source(order=20)
def open_actions(conversation: Conversation, viewer: Viewer) -> AgendaSection | None:
    """Action items of this pair still open, from this conversation and earlier ones."""
    items = list(
        ActionItem.objects.of_pair(conversation.employee_id, conversation.manager_id)
        .filter(done_at__isnull=True)
        .exclude(conversation=conversation)
        .select_related("owner", "conversation")
        .order_by("due_date", "created_at", "pk")[:50]
    )
    shown(viewer, items)
    return AgendaSection(
        "actions", _("Open action items"), "conversations/agenda/_actions.html", {"items": items}
    )
