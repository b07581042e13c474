"""The kinds of personal data the goals module holds (`access.catalogue`): a person's goals, by how
they are shared. Key results, progress and adjustments go with their goal."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, register
from goals.models import Objective, Visibility


def _goal(visibility: str):
    def example(person) -> Objective:
        return Objective(owner_person=person, visibility=visibility, title="")

    return example


register(
    DataKind(
        "goals.public",
        _("Goals shared with everyone"),
        Objective,
        subject="owner_person",
        where={"visibility": Visibility.PUBLIC},
        public=True,
        module="goals",
        example=_goal(Visibility.PUBLIC),
    ),
    DataKind(
        "goals.team",
        _("Goals shared with your team and management chain"),
        Objective,
        subject="owner_person",
        where={"visibility": Visibility.TEAM},
        module="goals",
        example=_goal(Visibility.TEAM),
    ),
    DataKind(
        "goals.private",
        _("Private goals"),
        Objective,
        subject="owner_person",
        where={"visibility": Visibility.PRIVATE},
        module="goals",
        example=_goal(Visibility.PRIVATE),
    ),
)
