"""Authorization-matrix entries for this part of the feedback module: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

360 cycles are HR's to set up and follow (counts, never answers). A participant nominates
their own peers; their manager (as of the cycle's start) or HR approves them. An invitation to
answer is its reviewer's alone: everyone else, the participant included, gets a 404.
"""

from cadence.tests.matrix import DENIED, HIDDEN, HR_ONLY, LOGIN, OK, PAGE, Route
from feedback.models import (
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
)
from feedback.tests.factories import add_participant, invite, make_cycle


def a_draft_cycle(cast):
    cycle = ReviewCycle.objects.filter(name="Matrix draft").first()
    return (cycle or make_cycle("Matrix draft", status="draft")).pk


def a_draft_question(cast):
    return ReviewQuestion.objects.filter(cycle_id=a_draft_cycle(cast)).order_by("pk").first().pk


def alices_nominating_participant(cast):
    existing = ReviewParticipant.objects.filter(
        person=cast.alice, cycle__status="nominating"
    ).first()
    if existing is None:
        existing = add_participant(make_cycle("Matrix nominating", status="nominating"), cast.alice)
    return existing.pk


def daves_invitation_for_alice(cast):
    existing = ReviewInvitation.objects.filter(reviewer=cast.dave).first()
    if existing is None:
        participant = add_participant(make_cycle("Matrix reviewing"), cast.alice)
        existing = invite(participant, cast.dave, RaterGroup.PEER)
    return existing.pk


ROUTES: dict = {
    # Everyone has a reviews page (what to answer, their own 360); HR sees the cycles there too.
    "feedback:reviews": Route(PAGE),
    "feedback:cycle_create": Route(HR_ONLY),
    "feedback:cycle": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    "feedback:cycle_edit": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    "feedback:cycle_participants": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    # The confirmation of the next step (a post acts only with `confirm`), HR's alone.
    "feedback:cycle_advance": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    # The question editor and the preview of what reviewers see: HR running the cycle only.
    "feedback:cycle_questions": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    "feedback:cycle_question_new": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    "feedback:cycle_question_edit": Route(
        HR_ONLY, kwargs={"cycle_id": a_draft_cycle, "question_id": a_draft_question}
    ),
    "feedback:cycle_preview": Route(HR_ONLY, kwargs={"cycle_id": a_draft_cycle}),
    # Alice nominates her own peers; Bob (her manager) and HR approve instead.
    "feedback:nominate": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": DENIED, "hr": DENIED},
        kwargs={"participant_id": alices_nominating_participant},
    ),
    "feedback:approve": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": DENIED, "manager": OK, "hr": OK},
        kwargs={"participant_id": alices_nominating_participant},
    ),
    # Dave's invitation to review Alice: his alone.
    "feedback:answer": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "peer": OK},
        kwargs={"invitation_id": daves_invitation_for_alice},
    ),
}
