"""The kinds of personal data the goals module holds (`access.catalogue`): a person's goals, by how
they are shared. Key results, progress and adjustments go with their goal."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, Rows, register
from goals.models import Objective, Visibility


def _goal(visibility: str):
    def example(person) -> Objective:
        return Objective(owner_person=person, visibility=visibility, title="")

    return example


# A goal with what it owns: its key results, progress updates and adjustments.
GOAL = Export(
    (
        "title",
        "description",
        "kind",
        "status",
        "visibility",
        "start_date",
        "end_date",
        ("progress", lambda goal: goal.progress_cache),
        "manual_progress",
        "final_score",
        "created_at",
        "last_activity_at",
    ),
    rows=(
        Rows(
            "key_results",
            (
                "title",
                "type",
                "unit",
                "direction",
                "start_value",
                "target_value",
                "current_value",
                "done",
                "weight",
                "updated_at",
            ),
            label=_("key results"),
        ),
        Rows(
            "updates",
            (
                "key_result_id",
                "value",
                "done",
                "confidence",
                "comment",
                "author__name",
                "created_at",
            ),
            label=_("progress updates"),
        ),
        Rows(
            "adjustments",
            ("reason", "changes", "author__name", "created_at"),
            label=_("adjustments"),
        ),
    ),
)

register(
    DataKind(
        "goals.public",
        _("Goals shared with everyone"),
        Objective,
        subject="owner_person",
        where={"visibility": Visibility.PUBLIC},
        public=True,
        module="goals",
        export=GOAL,
        example=_goal(Visibility.PUBLIC),
    ),
    DataKind(
        "goals.team",
        _("Goals shared with your team and management chain"),
        Objective,
        subject="owner_person",
        where={"visibility": Visibility.TEAM},
        module="goals",
        export=GOAL,
        example=_goal(Visibility.TEAM),
    ),
    DataKind(
        "goals.private",
        _("Private goals"),
        Objective,
        subject="owner_person",
        where={"visibility": Visibility.PRIVATE},
        module="goals",
        export=GOAL,
        example=_goal(Visibility.PRIVATE),
    ),
)
