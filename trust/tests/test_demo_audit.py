"""The demo's audit log: a believable history of changes made with authority, in one chain that
verifies, ending where the demo's data stands today."""

from collections import Counter
from datetime import timedelta

import pytest

from access.models import HRRole
from conftest import demo_for_the_module
from feedback.models import ReviewCycle
from people.demo import build_demo
from people.models import Person
from trust import audit
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


# Built once for the module's tests (each still runs in its own savepoint).
module_org, org = demo_for_the_module(people=60, years=2, seed=3)


def test_the_chain_verifies_and_its_head_is_its_end(org):
    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditEntry.objects.count() == org.counts["audit entries"]
    assert audit.head() == (checked, AuditEntry.objects.latest("id").hash)


def test_it_holds_every_kind_of_change_the_issue_names(org):
    actions = Counter(AuditEntry.objects.values_list("action", flat=True))
    for action in (
        "people.imported",
        "person.added",
        "person.changed",
        "person.left",
        "hr_role.granted",
        "feedback.cycle_created",
        "feedback.cycle_moved",
        "feedback.report_released",
        "conversations.rhythm_changed",
        "goals.settings_changed",
        "growth.framework_published",
    ):
        assert actions[action], action
    assert actions["hr_role.granted"] == HRRole.objects.count()
    assert actions["person.added"] == len([p for p in org.people if p.leave_date is None]) + len(
        [p for p in org.leavers if p.leave_date > org.history_start]
    )


def test_times_follow_the_chain_and_lie_in_the_past(org):
    times = list(AuditEntry.objects.order_by("id").values_list("at", flat=True))
    assert times == sorted(times)
    assert times[0].date() >= org.history_start - timedelta(days=2)


def test_the_history_ends_where_the_data_stands(org):
    """The last manager and level each person was given are theirs today; the import names
    the manager someone had before a later move."""
    last: dict[tuple[int, str], object] = {}
    for entry in AuditEntry.objects.filter(action__startswith="person.").order_by("id"):
        for field, value in entry.changes.items():
            last[entry.subject_id, field] = value[1]
    people = {person.pk: person for person in Person.objects.all()}
    attributes = {"manager": "manager_id", "team": "team_id", "level": "level", "name": "name"}
    checked = 0
    for (pk, field), value in last.items():
        if field in attributes:
            assert value == getattr(people[pk], attributes[field]), (pk, field)
            checked += 1
    assert checked > 100
    moved = AuditEntry.objects.filter(action="person.changed", changes__has_key="manager")
    assert moved.exists()


def test_every_cycle_moved_up_to_its_step(org):
    for cycle in ReviewCycle.objects.all():
        steps = [
            entry.changes["status"][1]
            for entry in AuditEntry.objects.filter(
                action="feedback.cycle_moved", target=f"feedback.reviewcycle:{cycle.pk}"
            ).order_by("id")
        ]
        assert steps and steps[-1] == cycle.status


def test_building_it_again_over_the_old_one_starts_a_new_chain():
    build_demo(people=40, years=1, seed=5, flush=True)
    build_demo(people=40, years=1, seed=5, flush=True)
    assert audit.verify()[1] is None
    assert AuditEntry.objects.order_by("id").first().prev_hash == audit.GENESIS
