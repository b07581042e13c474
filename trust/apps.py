from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    """Trust: what Cadence holds about each person, who can see it and who looked; the audit
    log of changes made with authority; export and erasure of personal data."""

    name = "trust"
    verbose_name = _("Trust")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trust import rules  # noqa: F401 - registers the rules with access
