"""Assessments through their services: who may start, rate, share, agree and close, what each
side sees of the other's ratings and when, and what HR and the chain above see."""

import pytest
from django.core.exceptions import PermissionDenied

from access.rules import can, visible
from cadence.refusals import Conflict, Refused
from feedback.models import Feedback
from goals.tests.factories import make_goal
from growth import services
from growth.models import Assessment, AssessmentRound, Rating, Side
from growth.tests.factories import publish
from growth.tests.helpers import as_, competency, rated
from notifications.models import Notification
from trust.models import AuditEntry


def seen(person, assessment):
    """The sides of the assessment's ratings `person` sees."""
    ratings = visible(as_(person), Rating).filter(assessment=assessment)
    return sorted({rating.side for rating in ratings})


def test_alice_starts_her_own_assessment_against_the_current_version(cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    assert assessment.version == framework
    assert assessment.status == "open"
    assert not Notification.objects.filter(recipient=cast.alice).exists()


def test_bob_starts_one_for_alice_and_she_is_told(cast, framework, mailoutbox):
    assessment = services.start_assessment(as_(cast.bob), cast.alice.pk)
    assert assessment.started_by == cast.bob
    notification = Notification.objects.get(recipient=cast.alice)
    assert notification.kind == "assessment_started"
    assert notification.link == assessment.get_absolute_url()
    assert "Bob Manager started an assessment" in mailoutbox[0].subject


def test_only_the_person_and_their_manager_start_one(cast, framework):
    for person in (cast.carol, cast.dave, cast.erin):
        with pytest.raises(PermissionDenied):
            services.start_assessment(as_(person), cast.alice.pk)


def test_one_open_assessment_at_a_time(cast, framework):
    services.start_assessment(as_(cast.alice), cast.alice.pk)
    with pytest.raises(Refused):
        services.start_assessment(as_(cast.bob), cast.alice.pk)


def test_without_a_framework_there_is_nothing_to_assess_against(cast):
    with pytest.raises(Refused):
        services.start_assessment(as_(cast.alice), cast.alice.pk)


def test_draft_self_ratings_are_alices_alone_until_she_shares(cast, framework, mailoutbox):
    assessment = rated(cast, mine=3, share=False)
    assert seen(cast.alice, assessment) == ["self"]
    assert seen(cast.bob, assessment) == []
    services.share(as_(cast.alice), assessment)
    assert seen(cast.bob, assessment) == ["self"]
    notification = Notification.objects.get(recipient=cast.bob)
    assert notification.kind == "self_assessment_shared"
    assert "Alice Employee shared their self-assessment" in mailoutbox[-1].subject


def test_the_managers_drafts_are_his_alone_until_he_shares(cast, framework):
    assessment = rated(cast, theirs=2, share=False)
    assert seen(cast.bob, assessment) == ["manager"]
    assert seen(cast.alice, assessment) == []
    services.share(as_(cast.bob), assessment)
    assert seen(cast.alice, assessment) == ["manager"]


def test_hr_sees_that_it_exists_and_its_status_never_the_ratings(cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    erin = as_(cast.erin)
    assert can(erin, "view", assessment)
    assert seen(cast.erin, assessment) == []
    services.share_with_hr(as_(cast.alice), assessment)
    assert seen(cast.erin, assessment) == ["manager", "self"]


def test_the_chain_above_the_manager_and_a_peer_see_nothing(cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    for person in (cast.carol, cast.dave, cast.frank):
        assert not visible(as_(person), Assessment).filter(pk=assessment.pk).exists()
        assert seen(person, assessment) == []


def test_a_new_manager_sees_it_and_the_old_one_no_longer(cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    cast.alice.manager = cast.carol
    cast.alice.save()
    assert seen(cast.carol, assessment) == ["manager", "self"]
    assert seen(cast.bob, assessment) == []


def test_a_level_must_be_one_of_the_versions_and_a_competency_of_it(cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication").pk
    with pytest.raises(Refused) as refused:
        services.rate(as_(cast.alice), assessment, competency_id=target, level=9)
    assert refused.value.errors[0][0] == "level"
    other = publish_renamed()
    with pytest.raises(Refused) as refused:
        services.rate(
            as_(cast.alice), assessment, competency_id=other.competencies.first().pk, level=1
        )
    assert refused.value.errors[0][0] == "competency"


def test_not_assessed_is_a_rating_without_a_level(cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication").pk
    rating = services.rate(as_(cast.alice), assessment, competency_id=target, level=None)
    assert rating.level is None
    with pytest.raises(Refused):  # nothing rated: nothing to share
        services.share(as_(cast.alice), assessment)


def test_only_alice_attaches_feedback_and_only_what_she_received(cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication").pk
    hers = Feedback.objects.create(
        giver=cast.dave, receiver=cast.alice, text="Clear notes", competency="communication"
    )
    daves = Feedback.objects.create(giver=cast.alice, receiver=cast.dave, text="Thanks")
    rating = services.rate(
        as_(cast.alice), assessment, competency_id=target, level=2, feedback_ids=[hers.pk]
    )
    assert list(rating.feedback.all()) == [hers]
    with pytest.raises(Refused):
        services.rate(
            as_(cast.alice), assessment, competency_id=target, level=2, feedback_ids=[daves.pk]
        )
    with pytest.raises(Refused):
        services.rate(
            as_(cast.bob), assessment, competency_id=target, level=2, feedback_ids=[hers.pk]
        )


def test_goals_as_evidence_are_alices_that_the_rater_may_see(cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication").pk
    private = make_goal(cast.alice, visibility="private")
    rating = services.rate(
        as_(cast.bob), assessment, competency_id=target, level=2, goal_ids=[private.pk]
    )
    assert list(rating.goals.all()) == [private]
    with pytest.raises(Refused):
        services.rate(
            as_(cast.bob),
            assessment,
            competency_id=target,
            level=2,
            goal_ids=[make_goal(cast.dave).pk],
        )


def test_the_manager_agrees_once_he_shared_and_alice_is_told_when_recorded(cast, framework):
    assessment = rated(cast, mine=3, theirs=2, share=False)
    services.share(as_(cast.alice), assessment)
    target = competency(assessment, "communication").pk
    with pytest.raises(PermissionDenied):
        services.agree(as_(cast.bob), assessment, competency_id=target, level=2)
    assessment = services.share(as_(cast.bob), assessment)
    with pytest.raises(PermissionDenied):
        services.agree(as_(cast.alice), assessment, competency_id=target, level=3)
    agreed = services.agree(as_(cast.bob), assessment, competency_id=target, level=2, note="OK")
    assert agreed.side == Side.AGREED
    assert seen(cast.alice, assessment) == ["agreed", "manager", "self"]
    services.record_agreement(as_(cast.bob), assessment)
    assessment.refresh_from_db()
    assert assessment.status == "agreed"
    assert Notification.objects.filter(recipient=cast.alice, kind="levels_agreed").exists()
    with pytest.raises(Conflict):
        services.record_agreement(as_(cast.bob), assessment)


def test_a_shared_side_no_longer_changes(cast, framework):
    assessment = rated(cast, mine=3)
    target = competency(assessment, "communication").pk
    with pytest.raises(PermissionDenied):
        services.rate(as_(cast.alice), assessment, competency_id=target, level=1)


def test_nothing_changes_once_closed(cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    assessment = services.close(as_(cast.alice), assessment)
    target = competency(assessment, "communication").pk
    with pytest.raises(PermissionDenied):
        services.agree(as_(cast.bob), assessment, competency_id=target, level=2)
    with pytest.raises(PermissionDenied):
        services.close(as_(cast.bob), assessment)
    services.start_assessment(as_(cast.alice), cast.alice.pk)  # a new one may start


def publish_renamed():
    """Version 2: communication renamed (same key), collaboration's description changed."""
    from growth import queries
    from growth.document import write

    text = write(queries.current().document())
    return publish(text.replace("name: Communication", "name: Communicating"), note="Renamed")


def test_a_framework_edit_never_changes_a_past_assessment(cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    before = list(
        Rating.objects.filter(assessment=assessment).values_list(
            "competency_id", "competency__name", "competency__version__number", "side", "level"
        )
    )
    publish_renamed()
    assessment.refresh_from_db()
    assert assessment.version == framework
    after = list(
        Rating.objects.filter(assessment=assessment).values_list(
            "competency_id", "competency__name", "competency__version__number", "side", "level"
        )
    )
    assert after == before
    assert ("Communication", 1) in {(row[1], row[2]) for row in after}


def test_hr_starts_a_round_for_a_team_in_scope_audited(cast, framework):
    from datetime import timedelta

    from django.utils import timezone

    due = timezone.localdate() + timedelta(days=14)
    started = services.start_round(
        as_(cast.erin), name="Spring", team_id=cast.engineering.pk, due_date=due
    )
    subjects = set(started.assessments.values_list("subject__name", flat=True))
    assert subjects == {"Alice Employee", "Bob Manager", "Carol Leader"}
    assert set(started.assessments.values_list("due_date", flat=True)) == {due}
    entry = AuditEntry.objects.get(action="growth.round_started")
    assert entry.changes["people"] == 3
    with pytest.raises(PermissionDenied):
        services.start_round(as_(cast.bob), name="No", team_id=None, due_date=due)
    # Those with one open are left out of the next round.
    again = services.start_round(as_(cast.erin), name="Again", team_id=None, due_date=due)
    assert not again.assessments.filter(subject=cast.alice).exists()
    assert AssessmentRound.objects.count() == 2


def test_a_new_manager_never_reads_the_previous_managers_unshared_ratings(cast, framework):
    from access.rules import can, visible
    from growth.models import Rating, Side
    from growth.tests.helpers import as_, competency, rated

    assessment = rated(cast, theirs=2, share=False)  # Bob's draft
    draft = Rating.objects.get(assessment=assessment, side=Side.MANAGER)
    cast.alice.refresh_from_db()
    cast.alice.manager = cast.carol
    cast.alice.save()
    carol = as_(cast.carol)
    assert not visible(carol, Rating).filter(pk=draft.pk).exists()
    assert not can(
        carol, "view", Rating.objects.select_related("assessment__subject").get(pk=draft.pk)
    )
    assert competency(assessment, "communication")  # the assessment itself stays hers
