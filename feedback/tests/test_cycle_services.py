"""The 360 cycle writes (`feedback.services_cycles`) and the settings write, called as each
role: permission comes first (an unauthorised caller is refused even with invalid data, and
nothing is written), then the cycle's rules (`Refused`, `Conflict`)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from access.models import HRRole
from access.viewer import Viewer
from cadence.refusals import Conflict, Refused
from feedback import services, services_cycles
from feedback.cycles import QuestionData
from feedback.models import (
    CycleStatus,
    FeedbackSettings,
    Nomination,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
)
from feedback.services_cycles import CycleData
from feedback.tests.factories import add_participant, make_cycle
from people.models import Person
from people.tests.factories import add_people

QUESTIONS = [QuestionData(text="Explains clearly", kind="rating")]


def viewer(person):
    """The viewer as a request would make it: the person (and their HR role) read afresh."""
    return Viewer.of(Person.objects.get(pk=person.pk))


def data(**changes):
    today = timezone.localdate()
    values = {
        "name": "Autumn 360",
        "period_start": today - timedelta(days=180),
        "period_end": today,
        "nominations_due": today + timedelta(days=7),
        "answers_due": today + timedelta(days=21),
        "min_peers": 1,
        "max_peers": 3,
        "include_reports": True,
    }
    values.update(changes)
    return CycleData(**values)


INVALID = data(period_end=timezone.localdate() - timedelta(days=400), max_peers=99)


@pytest.fixture
def roles(cast):
    """Everyone who might call a cycle write, by role, for a cycle of Platform's."""
    sales_hr, limited_hr = add_people(2, team=cast.sales)
    HRRole.objects.create(person=sales_hr, scope=cast.sales)
    HRRole.objects.create(person=limited_hr, can_manage_people=False)
    return {
        "hr": cast.erin,
        "hr_out_of_scope": sales_hr,
        "hr_not_managing_people": limited_hr,
        "participant": cast.alice,
        "manager": cast.bob,
        "peer": cast.dave,
        "admin": cast.frank,
    }


@pytest.fixture
def cycle(cast):
    return make_cycle("Platform 360", status="draft", scope=cast.platform, min_peers=1, max_peers=3)


NOT_HR = ["participant", "manager", "peer", "admin"]


# --- Setting a cycle up --------------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_HR)
def test_only_hr_creates_a_cycle_even_when_the_data_is_invalid(roles, cast, role):
    for cycle_data in (data(), INVALID):
        with pytest.raises(PermissionDenied):
            services_cycles.create_cycle(
                viewer(roles[role]), cycle_data, scope_id=cast.platform.pk, questions=QUESTIONS
            )
    assert not ReviewCycle.objects.exists()


def test_hr_creates_a_draft_with_the_organisations_threshold(roles, cast):
    FeedbackSettings.objects.update_or_create(pk=1, defaults={"anonymity_threshold": 6})
    cycle = services_cycles.create_cycle(
        viewer(roles["hr"]), data(), scope_id=cast.platform.pk, questions=QUESTIONS
    )
    assert (cycle.status, cycle.anonymity_threshold, cycle.scope) == ("draft", 6, cast.platform)
    assert cycle.created_by == cast.erin
    assert [q.text for q in cycle.questions.all()] == ["Explains clearly"]


def test_hr_not_managing_people_runs_cycles_too(roles, cast):
    cycle = services_cycles.create_cycle(
        viewer(roles["hr_not_managing_people"]), data(), scope_id=None, questions=QUESTIONS
    )
    assert cycle.scope is None


def test_a_new_cycle_is_within_the_creators_scope(roles, cast):
    sales_hr = viewer(roles["hr_out_of_scope"])
    for scope_id in (cast.platform.pk, None):
        with pytest.raises(Refused) as refused:
            services_cycles.create_cycle(sales_hr, data(), scope_id=scope_id, questions=QUESTIONS)
        assert [field for field, _message in refused.value.errors] == ["scope_id"]
    assert services_cycles.create_cycle(
        sales_hr, data(), scope_id=cast.sales.pk, questions=QUESTIONS
    )


