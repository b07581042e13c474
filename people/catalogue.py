"""The kinds of personal data the people module holds (`access.catalogue`)."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from people.models import Person


def _works_here(person: Person) -> bool:
    """A colleague's profile is the directory's, seen by everyone signed in; once they have
    left, only they and HR in scope see it (`people.rules`), and reading it is logged."""
    return not person.has_left


register(
    DataKind(
        "people.profile",
        _("Profile"),
        Person,
        subject="pk",
        public=_works_here,
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
