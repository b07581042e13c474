"""The kinds of personal data the conversations module holds (`access.catalogue`): all about the
employee whose conversation it is, private notes about their author; and rhythm health, which
counts a person's conversations among their team's."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, DataKind, Export, register, register_aggregate
from conversations.models import (
    RHYTHM_KINDS,
    ActionItem,
    AgendaItem,
    Conversation,
    Kind,
    Note,
    PrivateNote,
)
from conversations.rules import bucket_of


def _conversation(person) -> Conversation:
    """A check-in of the person with their manager, not held yet (an example, for My data)."""
    return Conversation(
        employee=person,
        manager=person.manager,
        kind=Kind.CHECK_IN,
        due_date=timezone.localdate(),
    )


register(
    DataKind(
        "conversations.record",
        _("Conversation records"),
        Conversation,
        subject="employee",
        module="conversations",
        description=_("Your check-ins, quarterly reviews and development conversations."),
        export=Export(
            (
                "kind",
                "title",
                "employee__name",
                "manager__name",
                "due_date",
                "starts_at",
                "status",
                "held_on",
                "skip_reason",
                "preparation",
                "prepared_at",
                "employee_signed_at",
                "manager_signed_at",
                "created_at",
            )
        ),
        example=_conversation,
    ),
    DataKind(
        "conversations.preparation",
        _("Preparation"),
        AgendaItem,
        subject="conversation__employee",
        module="conversations",
        description=_("The talking points on your conversations' shared agendas."),
        export=Export(("conversation_id", "author__name", "text", "discussed", "created_at")),
        example=lambda person: AgendaItem(conversation=_conversation(person), author=person),
    ),
    DataKind(
        "conversations.notes",
        _("Shared notes"),
        Note,
        subject="conversation__employee",
        module="conversations",
        export=Export(("conversation_id", "author__name", "text", "is_remark", "created_at")),
        example=lambda person: Note(conversation=_conversation(person), author=person),
    ),
    DataKind(
        "conversations.private_notes",
        _("Private notes"),
        PrivateNote,
        subject="author",
        module="conversations",
        description=_("The notes you keep for yourself about a conversation."),
        export=Export(("conversation_id", "text", "created_at")),
        example=lambda person: PrivateNote(conversation=_conversation(person), author=person),
    ),
    DataKind(
        "conversations.actions",
        _("Action items"),
        ActionItem,
        subject="employee",
        module="conversations",
        export=Export(
            ("conversation_id", "owner__name", "text", "due_date", "done_at", "created_at")
        ),
        example=lambda person: ActionItem(
            conversation=_conversation(person),
            employee=person,
            manager=person.manager,
            owner=person,
        ),
    ),
)

register_aggregate(
    Aggregate(
        "conversations.rhythm_health",
        _("Rhythm health"),
        _(
            "Counts how many of your check-ins and reviews were held, on time or skipped, "
            "together with your team's, month by month: dates and counts only, never what was "
            "said. Your management chain and HR read it."
        ),
        counted=lambda person_id: [
            Conversation.objects.filter(employee=person_id, kind__in=RHYTHM_KINDS)
        ],
        module="conversations",
        readers=bucket_of,  # its rule says who reads the tallies counting the person
    ),
)
