"""What erasure (`trust.erasure`) does to the feedback module's data.

Feedback they gave or received loses its text, and so do the replies to it; their feedback
requests lose their topics, and the reasons given for declining them (or given by them) go.
In 360 reviews, the named answers about them (their own, their manager's) and the manager's
answers they gave lose their comments; ratings stay, so every figure of a report stays the
same. Anonymous answers (peers, direct reports) are not touched: nothing links them to anyone.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext

from feedback.models import (
    NAMED_GROUPS,
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    RaterGroup,
    Reply,
    ReviewAnswer,
    ReviewCycle,
    ReviewInvitation,
    ReviewQuestion,
    SealedSubmission,
)
from people.models import Person
from trust.erasure import Replace, blocker, keep, register


def _named_answers(pk: int) -> Q:
    """Answers whose author is known by design: theirs and their manager's about them, and
    the ones they gave as a manager."""
    about_them = Q(participant__person=pk, group__in=NAMED_GROUPS)
    by_them = Q(
        group=RaterGroup.MANAGER,
        participant__invitations__reviewer=pk,
        participant__invitations__group=RaterGroup.MANAGER,
    )
    return about_them | by_them


@blocker
def sealed_answers(person: Person) -> str | None:
    """While a 360 review they take part in (or review as a manager) is open, answers about
    them are sealed, out of reach; erasing now would let them come back when it closes."""
    open_invitations = ReviewInvitation.objects.filter(
        participant__cycle__status=CycleStatus.REVIEWING
    ).filter(Q(participant__person=person) | Q(reviewer=person, group=RaterGroup.MANAGER))
    cycle = (
        ReviewCycle.objects.filter(participants__invitations__in=open_invitations)
        .values_list("name", flat=True)
        .first()
    )
    if cycle is None:
        return None
    return gettext(
        "%(name)s takes part in the 360 review “%(cycle)s”, which is still open: its answers "
        "stay sealed until it closes. Anonymise them after that."
    ) % {"name": person.name, "cycle": cycle}


register(
    Replace(Feedback, ("text",), lambda pk: Q(giver=pk) | Q(receiver=pk)),
    Replace(
        Reply,
        ("text",),
        lambda pk: Q(feedback__giver=pk) | Q(feedback__receiver=pk) | Q(author=pk),
    ),
    Replace(FeedbackRequest, ("topic",), lambda pk: Q(requester=pk)),
    Replace(
        FeedbackAsk, ("declined_reason",), lambda pk: Q(requestee=pk) | Q(request__requester=pk)
    ),
    Replace(ReviewAnswer, ("comment",), _named_answers),
)
keep(ReviewCycle, ("name",), "the organisation's 360 cycles")
keep(ReviewQuestion, ("text", "competency", "scale_labels"), "the cycle's questions")
keep(
    SealedSubmission,
    ("sealed",),
    "answers sealed while a review is open: nobody can read them, and erasure waits until the "
    "review has closed (`sealed_answers`)",
)
keep(Feedback, ("competency",), "the key of a competency of the organisation's framework")
keep(FeedbackRequest, ("competency",), "the key of a competency of the organisation's framework")
