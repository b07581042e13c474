from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Development plans")

    def ready(self):
        from plans import rules  # noqa: F401 - registers the plans rules with access
