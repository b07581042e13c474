from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuccessionConfig(AppConfig):
    name = "succession"
    verbose_name = _("Key positions and succession")

    def ready(self):
        from succession import rules  # noqa: F401 - registers the succession rules with access
