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

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from access.rules import shown
from access.viewer import Viewer
from cadence.waiting import kept_rows
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


# The pair's open action items from earlier conversations shown on an agenda, at most.
CARRIED_SHOWN = 50


@dataclass
class PairActions:
    """What a conversation's page shows of the pair's action items."""

    here: list[ActionItem]  # this conversation's, in their order (`ActionItem.Meta`)
    carried: list[ActionItem]  # the pair's open ones from earlier conversations, by due date


def pair_actions(conversation: Conversation, viewer: Viewer) -> PairActions:
    """This conversation's action items and the first `CARRIED_SHOWN` of the pair's open ones
    carried over from other conversations (the agenda's), in one query, its SQL kept per
    viewer state and day (`cadence.waiting.kept_rows`: building it costs more than running
    it). Read once per loaded conversation."""
    found = conversation.__dict__.get("_pair_actions")
    if found is not None:
        return found
    assert viewer.person is not None  # only the two participants see the page

    def build() -> QuerySet[ActionItem]:
        here = Q(conversation_id=conversation.pk)
        carried = (
            ActionItem.objects.of_pair(conversation.employee_id, conversation.manager_id)
            .filter(done_at__isnull=True)
            .exclude(here)
            .order_by("due_date", "created_at", "pk")
            .values("pk")[:CARRIED_SHOWN]
        )
        carried_over = Case(When(here, then=Value(False)), default=Value(True))
        return (
            ActionItem.objects.filter(here | Q(pk__in=carried))
            .select_related("owner", "conversation")
            .annotate(carried_over=carried_over)
            # This conversation's first, in their order; then the others by due date.
            .order_by(
                "carried_over",
                Case(When(carried_over=True, then=F("due_date"))),
                "created_at",
                "pk",
            )
        )

    key = (
        "agenda:pair_actions",
        conversation.pk,
        conversation.employee_id,
        conversation.manager_id,
    )
    rows = kept_rows(viewer, viewer.person.local_today(), key, build)
    found = PairActions(
        here=[item for item in rows if item.conversation_id == conversation.pk],
        carried=[item for item in rows if item.conversation_id != conversation.pk],
    )
    conversation.__dict__["_pair_actions"] = found
    return found


@agenda_source(order=20)
def open_actions(conversation: Conversation, viewer: Viewer) -> AgendaSection | None:
    """Action items of this pair still open from earlier conversations (read with this
    conversation's own, which the page shows too: `pair_actions`)."""
    items = pair_actions(conversation, viewer).carried
    shown(viewer, items)
    return AgendaSection(
        "actions", _("Open action items"), "conversations/agenda/_actions.html", {"items": items}
    )
