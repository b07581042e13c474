from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's catalogue of personal data (`access.catalogue`): `<app>/catalogue.py`.
        autodiscover_modules("catalogue")
