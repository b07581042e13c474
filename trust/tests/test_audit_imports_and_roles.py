"""The audit log records CSV imports (the file and its counts, then each person added or
changed) and HR roles granted, changed and revoked, in the admin and on the server."""

import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from access.models import HRRole
from access.viewer import Viewer
from people import services
from people.models import Person, Team
from trust import audit
from trust.actions import ORGANISATION
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db

IMPORT = reverse("people:import")
HEADER = "email,name,job_title,level,team,manager_email"


def entries(*actions):
    return list(AuditEntry.objects.filter(action__in=actions).order_by("id"))


def import_through_the_page(client, *rows, name="spring-hires.csv"):
    content = "\n".join([HEADER, *rows]).encode()
    preview = client.post(IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")})
    token = re.search(r'name="confirm" value="([^"]+)"', preview.text).group(1)
    return client.post(IMPORT, {"confirm": token, "invite": ""})


def test_an_import_records_the_file_its_counts_and_each_person_added_or_changed(login, cast):
    import_through_the_page(
        login(cast.erin),
        "alice@example.com,Alice Employee,Staff engineer,2,Platform,bob@example.com",
        "bob@example.com,Bob Manager,Engineering manager,,Platform,carol@example.com",
        "hana@example.com,Hana New,Designer,1,Design,alice@example.com",
    )
    hana = Person.objects.get(email="hana@example.com")
    design = Team.objects.get(name="Design")
    imported, *people = entries("people.imported", "person.added", "person.changed")
    assert (imported.action, imported.actor_id) == ("people.imported", cast.erin.pk)
    assert imported.changes == {
        "file": "spring-hires.csv",
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "new_teams": 1,
        "new_roles": 0,
    }
    by_action = {entry.action: entry for entry in people}
    assert len(people) == 2
    changed = by_action["person.changed"]
    assert (changed.actor_id, changed.subject_id) == (cast.erin.pk, cast.alice.pk)
    assert changed.changes == {"job_title": ["Software engineer", "Staff engineer"]}
    added = by_action["person.added"]
    assert (added.subject_id, added.target) == (hana.pk, f"people.person:{hana.pk}")
    assert added.changes == {
        "email": [None, "hana@example.com"],
        "name": [None, "Hana New"],
        "job_title": [None, "Designer"],
        "level": [None, 1],
        "team": [None, design.pk],
        "manager": [None, cast.alice.pk],
    }
    assert audit.verify() == (3, None)


def test_an_import_that_changes_nothing_records_nothing(cast):
    row = "alice@example.com,Alice Employee,Software engineer,2,Platform,bob@example.com"
    plan = services.apply_import(Viewer.of(cast.erin), f"{HEADER}\n{row}\n", expected=None)
    assert plan.applied
    assert AuditEntry.objects.count() == 0


def test_an_import_from_the_shell_is_recorded_as_the_systems(cast, tmp_path):
    path = tmp_path / "leavers.csv"
    path.write_text("email,name,leave_date\ndave@example.com,Dave Peer,2030-01-31\n")
    call_command("import_people", str(path), stdout=StringIO())
    imported, changed = entries("people.imported", "person.changed")
    assert (imported.actor_id, imported.changes["file"]) == (None, "leavers.csv")
    assert (changed.actor_id, changed.subject_id) == (None, cast.dave.pk)
    assert changed.changes == {"leave_date": [None, "2030-01-31"]}


def test_granting_changing_and_revoking_hr_in_the_admin_is_recorded(login, cast):
    client = login(cast.frank)
    client.post(
        reverse("admin:access_hrrole_add"),
        {"person": cast.dave.pk, "scope": cast.sales.pk, "can_manage_people": "on"},
    )
    role = HRRole.objects.get(person=cast.dave)
    client.post(
        reverse("admin:access_hrrole_change", args=[role.pk]),
        {"scope": "", "can_manage_people": "on"},
    )
    client.post(reverse("admin:access_hrrole_delete", args=[role.pk]), {"post": "yes"})
    assert not HRRole.objects.filter(person=cast.dave).exists()
    granted, changed, revoked = entries("hr_role.granted", "hr_role.changed", "hr_role.revoked")
    assert [e.action for e in (granted, changed, revoked)] == [
        "hr_role.granted",
        "hr_role.changed",
        "hr_role.revoked",
    ]
    assert {e.actor_id for e in (granted, changed, revoked)} == {cast.frank.pk}
    assert {e.subject_id for e in (granted, changed, revoked)} == {cast.dave.pk}
    assert granted.changes == {
        "scope": [None, cast.sales.pk],
        "can_manage_people": [None, True],
    }
    assert changed.changes == {"scope": [cast.sales.pk, ORGANISATION]}
    assert revoked.changes == {"scope": [ORGANISATION, None], "can_manage_people": [True, None]}


def test_a_role_granted_on_the_server_is_recorded_as_the_systems(cast):
    call_command("grant_hr", "dave@example.com", "--no-manage-people", stdout=StringIO())
    granted = entries("hr_role.granted")[0]
    assert (granted.actor_id, granted.subject_id) == (None, cast.dave.pk)
    assert granted.changes == {"scope": [None, ORGANISATION], "can_manage_people": [None, False]}
