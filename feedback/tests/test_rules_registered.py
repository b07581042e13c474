"""Every protected feedback model has its rules registered with `access`, so that pages and the
API can load it only through `access.rules`, and the generic rules test
(`access/tests/test_rules_agree.py`, on the objects of `feedback/tests/population.py`) checks
that its SQL filter and its object check agree."""

from access import rules
from feedback.models import (
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
)

PROTECTED = {
    Feedback,
    FeedbackRequest,
    FeedbackAsk,
    ReviewCycle,
    ReviewParticipant,
    ReviewInvitation,
}


def test_every_protected_feedback_model_is_registered():
    assert {rule.model for rule in rules.registered()} >= PROTECTED


def test_the_360_report_threshold_is_the_rule_s_smallest_group(db):
    from feedback.tests.factories import add_participant, make_cycle
    from people.models import Person

    person = Person.objects.create_user("p@example.com", None, name="P")
    participant = add_participant(make_cycle(anonymity_threshold=5), person)
    assert rules.min_group_size(ReviewParticipant, participant) == 5
    assert rules.min_group_size(ReviewParticipant) == 3
