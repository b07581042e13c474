"""The kinds of personal data the conversations module holds (`access.catalogue`): all about the
employee whose conversation it is, private notes about their author."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from conversations.models import ActionItem, AgendaItem, Conversation, Note, PrivateNote

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
    ),
    DataKind(
        "conversations.preparation",
        _("Preparation"),
        AgendaItem,
        subject="conversation__employee",
        module="conversations",
        description=_("The talking points on your conversations' shared agendas."),
        export=Export(("conversation_id", "author__name", "text", "discussed", "created_at")),
    ),
    DataKind(
        "conversations.notes",
        _("Shared notes"),
        Note,
        subject="conversation__employee",
        module="conversations",
        export=Export(("conversation_id", "author__name", "text", "is_remark", "created_at")),
    ),
    DataKind(
        "conversations.private_notes",
        _("Private notes"),
        PrivateNote,
        subject="author",
        module="conversations",
        description=_("The notes you keep for yourself about a conversation."),
        export=Export(("conversation_id", "text", "created_at")),
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
    ),
)