def test_the_cycles_dates_peers_and_questions_are_checked(roles, cast):
    with pytest.raises(Refused) as refused:
        services_cycles.create_cycle(
            viewer(roles["hr"]), INVALID, scope_id=None, questions=[QuestionData(text="")]
        )
    assert {field for field, _message in refused.value.errors} == {
        "period_end",
        "max_peers",
        "questions.0.text",
    }
    assert not ReviewCycle.objects.exists()


@pytest.mark.parametrize("role", [*NOT_HR, "hr_out_of_scope"])
def test_only_hr_running_the_cycle_edits_or_advances_it(roles, cycle, role):
    someone = viewer(roles[role])
    with pytest.raises(PermissionDenied):
        services_cycles.edit_cycle(someone, cycle, INVALID)
    with pytest.raises(PermissionDenied):
        services_cycles.advance_cycle(someone, cycle, to="flying")
    cycle.refresh_from_db()
    assert (cycle.name, cycle.status) == ("Platform 360", "draft")


def test_hr_edits_the_questions_only_while_draft(roles, cycle):
    hr = viewer(roles["hr"])
    before = [q.text for q in cycle.questions.all()]
    question = services_cycles.add_question(hr, cycle, QUESTIONS[0])
    assert [q.text for q in cycle.questions.all()] == [*before, "Explains clearly"]
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.NOMINATING)
    cycle.refresh_from_db()
    with pytest.raises(Conflict, match="only be changed while the cycle is a draft"):
        services_cycles.add_question(hr, cycle, QUESTIONS[0])
    with pytest.raises(Conflict):
        services_cycles.remove_question(hr, question)
    assert [q.text for q in cycle.questions.all()] == [*before, "Explains clearly"]


def test_the_peers_stay_once_the_reviews_open(roles, cycle):
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.REVIEWING)
    cycle.refresh_from_db()
    with pytest.raises(Conflict):
        services_cycles.edit_cycle(viewer(roles["hr"]), cycle, data(max_peers=5))
    kept = data(min_peers=cycle.min_peers, max_peers=cycle.max_peers, name="Renamed")
    kept = CycleData(**{**kept.__dict__, "nominations_due": cycle.nominations_due})
    assert services_cycles.edit_cycle(viewer(roles["hr"]), cycle, kept).name == "Renamed"


def test_hr_advances_one_step_at_a_time(roles, cast, cycle):
    hr = viewer(roles["hr"])
    with pytest.raises(Refused, match="participant"):
        services_cycles.advance_cycle(hr, cycle, to="nominating")
    add_participant(cycle, cast.alice)
    with pytest.raises(Refused) as refused:
        services_cycles.advance_cycle(hr, cycle, to="flying")
    assert refused.value.errors[0][0] == "to"
    with pytest.raises(Refused, match="can only move on"):
        services_cycles.advance_cycle(hr, cycle, to="reviewing")
    assert services_cycles.advance_cycle(hr, cycle, to="nominating") is True
    assert services_cycles.advance_cycle(hr, cycle, to="nominating") is False
    with pytest.raises(Refused, match="cannot go back"):
        services_cycles.advance_cycle(hr, cycle, to="draft")


# --- Participants --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*NOT_HR, "hr_out_of_scope"])
def test_only_hr_running_the_cycle_adds_or_removes_people(roles, cast, cycle, role):
    alice = add_participant(cycle, cast.alice)
    someone = viewer(roles[role])
    for chosen in ({"team_id": cast.platform.pk}, {"emails": ["nobody@example.com"]}, {}):
        with pytest.raises(PermissionDenied):
            services_cycles.add_participants(someone, cycle, **chosen)
    with pytest.raises(PermissionDenied):
        services_cycles.remove_participant(someone, alice)
    assert list(cycle.participants.all()) == [alice]


