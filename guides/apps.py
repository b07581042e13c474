from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    """Help: the "How this works" panel on each module's main page (`{% help "key" %}`, texts in
    `guides/panels.py`) and the role guides of `docs/`, served read-only."""

    name = "guides"
    verbose_name = _("Help and guides")
