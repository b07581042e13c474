"""The kinds of personal data the people module holds (`access.catalogue`)."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from people.models import Person

register(
    DataKind(
        "people.profile",
        _("Profile"),
        Person,
        subject="pk",
        public=True,
        description=_("Your name, job title, team, manager and e-mail address."),
        export=Export(
            (
                "name",
                "email",
                "job_title",
                "team__name",
                "manager__name",
                "time_zone",
                "language",
                "date_joined",
                "last_login",
            )
        ),
    ),
    DataKind(
        "people.employment",
        _("Employment details"),
        Person,
        subject="pk",
        action="view_employment",
        description=_("Your role, level, start date and leave date."),
        export=Export(("role__name", "level", "start_date", "leave_date")),
    ),
)
