"""The kinds of personal data the feedback module holds (`access.catalogue`), and the 360 reports
that count someone's anonymous answers."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, DataKind, Export, Rows, register, register_aggregate
from feedback.models import (
    ANONYMOUS_GROUPS,
    CycleStatus,
    Feedback,
    FeedbackRequest,
    Kind,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    Visibility,
)
from feedback.rules import EVERYONE_WHILE_HERE, audience_of


def _public(feedback: Feedback) -> bool:
    """Seen by everyone signed in: praise for everyone, while its receiver works here (the
    rule's `EVERYONE_WHILE_HERE`); once they have left, only giver and receiver see it."""
    return EVERYONE_WHILE_HERE in audience_of(feedback) and not feedback.receiver.has_left


# Examples, for My data when someone has none yet: as private as each kind starts out.


def _received(person) -> Feedback:
    return Feedback(receiver=person, kind=Kind.CONSTRUCTIVE, visibility=Visibility.PRIVATE)


def _shared(person) -> Feedback:
    return Feedback(
        receiver=person,
        kind=Kind.CONSTRUCTIVE,
        visibility=Visibility.PRIVATE,
        shared_with=person.manager,
    )


def _given(person) -> Feedback:
    return Feedback(giver=person, kind=Kind.CONSTRUCTIVE, visibility=Visibility.PRIVATE)


def _review(person, *, released: bool = False) -> ReviewParticipant:
    """Taking part in an organisation-wide 360 cycle, its report released when `released`."""
    status = CycleStatus.CLOSED if released else CycleStatus.REVIEWING
    return ReviewParticipant(
        cycle=ReviewCycle(status=status),
        person=person,
        manager=person.manager,
        released_at=timezone.now() if released else None,
    )


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
        public=_public,
        module="feedback",
        description=_(
            "Private to you and who gave it, unless they gave praise for your team or everyone "
            "to see."
        ),
        export=FEEDBACK,
        example=_received,
    ),
    DataKind(
        "feedback.shared",
        _("Feedback you shared with your manager"),
        Feedback,
        subject="receiver",
        where={"shared_with__isnull": False},
        public=_public,
        module="feedback",
        export=FEEDBACK,
        example=_shared,
    ),
    DataKind(
        "feedback.given",
        _("Feedback and praise you gave"),
        Feedback,
        subject="giver",
        public=_public,
        module="feedback",
        export=FEEDBACK,
        example=_given,
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
        example=lambda person: FeedbackRequest(requester=person),
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
        example=_review,
    ),
    DataKind(
        "feedback.review_reports",
        _("Your 360 reports"),
        ReviewParticipant,
        subject="person",
        action="view_report",
        module="feedback",
        description=_("You read your report once your manager or HR releases it to you."),
        example=lambda person: _review(person, released=True),
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
        example=lambda person: ReviewInvitation(reviewer=person),
        same_audience=True,  # the reviewer alone
    ),
)

register_aggregate(
    Aggregate(
        "feedback.anonymous_answers",
        _("360 reports you answered for anonymously"),
        _(
            "Your answers as a peer or direct report count in the reports of the people you "
            "reviewed, only together with enough others' answers and never under your name. "
            "Their manager and HR read those reports, and the person once it is released."
        ),
        counted=lambda person_id: [
            ReviewInvitation.objects.filter(
                reviewer=person_id, answered=True, group__in=ANONYMOUS_GROUPS
            )
        ],
        module="feedback",
    ),
)
