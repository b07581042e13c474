"""Feedback, requests and 360 cycles for tests."""

from datetime import timedelta

from django.utils import timezone

from feedback.models import (
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    Kind,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
    Visibility,
)
from feedback.reviewing import submit_answers

# The two questions of most 360 tests: a rating, in a competency, and an open question.
RATED = "Explains decisions clearly"
OPEN = "What should she keep doing?"


def give(
    giver,
    receiver,
    text="You explained the migration plan clearly in Monday's demo.",
    kind=Kind.PRAISE,
    visibility=Visibility.PRIVATE,
    **fields,
):
    return Feedback.objects.create(
        giver=giver, receiver=receiver, text=text, kind=kind, visibility=visibility, **fields
    )


def make_request(requester, requestees, topic="My presentation today", due=None, **fields):
    request = FeedbackRequest.objects.create(
        requester=requester,
        topic=topic,
        due_date=due or timezone.localdate() + timedelta(days=7),
        **fields,
    )
    for person in requestees:
        FeedbackAsk.objects.create(request=request, requestee=person)
    return request


def make_cycle(
    name="Spring 360",
    status="reviewing",
    questions=(("Communicates clearly", "rating"), ("What should they keep doing?", "open")),
    **fields,
):
    today = timezone.localdate()
    fields.setdefault("period_start", today - timedelta(days=180))
    fields.setdefault("period_end", today)
    fields.setdefault("nominations_due", today + timedelta(days=7))
    fields.setdefault("answers_due", today + timedelta(days=21))
    cycle = ReviewCycle.objects.create(name=name, status=status, **fields)
    for position, (text, kind) in enumerate(questions):
        ReviewQuestion.objects.create(cycle=cycle, position=position, text=text, kind=kind)
    return cycle


def add_participant(cycle, person, **fields):
    fields.setdefault("manager", person.manager)
    return ReviewParticipant.objects.create(cycle=cycle, person=person, **fields)


def invite(participant, reviewer, group=RaterGroup.PEER, **fields):
    return ReviewInvitation.objects.create(
        participant=participant, reviewer=reviewer, group=group, **fields
    )


def close(cycle):
    """Close the reviews as HR does (`feedback.cycles.advance`): the sealed answers become
    readable answers, shuffled."""
    from feedback.cycles import advance

    advance(cycle, CycleStatus.CLOSED)


def make_review_cycle(
    name="Spring 360", *, rated=RATED, competency="Communication", open_question=OPEN, **fields
):
    """A cycle asking the two questions most 360 tests need: `rated` (a rating, in
    `competency`) first, then `open_question` (a comment)."""
    cycle = make_cycle(name, questions=(), **fields)
    ReviewQuestion.objects.create(cycle=cycle, position=0, text=rated, competency=competency)
    ReviewQuestion.objects.create(cycle=cycle, position=1, text=open_question, kind="open")
    return cycle


def answer(invitation, rating, comment=""):
    """The reviewer answers a cycle made by `make_review_cycle`: `rating` to its rated question,
    `comment` to its open one (as the answer page sends them)."""
    rated, open_question = invitation.participant.cycle.questions.order_by("position")[:2]
    return submit_answers(invitation, [(rated, rating, ""), (open_question, None, comment)])


def answered_by(participant, given):
    """Each `(reviewer, group, rating, comment)` of `given` is invited to review the participant
    and answers (`answer`); their invitations, in that order."""
    invitations = []
    for reviewer, group, rating, comment in given:
        invitation = invite(participant, reviewer, group)
        answer(invitation, rating, comment)
        invitations.append(invitation)
    return invitations
