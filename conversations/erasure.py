"""What erasure (`trust.erasure`) does to the conversations module's data.

A conversation whose employee is erased is about them: everything written in it goes (its
topic, which leaves it called by its kind; a skip reason, the preparation's answers, talking
points, shared and private notes, action items), whoever wrote it. In the conversations they
held as a manager, what they wrote goes: their talking points, notes, private notes, the
action items they made or owned, a topic they gave or a reason they skipped with. Dates,
statuses and sign-offs stay: rhythm health counts them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from conversations.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Conversation,
    ConversationTemplate,
    Note,
    PrivateNote,
    Reminder,
    RhythmHealthManagers,
    RhythmHealthSnapshot,
)
from trust.erasure import Changed, Delete, Erasing, Replace, Step, changes, keep, register


def _in_theirs_or_by(pk: int) -> Q:
    """Written in a conversation about them, or by them in another."""
    return Q(conversation__employee=pk) | Q(author=pk)


class PreparedAnswers(Step):
    """The answers of their preparation (the prompts stay: they are the template's)."""

    def covers(self) -> Iterable[str]:
        return ("conversations.Conversation.preparation",)

    def run(self, erasing: Erasing) -> Changed:
        changed = []
        prepared = Conversation.objects.filter(employee=erasing.person).exclude(preparation=[])
        for conversation in prepared.only("pk", "preparation"):
            answers = [
                {**entry, "answer": erasing.removed}
                if isinstance(entry, dict) and entry.get("answer")
                else entry
                for entry in conversation.preparation or []
            ]
            if answers != conversation.preparation:
                conversation.preparation = answers
                changed.append(conversation)
        Conversation.objects.bulk_update(changed, ["preparation"], batch_size=500)
        return changes(Conversation, (conversation.pk for conversation in changed))


register(
    # Without its topic a conversation is called by its kind ("Check-in").
    Replace(Conversation, ("title",), lambda pk: Q(employee=pk) | Q(created_by=pk), blank=True),
    Replace(Conversation, ("skip_reason",), lambda pk: Q(employee=pk) | Q(skipped_by=pk)),
    PreparedAnswers(),
    Replace(AgendaItem, ("text",), _in_theirs_or_by),
    Replace(Note, ("text",), _in_theirs_or_by),
    Replace(PrivateNote, ("text",), _in_theirs_or_by),
    Replace(ActionItem, ("text",), lambda pk: Q(employee=pk) | Q(owner=pk) | Q(created_by=pk)),
    Delete(CalendarFeed, lambda pk: Q(person=pk)),
    # Rhythm health's kept figures name managers: all of them go, counted again when asked.
    Delete(RhythmHealthManagers, lambda pk: Q(pk__isnull=False)),
    Delete(RhythmHealthSnapshot, lambda pk: Q(pk__isnull=False)),
)
keep(Conversation, ("prompts",), "the template's prompts, the organisation's")
keep(ConversationTemplate, ("text",), "HR's conversation templates")
keep(Reminder, ("key",), "a reminder's key: a kind, ids and a date")
keep(RhythmHealthSnapshot, ("key",), "rhythm health's key: ids, a team path and a date")