def test_hr_adds_a_team_or_addresses_within_the_scope_all_or_none(roles, cast, cycle):
    hr = viewer(roles["hr"])
    with pytest.raises(Refused) as refused:
        services_cycles.add_participants(hr, cycle, team_id=cast.sales.pk)
    assert refused.value.errors[0][0] == "team_id"
    with pytest.raises(Refused) as refused:
        services_cycles.add_participants(
            hr, cycle, emails=["alice@example.com", "dave@example.com"]
        )
    assert refused.value.errors[0][0] == "emails"
    assert "dave@example.com" in refused.value.errors[0][1]
    assert not cycle.participants.exists()
    assert services_cycles.add_participants(hr, cycle, team_id=cast.platform.pk) == 2
    assert services_cycles.add_participants(hr, cycle, emails=["alice@example.com"]) == 0


def test_people_are_added_before_the_reviews_open_and_removed_while_draft(roles, cast, cycle):
    hr = viewer(roles["hr"])
    alice = add_participant(cycle, cast.alice)
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.NOMINATING)
    with pytest.raises(Refused, match="only be removed while the cycle is a draft"):
        services_cycles.remove_participant(hr, alice)
    assert services_cycles.add_participants(hr, cycle, emails=["bob@example.com"]) == 1
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.REVIEWING)
    with pytest.raises(Conflict):
        services_cycles.add_participants(hr, cycle, emails=["carol@example.com"])
    assert cycle.participants.count() == 2


# --- Nominating and approving peers --------------------------------------------------------------


@pytest.fixture
def alice(cast, cycle):
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.NOMINATING)
    return ReviewParticipant.objects.select_related("cycle", "person").get(
        pk=add_participant(cycle, cast.alice).pk
    )


@pytest.mark.parametrize("role", ["hr", "hr_out_of_scope", "manager", "peer", "admin"])
def test_only_the_participant_nominates_and_submits(roles, alice, role):
    someone = viewer(roles[role])
    for chosen in ({"reviewer_id": roles["peer"].pk}, {"reviewer_id": 0}, {"emails": ["x@y"]}):
        with pytest.raises(PermissionDenied):
            services_cycles.nominate(someone, alice, as_manager=False, **chosen)
    with pytest.raises(PermissionDenied):
        services_cycles.submit_nominations(someone, alice)
    with pytest.raises(PermissionDenied):
        services_cycles.withdraw_nomination(someone, alice, reviewer_id=0, as_manager=False)
    assert not Nomination.objects.exists()
    alice.refresh_from_db()
    assert alice.nominations_submitted_at is None


@pytest.mark.parametrize("role", ["participant", "hr_out_of_scope", "peer", "admin"])
def test_only_the_manager_or_hr_running_the_cycle_approves(roles, cast, alice, role):
    Nomination.objects.create(participant=alice, reviewer=cast.dave, nominated_by=cast.alice)
    someone = viewer(roles[role])
    with pytest.raises(PermissionDenied):
        services_cycles.approve_nominations(someone, alice)
    with pytest.raises(PermissionDenied):
        services_cycles.nominate(someone, alice, as_manager=True, reviewer_id=cast.carol.pk)
    alice.refresh_from_db()
    assert alice.nominations_approved_at is None
    assert Nomination.objects.get().status == Nomination.Status.PROPOSED


def test_who_cannot_be_nominated(roles, cast, alice):
    me = viewer(cast.alice)
    for reviewer in (cast.alice, cast.bob):
        with pytest.raises(Refused) as refused:
            services_cycles.nominate(me, alice, as_manager=False, reviewer_id=reviewer.pk)
        assert refused.value.errors[0][0] == "reviewer_id"
    with pytest.raises(Refused) as refused:
        services_cycles.nominate(me, alice, as_manager=False, emails=["nobody@example.com"])
    assert refused.value.errors[0][0] == "emails"
    with pytest.raises(Refused, match="reviews as the manager"):
        services_cycles.nominate(me, alice, as_manager=False, emails=["bob@example.com"])
    assert not Nomination.objects.exists()


