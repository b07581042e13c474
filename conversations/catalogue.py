"""The kinds of personal data the conversations module holds (`access.catalogue`): all about the
employee whose conversation it is, private notes about their author."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, register
from conversations.models import ActionItem, AgendaItem, Conversation, Note, PrivateNote

register(
    DataKind(
        "conversations.record",
        _("Conversation records"),
        Conversation,
        subject="employee",
        module="conversations",
        description=_("Your check-ins, quarterly reviews and development conversations."),
    ),
    DataKind(
        "conversations.preparation",
        _("Preparation"),
        AgendaItem,
        subject="conversation__employee",
        module="conversations",
        description=_("The talking points on your conversations' shared agendas."),
    ),
    DataKind(
        "conversations.notes",
        _("Shared notes"),
        Note,
        subject="conversation__employee",
        module="conversations",
    ),
    DataKind(
        "conversations.private_notes",
        _("Private notes"),
        PrivateNote,
        subject="author",
        module="conversations",
        description=_("The notes you keep for yourself about a conversation."),
    ),
    DataKind(
        "conversations.actions",
        _("Action items"),
        ActionItem,
        subject="employee",
        module="conversations",
    ),
)
