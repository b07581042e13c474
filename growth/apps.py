from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = _("Growth")

    def ready(self):
        from growth import rules  # noqa: F401 - the module's decisions, beside every other's
