"""Erasing someone who once had an HR role: the admin's history of the role says "A former
employee" whatever name they had when it was granted, a colleague with the same name keeps the
history of theirs, and the audit log's entries about the role are redacted and still verify."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from access.viewer import Viewer
from conftest import make_person
from people import services
from people.models import Person
from trust import audit, erasure
from trust.models import AuditEntry
from trust.tests.test_erasure import found

pytestmark = pytest.mark.django_db

BEFORE, AFTER = "Zelda Rossi", "Zelda Marchetti"


def grant_and_revoke_in_the_admin(client, person):
    client.post(
        reverse("admin:access_hrrole_add"),
        {"person": person.pk, "scope": "", "can_manage_people": "on"},
    )
    role = HRRole.objects.get(person=person)
    client.post(reverse("admin:access_hrrole_delete", args=[role.pk]), {"post": "yes"})
    return role.pk


@pytest.fixture
def zelda(cast, login):
    """Zelda was HR as Zelda Rossi (granted and revoked in the admin), became Zelda Marchetti
    (HR changed her name), and left three years ago."""
    zelda = make_person("zelda@example.com", BEFORE, team=cast.sales)
    role_id = grant_and_revoke_in_the_admin(login(cast.frank), zelda)
    renamed = services.PersonData(name=AFTER, email=zelda.email, team=cast.sales)
    services.edit_person(Viewer(cast.erin), zelda, renamed)
    left = timezone.localdate() - timedelta(days=3 * 365)
    Person.objects.filter(pk=zelda.pk).update(leave_date=left)
    zelda = Person.objects.get(pk=zelda.pk)
    zelda.role_id = role_id
    return zelda


def test_the_admins_history_of_her_role_forgets_every_name_she_had(cast, zelda):
    assert "admin.LogEntry.object_repr" in found(BEFORE)
    erasure.erase(zelda, by=cast.erin)
    assert found(BEFORE) == [] and found(AFTER) == [] and found("Zelda") == []
    entries = LogEntry.objects.filter(object_id=str(zelda.role_id))
    assert {entry.object_repr for entry in entries} == {"A former employee"}


def test_a_namesakes_role_keeps_its_history(cast, login, zelda):
    namesake = make_person("zelda.two@example.com", AFTER, team=cast.sales)
    role_id = grant_and_revoke_in_the_admin(login(cast.frank), namesake)
    erasure.erase(zelda, by=cast.erin)
    entries = LogEntry.objects.filter(object_id=str(role_id), content_type__model="hrrole")
    assert {entry.object_repr for entry in entries} == {AFTER}


def test_the_audit_log_redacts_her_role_entries_and_still_verifies(cast, zelda):
    erasure.erase(zelda, by=cast.erin)
    roles = AuditEntry.objects.filter(subject=zelda.pk, action__startswith="hr_role.")
    assert [entry.action for entry in roles] == ["hr_role.revoked", "hr_role.granted"]
    for entry in roles:
        assert entry.redacted and set(entry.changes.values()) == {None}
        assert entry.target == f"access.hrrole:{zelda.role_id}"
    assert audit.verify()[1] is None
