from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from conversations import rules  # noqa: F401 - registers the conversations rules

        # Apps add to the automatic agenda from their own `agenda.py` (see conversations.agenda).
        autodiscover_modules("agenda")
