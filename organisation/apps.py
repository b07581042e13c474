from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    """The organisation's own settings, administered in the app: its name, language and time
    zone, which modules are on, and the pilot teams Cadence runs in."""

    name = "organisation"
    verbose_name = _("Organisation settings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from organisation import current
        from organisation.models import OrgSettings, PilotTeam

        # A change made in this process is seen at once; other processes see it within
        # `ORGANISATION_SETTINGS_SECONDS` (`organisation.current`).
        for signal in (post_save, post_delete):
            for model in (OrgSettings, PilotTeam):
                signal.connect(current.forget_on_change, sender=model)
