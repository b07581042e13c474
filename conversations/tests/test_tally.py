"""Rhythm tallies (`conversations.tally`): whatever writes the conversations and the people —
`save`, a bulk `update`, `delete`, a move to another team or manager — the tallies stay what a
recount of the conversations gives, and rhythm health read from them is exactly adherence
counted live, for every kind of viewer."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access.models import HRRole
from access.rules import visible
from access.viewer import Viewer
from conftest import make_person
from conversations import tally
from conversations.adherence import adherence_by_pairs
from conversations.models import Conversation, Kind, RhythmTally, Status
from conversations.tests.factories import make_conversation
from people.models import Person, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(cast):
    """The cast, with two more reports (one for Dave in Sales, one for Carol) and HR for
    Engineering only (Ivy, in Platform: her own conversations lie in her scope)."""
    cast.gina = make_person("gina@example.com", "Gina", team=cast.sales, manager=cast.dave)
    cast.hank = make_person("hank@example.com", "Hank", team=cast.engineering, manager=cast.carol)
    cast.ivy = make_person("ivy@example.com", "Ivy HR", team=cast.platform, manager=cast.bob)
    HRRole.objects.create(person=cast.ivy, scope=cast.engineering)
    return cast


def employees(org):
    return [org.alice, org.bob, org.gina, org.hank, org.ivy]


def viewers(org):
    return [org.erin, org.ivy, org.carol, org.bob, org.dave]


def live(viewer, today):
    counted = visible(viewer, Conversation.objects.rhythm(), "adherence")
    found = adherence_by_pairs(counted, ("employee__team_id", "manager_id"), today)
    return {key: value for key, value in found.items() if value.counted}


def assert_tallies_agree(org):
    today = timezone.localdate()
    assert tally.differences() == []
    for person in viewers(org):
        person = Person.objects.get(pk=person.pk)
        viewer = Viewer(person)
        assert tally.adherence_by_team_and_manager(viewer, today) == live(viewer, today), person


KINDS = [Kind.CHECK_IN, Kind.QUARTERLY, Kind.DEVELOPMENT, Kind.ONE_ON_ONE]
STATUSES = list(Status)
# Due dates around every edge: before the window, inside it, a few days ago (inside or past
# each kind's grace), later this month, next month.
DAYS = st.integers(min_value=-420, max_value=45)
# When a held conversation took place, from its due date: inside its window or not.
SHIFT = st.integers(min_value=-25, max_value=25)

create = st.tuples(
    st.just("create"),
    st.integers(0, 4),
    st.sampled_from(KINDS),
    st.sampled_from(STATUSES),
    SHIFT,
    DAYS,
)
operation = st.one_of(
    create,
    st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(STATUSES), SHIFT),
    st.tuples(st.just("window"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("due"), st.integers(0, 30), DAYS),
    st.tuples(st.just("bulk"), st.sampled_from(STATUSES), st.sampled_from(STATUSES)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("team"), st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.just("manager"), st.integers(0, 4), st.integers(0, 2)),
    st.tuples(st.just("hand over"), st.integers(0, 30), st.integers(0, 2)),
)


def apply(org, step, made):
    today = timezone.localdate()
    people = employees(org)
    teams = [org.engineering, org.platform, org.sales, org.people_team, None]
    managers = [org.bob, org.carol, org.dave]
    kind, *rest = step
    if kind == "create":
        who, conversation_kind, status, shift, days = rest
        employee = Person.objects.get(pk=people[who].pk)
        due = today + timedelta(days=days)
        made.append(
            make_conversation(
                employee,
                manager=employee.manager or org.carol,
                kind=conversation_kind,
                due=due,
                status=status,
                held_on=due + timedelta(days=shift) if status == Status.HELD else None,
            )
        )
    elif made and kind == "status":
        index, status, shift = rest
        conversation = made[index % len(made)]
        conversation.refresh_from_db()
        conversation.status = status
        conversation.held_on = conversation.due_date + timedelta(days=shift)
        conversation.save()  # works out held_in_window
    elif made and kind == "window":
        index, in_window = rest
        conversation = made[index % len(made)]
        Conversation.objects.filter(pk=conversation.pk).update(held_in_window=in_window)
    elif made and kind == "due":
        index, days = rest
        conversation = made[index % len(made)]
        conversation.refresh_from_db()
        conversation.due_date = today + timedelta(days=days)
        conversation.save()
    elif kind == "bulk":
        before, after = rest
        Conversation.objects.filter(status=before).update(status=after)
    elif made and kind == "delete":
        (index,) = rest
        made.pop(index % len(made)).delete()
    elif kind == "team":
        who, team = rest
        person = Person.objects.get(pk=people[who].pk)
        person.team = teams[team]
        person.save()
    elif kind == "manager":
        who, manager = rest
        person = Person.objects.get(pk=people[who].pk)
        # As a form gives it: read now (the cast's objects keep the chains of the first step,
        # and a save takes the chain of the manager it is given).
        boss = Person.objects.get(pk=managers[manager].pk)
        if person.pk != boss.pk and not person.manages(boss):
            person.manager = boss
            person.save()
    elif made and kind == "hand over":
        index, manager = rest
        conversation = made[index % len(made)]
        Conversation.objects.filter(pk=conversation.pk).update(manager=managers[manager])


# Each example's writes are rolled back at its end, so the one organisation serves them all.
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(create, min_size=4, max_size=12), steps=st.lists(operation, max_size=20))
def test_the_tallies_stay_a_recount_whatever_writes_them(org, first, steps):
    with transaction.atomic():
        made: list[Conversation] = []
        for step in first + steps:
            try:
                with transaction.atomic():  # a write the constraints refuse changes nothing
                    apply(org, step, made)
            except IntegrityError:
                pass
        assert_tallies_agree(org)
        transaction.set_rollback(True)


def test_moving_a_person_moves_their_counts(org):
    today = timezone.localdate()
    due = today - timedelta(days=40)
    held = make_conversation(org.alice, due=due, status=Status.HELD, held_on=due)
    assert RhythmTally.objects.get(team_id=org.platform.pk, manager_id=org.bob.pk).held == 1
    org.alice.team = org.sales
    org.alice.save()
    assert RhythmTally.objects.get(team_id=org.platform.pk, manager_id=org.bob.pk).held == 0
    moved = RhythmTally.objects.get(team_id=org.sales.pk, manager_id=org.bob.pk)
    assert (moved.held, moved.on_time, moved.month) == (1, 1, held.due_date.replace(day=1))
    assert_tallies_agree(org)


def test_hr_does_not_count_their_own_conversations_from_a_bucket_they_see(org):
    today = timezone.localdate()
    due = today - timedelta(days=40)
    make_conversation(org.ivy, due=due, status=Status.HELD, held_on=due)
    make_conversation(org.alice, due=due, status=Status.HELD, held_on=due + timedelta(days=30))
    ivy = Viewer(Person.objects.get(pk=org.ivy.pk))
    figures = tally.adherence_by_team_and_manager(ivy, today)
    assert figures[(org.platform.pk, org.bob.pk)].counted == 1  # Alice's, not Ivy's own
    assert figures[(org.platform.pk, org.bob.pk)].on_time == 0
    assert_tallies_agree(org)


def test_a_missed_conversation_counts_and_a_held_one_due_later_this_month_does_not(org):
    today = timezone.localdate()
    make_conversation(org.alice, due=today - timedelta(days=60))  # open, past its window
    make_conversation(org.gina, due=today + timedelta(days=1), status=Status.HELD)
    erin = Viewer(Person.objects.get(pk=org.erin.pk))
    figures = tally.adherence_by_team_and_manager(erin, today)
    assert figures[(org.platform.pk, org.bob.pk)].counted == 1
    assert (org.sales.pk, org.dave.pk) not in figures or today.day == 31
    assert_tallies_agree(org)


def test_the_command_finds_and_repairs_tallies_written_around_the_triggers(org, capsys):
    make_conversation(org.alice, due=timezone.localdate() - timedelta(days=40), status=Status.HELD)
    RhythmTally.objects.update(held=7)
    call_command("rhythm_tallies")
    assert "1 tallies differed" in capsys.readouterr().out
    assert tally.differences() == []
    call_command("rhythm_tallies")
    assert "match" in capsys.readouterr().out


def test_a_paused_bulk_load_is_counted_once_at_the_end(org):
    today = timezone.localdate()
    with tally.paused():
        for days in (10, 40, 70):
            make_conversation(org.alice, due=today - timedelta(days=days), status=Status.HELD)
        assert not RhythmTally.objects.exists()
    assert sum(RhythmTally.objects.values_list("held", flat=True)) == 3
    make_conversation(org.hank, due=today - timedelta(days=40), status=Status.SKIPPED)
    assert_tallies_agree(org)  # and the triggers are back


def test_a_team_with_no_conversations_is_not_in_the_figures(org):
    Team.objects.create(name="Empty")
    erin = Viewer(Person.objects.get(pk=org.erin.pk))
    assert tally.adherence_by_team_and_manager(erin, timezone.localdate()) == {}
