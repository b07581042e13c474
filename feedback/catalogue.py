"""The kinds of personal data the feedback module holds (`access.catalogue`)."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, register
from feedback.models import (
    Feedback,
    FeedbackRequest,
    ReviewInvitation,
    ReviewParticipant,
    Visibility,
)

PRAISE_FOR_EVERYONE = {"visibility": Visibility.ORGANISATION}

register(
    DataKind(
        "feedback.received",
        _("Feedback and praise you received"),
        Feedback,
        subject="receiver",
        where={"shared_with__isnull": True},
        public=PRAISE_FOR_EVERYONE,
        module="feedback",
    ),
    DataKind(
        "feedback.shared",
        _("Feedback you shared with your manager"),
        Feedback,
        subject="receiver",
        where={"shared_with__isnull": False},
        public=PRAISE_FOR_EVERYONE,
        module="feedback",
    ),
    DataKind(
        "feedback.given",
        _("Feedback and praise you gave"),
        Feedback,
        subject="giver",
        public=PRAISE_FOR_EVERYONE,
        module="feedback",
    ),
    DataKind(
        "feedback.requests",
        _("Feedback requests"),
        FeedbackRequest,
        subject="requester",
        module="feedback",
        description=_("What you asked feedback about, and whom."),
    ),
    DataKind(
        "feedback.reviews",
        _("Your 360 reviews"),
        ReviewParticipant,
        subject="person",
        module="feedback",
        description=_("That you take part in a 360 review, its reviewers and its progress."),
    ),
    DataKind(
        "feedback.review_reports",
        _("Your 360 reports"),
        ReviewParticipant,
        subject="person",
        action="view_report",
        module="feedback",
    ),
    DataKind(
        "feedback.review_invitations",
        _("360 reviews you were asked to give"),
        ReviewInvitation,
        subject="reviewer",
        module="feedback",
        nobody=_(
            "Who wrote an anonymous answer: once a review closes, answers are stored without "
            "any link to the person who gave them, so Cadence itself does not know."
        ),
    ),
)
