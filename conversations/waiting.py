"""What of the conversations module waits for someone (Home's list and the navigation's count;
see `cadence.waiting`): conversations to prepare, as the employee, and conversations to hold,
as the manager, due within the next two weeks or overdue. Every read goes through the
conversation rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from access.rules import shown, visible
from cadence.waiting import HORIZON_DAYS, Item, WaitingSource, waiting_source
from conversations.models import Conversation

if TYPE_CHECKING:
    from access.viewer import Viewer


def _soon(viewer: Viewer, today: date, action: str) -> QuerySet[Conversation]:
    horizon = today + timedelta(days=HORIZON_DAYS)
    # During a pilot, only pairs inside it are reminded (`conversations.reminders`): only
    # theirs wait.
    conversations = Conversation.objects.open().in_scope()
    return visible(viewer, conversations, action).filter(due_date__lte=horizon)


@waiting_source("conversations_to_prepare", module="conversations", more_url="conversations:index")
class ConversationsToPrepare(WaitingSource):
    """The viewer's own conversations coming up, not prepared yet."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Conversation]:
        return _soon(viewer, today, "prepare").filter(prepared_at__isnull=True)

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(viewer, today, limit, "due_date", "pk", related=("manager",))
        return [
            Item(
                source=self.key,
                action=_("Prepare"),
                what=c.label,
                whom=c.manager.name,
                due=c.due_date,
                url=reverse("conversations:prepare", args=[c.pk]),
            )
            for c in rows
        ]


@waiting_source("conversations_to_hold", module="conversations", more_url="conversations:index")
class ConversationsToHold(WaitingSource):
    """Conversations the viewer holds as the manager, coming up or overdue."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Conversation]:
        return _soon(viewer, today, "coach")

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(viewer, today, limit, "due_date", "pk", related=("employee",))
        shown(viewer, rows)  # their reports' conversations
        return [
            Item(
                source=self.key,
                action=_("Hold"),
                what=c.label,
                whom=c.employee.name,
                note=_("prepared") if c.prepared_at else "",
                due=c.due_date,
                url=c.get_absolute_url(),
            )
            for c in rows
        ]
