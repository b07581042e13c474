from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    """The organisation's own settings, administered in the app: its name, language and time
    zone, which modules are on, and the pilot teams Cadence runs in."""

    name = "organisation"
    verbose_name = _("Organisation settings")
    default_auto_field = "django.db.models.BigAutoField"
