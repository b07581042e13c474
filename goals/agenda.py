"""The goals section of a conversation's agenda, through the conversations module's extension
point (`conversations.agenda.agenda_source`; this module is found by the autodiscovery in
`ConversationsConfig.ready`): the employee's goals needing attention, or on a quarterly review
all their current goals with progress, as far as the viewer may see them.

Read through the rules with SQL kept per viewer state and day (`cadence.waiting.kept_rows`):
building these queries cost more than running them."""

from django.utils.translation import gettext_lazy as _

from access.rules import shown, visible
from access.viewer import Viewer
from cadence.waiting import kept_rows
from conversations.agenda import AgendaSection, agenda_source
from conversations.models import Conversation, Kind
from goals.models import STALE_WEEKS, Objective
from goals.queries import attention_goals, attention_rows

ATTENTION_LIMIT = 8
REVIEW_LIMIT = 20


@agenda_source(order=10)
def goals(conversation: Conversation, viewer: Viewer) -> AgendaSection | None:
    """The employee's goals needing attention; on a quarterly review, all current goals."""
    assert viewer.person is not None  # only the two participants see an agenda
    today = viewer.person.local_today()
    employee_id = conversation.employee_id
    own = Objective.objects.filter(owner_person_id=employee_id)
    if conversation.kind == Kind.QUARTERLY:
        rows = kept_rows(
            viewer,
            today,
            ("agenda:goals_review", employee_id, REVIEW_LIMIT),
            lambda: (
                visible(viewer, own)
                .current()
                .select_related("owner_person")
                .with_key_results()
                .order_by("end_date", "pk")[:REVIEW_LIMIT]
            ),
        )
        shown(viewer, rows)
        return AgendaSection(
            "goals", _("Goals this quarter"), "goals/agenda/_goals_review.html", {"goals": rows}
        )
    stale_weeks = STALE_WEEKS.get()
    goals = kept_rows(
        viewer,
        today,
        ("agenda:goals_attention", employee_id, stale_weeks, ATTENTION_LIMIT),
        lambda: attention_goals(viewer, own, stale_weeks, ATTENTION_LIMIT).with_key_results(),
    )
    attention = attention_rows(viewer, goals, stale_weeks)
    shown(viewer, [row.goal for row in attention["rows"]])
    return AgendaSection(
        "goals", _("Goals needing attention"), "goals/agenda/_goals.html", attention
    )
