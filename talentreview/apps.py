from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentReviewConfig(AppConfig):
    name = "talentreview"
    verbose_name = _("Talent reviews")

    def ready(self):
        from talentreview import rules  # noqa: F401 - registers the talent review rules
