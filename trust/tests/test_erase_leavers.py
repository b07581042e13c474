"""`manage.py erase_leavers`: the people past the retention period are anonymised, once; a
legal hold, a recent leave date or an open 360 review keeps them; a dry run changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from conftest import make_person
from feedback.models import RaterGroup
from feedback.tests.factories import add_participant, invite, make_cycle
from people.models import Person
from trust.models import AuditEntry, TrustSettings
from trust.tests import leaver

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("erase_leavers", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    """Every row of every table, as stored."""
    return {
        model._meta.label: sorted(
            model._base_manager.order_by().values_list(), key=lambda row: str(row)
        )
        for model in apps.get_models()
    }


def left(name: str, days_ago: int, **fields) -> Person:
    person = make_person(f"{name.lower()}@example.com", name, **fields)
    person.leave_date = timezone.localdate() - timedelta(days=days_ago)
    person.save(update_fields=["leave_date"])
    return person


def anonymised(person: Person) -> bool:
    return Person.objects.get(pk=person.pk).anonymised_at is not None


@pytest.fixture
def world(cast, client):
    world = leaver.build(cast)
    client.force_login(world.zelda)
    return world


def test_a_dry_run_says_who_and_what_and_changes_nothing(world):
    before = snapshot()
    out = run("--dry-run")
    assert snapshot() == before
    assert f"Would anonymise person {world.zelda.pk} (Zelda Marchetti)" in out
    assert "  goals.Objective: 1\n" in out
    assert "  sessions.Session: 1\n" in out
    assert "Would anonymise 1 person who left over 24 months ago; nothing was changed." in out


def test_a_run_anonymises_them_without_naming_them_in_its_output(world):
    out = run()
    assert anonymised(world.zelda)
    assert f"Anonymised person {world.zelda.pk}, who left on" in out
    assert "Zelda" not in out
    entry = AuditEntry.objects.get(action="person.erased")
    assert (entry.subject_id, entry.actor_id) == (world.zelda.pk, None)
    assert entry.changes["rows"] > 30


def test_a_second_run_changes_nothing(world):
    run()
    after_first = snapshot()
    out = run()
    assert snapshot() == after_first
    assert "Anonymised 0 people" in out


def test_people_within_the_period_are_kept(cast):
    recent = left("Recent", days_ago=700)  # 23 months
    old = left("Old", days_ago=760)  # 25 months
    run()
    assert anonymised(old) and not anonymised(recent)
    settings = TrustSettings.load()
    settings.erase_after_months = 12
    settings.save()
    run()
    assert anonymised(recent)


def test_current_employees_are_never_erased(cast):
    TrustSettings.objects.update_or_create(pk=1, defaults={"erase_after_months": 1})
    leaving = left("Leaving", days_ago=-30)  # leaves next month
    run()
    assert not anonymised(leaving)
    assert not Person.objects.filter(anonymised_at__isnull=False).exists()


def test_a_legal_hold_keeps_them(cast):
    held = left("Held", days_ago=1000)
    Person.objects.filter(pk=held.pk).update(legal_hold=True, legal_hold_reason="Litigation")
    out = run("--dry-run")
    assert "Would anonymise 0 people" in out
    run()
    assert not anonymised(held)


def test_an_open_360_review_postpones_them(cast):
    reviewed = left("Reviewed", days_ago=1000, manager=cast.bob)
    cycle = make_cycle(status="reviewing")
    invite(add_participant(cycle, reviewed), cast.bob, RaterGroup.MANAGER)
    out = run()
    assert not anonymised(reviewed)
    assert f"Person {reviewed.pk}: not now." in out
    assert "which is still open" in out
    cycle.status = "closed"
    cycle.save()
    run()
    assert anonymised(reviewed)
