"""The goals section of a conversation's agenda, through the conversations module's extension
point (`conversations.agenda.agenda_source`; this module is found by the autodiscovery in
`ConversationsConfig.ready`): the employee's goals needing attention, or on a quarterly review
all their current goals with progress, as far as the viewer may see them."""

from django.utils.translation import gettext_lazy as _

from access.rules import shown, visible
from access.viewer import Viewer
from conversations.agenda import AgendaSection, agenda_source
from conversations.models import Conversation, Kind
from goals.models import STALE_WEEKS, Objective
from goals.queries import needing_attention

ATTENTION_LIMIT = 8
REVIEW_LIMIT = 20


@agenda_source(order=10)
def goals(conversation: Conversation, viewer: Viewer) -> AgendaSection | None:
    """The employee's goals needing attention; on a quarterly review, all current goals."""
    stale_weeks = STALE_WEEKS.get()
    own = Objective.objects.filter(owner_person_id=conversation.employee_id)
    if conversation.kind == Kind.QUARTERLY:
        rows = list(
            visible(viewer, own)
            .current()
            .select_related("owner_person")
            .with_key_results()
            .order_by("end_date", "pk")[:REVIEW_LIMIT]
        )
        shown(viewer, rows)
        return AgendaSection(
            "goals", _("Goals this quarter"), "goals/agenda/_goals_review.html", {"goals": rows}
        )
    attention = needing_attention(viewer, own, stale_weeks, ATTENTION_LIMIT)
    shown(viewer, [row.goal for row in attention["rows"]])
    return AgendaSection(
        "goals", _("Goals needing attention"), "goals/agenda/_goals.html", attention
    )
