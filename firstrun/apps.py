from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirstRunConfig(AppConfig):
    """The first run of a fresh installation: claiming it with the set-up code printed on the
    server, the administrator's short guide, and HR's "Getting started" checklist on Home."""

    name = "firstrun"
    verbose_name = _("First run")
    default_auto_field = "django.db.models.BigAutoField"
