"""The kinds of personal data Growth holds (`access.catalogue`): a person's assessments (their
existence, status and dates), their own ratings, their manager's ratings and the levels they
agreed. The framework is the organisation's, not anyone's personal data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from growth.models import Assessment, Rating, Side


def _assessment(person: Any) -> Assessment:
    """An assessment of the person, just started (an example, for My data)."""
    return Assessment(subject=person)


def _rating(side: str) -> Any:
    def example(person: Any) -> Rating:
        return Rating(assessment=_assessment(person), side=side)

    return example


RATING = Export(
    (
        "assessment_id",
        "competency__key",
        "competency__name",
        "competency__version__number",
        "level",
        "text",
        "rated_by__name",
        "updated_at",
        ("goals", lambda rating: [goal.pk for goal in rating.goals.all()]),
        ("feedback", lambda rating: [feedback.pk for feedback in rating.feedback.all()]),
    ),
    load=lambda items: items.prefetch_related("goals", "feedback"),
)

register(
    DataKind(
        "growth.assessments",
        _("Competency assessments"),
        Assessment,
        subject="subject",
        module="growth",
        description=_(
            "That you are assessed, against which version of the framework, its status and "
            "dates: HR in scope sees these, never the ratings unless you share them."
        ),
        export=Export(
            (
                "version__number",
                "started_by__name",
                "round_id",
                "due_date",
                "created_at",
                "self_shared_at",
                "manager_shared_at",
                "agreed_at",
                "closed_at",
                "hr_shared_at",
            )
        ),
        example=_assessment,
    ),
    DataKind(
        "growth.self_ratings",
        _("Your self-ratings"),
        Rating,
        subject="assessment__subject",
        where={"side": Side.SELF},
        module="growth",
        description=_(
            "Your own level of each competency, with your evidence: yours alone until you share "
            "your self-assessment with your manager."
        ),
        export=RATING,
        example=_rating(Side.SELF),
    ),
    DataKind(
        "growth.manager_ratings",
        _("Ratings by your manager"),
        Rating,
        subject="assessment__subject",
        where={"side": Side.MANAGER},
        module="growth",
        description=_(
            "Your manager's level of each of your competencies, with their evidence: theirs "
            "alone until they share it with you."
        ),
        export=RATING,
        example=_rating(Side.MANAGER),
    ),
    DataKind(
        "growth.agreed_levels",
        _("Agreed competency levels"),
        Rating,
        subject="assessment__subject",
        where={"side": Side.AGREED},
        module="growth",
        description=_("The levels you and your manager agreed, with the manager's note."),
        export=RATING,
        example=_rating(Side.AGREED),
    ),
)
