from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks and chat channels")

    def ready(self):
        from cadence import events
        from webhooks import dispatch, rules  # noqa: F401 - registers the rules with access

        events.listener(dispatch.on_event)
