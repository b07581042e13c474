"""The kinds of personal data the feedback module holds (`access.catalogue`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, Rows, register
from feedback.models import (
    Feedback,
    FeedbackRequest,
    ReviewInvitation,
    ReviewParticipant,
    Visibility,
)

PRAISE_FOR_EVERYONE = {"visibility": Visibility.ORGANISATION}


def _reactions(feedback: Feedback) -> dict[str, int]:
    """How many reacted with each emoji (as the page shows it: counts, not who)."""
    counts: dict[str, int] = {}
    for reaction in feedback.reactions.all():
        counts[reaction.emoji] = counts.get(reaction.emoji, 0) + 1
    return counts


# Feedback with its replies, as giver and receiver both read them.
FEEDBACK = Export(
    (
        "giver__name",
        "receiver__name",
        "kind",
        "text",
        "goal_id",
        "visibility",
        "shared_with__name",
        "shared_with_manager_at",
        "request_id",
        "created_at",
        "edited_at",
        "read_at",
        ("reactions", _reactions),
    ),
    rows=(Rows("replies", ("author__name", "text", "created_at"), label=_("replies")),),
    load=lambda items: items.prefetch_related("reactions"),
)


def _report(participant: ReviewParticipant) -> Any:
    """The participant's 360 report, as its page shows it (built once per export)."""
    from feedback.report import build_report

    if not hasattr(participant, "_exported_report"):
        participant._exported_report = build_report(participant)  # type: ignore[attr-defined]
    return participant._exported_report  # type: ignore[attr-defined]


def _figures(participant: ReviewParticipant) -> list[dict[str, Any]]:
    return [
        {
            "competency": section.competency,
            "question": question.question.text,
            "group": row.label,
            "mean": row.mean,
            "count": row.count,
        }
        for section in _report(participant).sections
        for question in section.questions
        for row in question.rows
    ]


def _comments(participant: ReviewParticipant) -> list[dict[str, Any]]:
    return [
        {"question": question.question.text, "group": block.label, "comment": comment}
        for section in _report(participant).sections
        for question in section.questions
        for block in question.comments
        for comment in block.comments
    ]


CYCLE = ("cycle__name", "cycle__period_start", "cycle__period_end")

register(
    DataKind(
        "feedback.received",
        _("Feedback and praise you received"),
        Feedback,
        subject="receiver",
        where={"shared_with__isnull": True},
        public=PRAISE_FOR_EVERYONE,
        module="feedback",
        export=FEEDBACK,
    ),
    DataKind(
        "feedback.shared",
        _("Feedback you shared with your manager"),
        Feedback,
        subject="receiver",
        where={"shared_with__isnull": False},
        public=PRAISE_FOR_EVERYONE,
        module="feedback",
        export=FEEDBACK,
    ),
    DataKind(
        "feedback.given",
        _("Feedback and praise you gave"),
        Feedback,
        subject="giver",
        public=PRAISE_FOR_EVERYONE,
        module="feedback",
        export=FEEDBACK,
    ),
    DataKind(
        "feedback.requests",
        _("Feedback requests"),
        FeedbackRequest,
        subject="requester",
        module="feedback",
        description=_("What you asked feedback about, and whom."),
        export=Export(
            ("topic", "goal_id", "due_date", "created_at"),
            rows=(
                Rows(
                    "asks",
                    ("requestee__name", "status", "answer_id", "answered_at", "declined_reason"),
                    label=_("the people asked"),
                ),
            ),
        ),
    ),
    DataKind(
        "feedback.reviews",
        _("Your 360 reviews"),
        ReviewParticipant,
        subject="person",
        module="feedback",
        description=_("That you take part in a 360 review, its reviewers and its progress."),
        export=Export(
            (
                *CYCLE,
                "cycle__status",
                "manager__name",
                "nominations_submitted_at",
                "nominations_approved_at",
                "released_at",
            ),
            rows=(
                Rows("nominations", ("reviewer__name", "status"), label=_("the peers nominated")),
            ),
        ),
    ),
    DataKind(
        "feedback.review_reports",
        _("Your 360 reports"),
        ReviewParticipant,
        subject="person",
        action="view_report",
        module="feedback",
        export=Export(
            (*CYCLE, "released_at"),
            rows=(
                Rows(
                    "figures",
                    ("competency", "question", "group", "mean", "count"),
                    of=_figures,
                    label=_("the mean rating of each group, per question"),
                ),
                Rows(
                    "comments",
                    ("question", "group", "comment"),
                    of=_comments,
                    label=_("the comments, per question and group"),
                ),
            ),
        ),
    ),
    DataKind(
        "feedback.review_invitations",
        _("360 reviews you were asked to give"),
        ReviewInvitation,
        subject="reviewer",
        module="feedback",
        export=Export(
            (
                "participant__person__name",
                "participant__cycle__name",
                "group",
                "answered",
                "declined",
            )
        ),
        nobody=_(
            "Who wrote an anonymous answer: once a review closes, answers are stored without "
            "any link to the person who gave them, so Cadence itself does not know."
        ),
    ),
)