def test_the_participant_nominates_submits_and_the_manager_approves(roles, cast, alice):
    me = viewer(cast.alice)
    with pytest.raises(Refused, match="at least 1"):
        services_cycles.submit_nominations(me, alice)
    assert services_cycles.nominate(me, alice, as_manager=False, reviewer_id=cast.dave.pk) == 1
    services_cycles.submit_nominations(me, alice)
    manager = viewer(cast.bob)
    services_cycles.withdraw_nomination(manager, alice, reviewer_id=cast.dave.pk, as_manager=True)
    with pytest.raises(Refused, match="Your manager removed"):
        services_cycles.nominate(me, alice, as_manager=False, reviewer_id=cast.dave.pk)
    with pytest.raises(Refused, match="at least 1"):
        services_cycles.approve_nominations(manager, alice)
    services_cycles.nominate(manager, alice, as_manager=True, reviewer_id=cast.carol.pk)
    with pytest.raises(Refused, match="only they can take them off"):
        services_cycles.withdraw_nomination(me, alice, reviewer_id=cast.carol.pk, as_manager=False)
    services_cycles.approve_nominations(viewer(roles["hr"]), alice)
    alice.refresh_from_db()
    assert alice.nominations_approved_at is not None
    # Approved: closed for the participant, still open for the manager while nominating.
    with pytest.raises(Conflict):
        services_cycles.nominate(me, alice, as_manager=False, reviewer_id=cast.dave.pk)
    assert services_cycles.nominate(manager, alice, as_manager=True, reviewer_id=cast.dave.pk)


def test_the_list_is_closed_once_the_reviews_open_whatever_the_page_loaded(cast, alice):
    """The page loaded the participant while the cycle nominated; the reviews opened since
    (under the cycle's lock): the write sees the cycle as it is now."""
    ReviewCycle.objects.filter(pk=alice.cycle_id).update(status=CycleStatus.REVIEWING)
    assert alice.cycle.status == CycleStatus.NOMINATING  # as the page loaded it
    with pytest.raises(Conflict):
        services_cycles.nominate(
            viewer(cast.alice), alice, as_manager=False, reviewer_id=cast.dave.pk
        )
    with pytest.raises(Conflict):
        services_cycles.approve_nominations(viewer(cast.bob), alice)
    assert not Nomination.objects.exists()
    assert not ReviewInvitation.objects.exists()


def test_a_cap_on_peers(cast, alice):
    extra = add_people(4, team=cast.sales)
    me = viewer(cast.alice)
    with pytest.raises(Refused, match="At most 3 peers"):
        services_cycles.nominate(me, alice, as_manager=False, emails=[p.email for p in extra])
    assert not Nomination.objects.exists()  # all or none


# --- The organisation's feedback settings --------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["hr_out_of_scope", "hr_not_managing_people", "participant", "manager", "admin"]
)
def test_only_organisation_wide_hr_managing_people_edits_the_settings(roles, role):
    for value in (5, 2):
        with pytest.raises(PermissionDenied):
            services.save_feedback_settings(viewer(roles[role]), anonymity_threshold=value)
    assert FeedbackSettings.load().anonymity_threshold == 3


def test_the_threshold_is_3_to_20(roles):
    hr = viewer(roles["hr"])
    for value in (2, 21, 0, -1):
        with pytest.raises(Refused):
            services.save_feedback_settings(hr, anonymity_threshold=value)
    assert services.save_feedback_settings(hr, anonymity_threshold=20).anonymity_threshold == 20
    assert FeedbackSettings.load().anonymity_threshold == 20
