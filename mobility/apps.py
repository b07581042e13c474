from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "mobility"
    verbose_name = _("Internal mobility")

    def ready(self):
        from mobility import rules  # noqa: F401 - registers the mobility rules with access
