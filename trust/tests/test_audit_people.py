"""The audit log records every change HR and administrators make to people and teams, through
the pages that make them: who, about whom, field by field before and after, in the change's
own transaction. A person's own changes are not recorded."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts import email_change
from accounts.models import EmailChange
from people.models import Person, Role, Team
from trust import audit
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


def entries(action=None):
    found = AuditEntry.objects.order_by("id")
    return list(found.filter(action=action) if action else found)


def only(action):
    found = entries(action)
    assert len(found) == 1, [entry.action for entry in entries()]
    return found[0]


def person_form(person, **changes):
    data = {
        "name": person.name,
        "email": person.email,
        "job_title": person.job_title,
        "level": person.level or "",
        "team": person.team_id or "",
        "manager": person.manager.email if person.manager_id else "",
        "start_date": person.start_date or "",
        "role_name": person.role.name if person.role_id else "",
    }
    return {**data, **changes}


def test_hr_adding_someone_records_every_field_set(login, cast):
    login(cast.erin).post(
        reverse("people:person_create"),
        {
            "name": "Gina New",
            "email": "Gina@Example.com",
            "job_title": "Designer",
            "level": "3",
            "team": cast.platform.pk,
            "manager": "bob@example.com",
            "start_date": "2025-09-01",
            "role_name": "Product designer",
        },
    )
    gina = Person.objects.get(email="gina@example.com")
    entry = only("person.added")
    assert (entry.actor_id, entry.subject_id, entry.target) == (
        cast.erin.pk,
        gina.pk,
        f"people.person:{gina.pk}",
    )
    assert entry.changes == {
        "name": [None, "Gina New"],
        "email": [None, "gina@example.com"],
        "job_title": [None, "Designer"],
        "level": [None, 3],
        "team": [None, cast.platform.pk],
        "manager": [None, cast.bob.pk],
        "start_date": [None, "2025-09-01"],
        "role": [None, "Product designer"],
    }
    assert audit.verify() == (1, None)


def test_hr_editing_someone_records_only_what_changed(login, cast):
    Person.objects.filter(pk=cast.alice.pk).update(role=Role.objects.create(name="Engineer"))
    cast.alice.refresh_from_db()
    client = login(cast.erin)
    client.post(
        reverse("people:person_edit", args=[cast.alice.pk]),
        person_form(cast.alice, job_title="Senior engineer", manager="carol@example.com", level=3),
    )
    entry = only("person.changed")
    assert (entry.actor_id, entry.subject_id) == (cast.erin.pk, cast.alice.pk)
    assert entry.changes == {
        "job_title": ["Software engineer", "Senior engineer"],
        "manager": [cast.bob.pk, cast.carol.pk],
        "level": [2, 3],
    }
    cast.alice.refresh_from_db()
    client.post(reverse("people:person_edit", args=[cast.alice.pk]), person_form(cast.alice))
    assert len(entries("person.changed")) == 1  # saved as it was: nothing to record


def test_a_refused_edit_records_nothing(login, cast):
    response = login(cast.erin).post(
        reverse("people:person_edit", args=[cast.carol.pk]),
        person_form(cast.carol, job_title="CTO", manager="alice@example.com"),  # a loop
    )
    assert "manager" in response.context["form"].errors
    assert entries() == []


def test_marking_a_leaver_records_the_leave_date(login, cast):
    login(cast.erin).post(
        reverse("people:person_leave", args=[cast.alice.pk]), {"leave_date": "2030-06-30"}
    )
    entry = only("person.left")
    assert (entry.actor_id, entry.subject_id) == (cast.erin.pk, cast.alice.pk)
    assert entry.changes == {"leave_date": [None, "2030-06-30"]}


def test_an_address_hr_asks_for_is_recorded_when_asked_and_when_it_takes_effect(login, cast):
    login(cast.erin).post(
        reverse("people:person_edit", args=[cast.alice.pk]),
        person_form(cast.alice, email="alice@new.example"),
    )
    asked = only("person.email_change_requested")
    assert (asked.actor_id, asked.subject_id) == (cast.erin.pk, cast.alice.pk)
    assert asked.changes == {"email": ["alice@example.com", "alice@new.example"]}
    assert entries("person.changed") == []  # the address is not saved with the rest

    change = EmailChange.objects.get(person=cast.alice)
    later = change.takes_effect_at + dt.timedelta(minutes=1)
    email_change.confirm_email_change(change, now=later)
    done = only("person.email_changed")
    assert (done.actor_id, done.subject_id) == (cast.erin.pk, cast.alice.pk)
    assert done.changes == {"email": ["alice@example.com", "alice@new.example"]}
    assert audit.verify() == (2, None)


def test_an_address_someone_asks_for_themselves_is_not_recorded(cast):
    change = email_change.request_email_change(cast.frank, "frank@new.example", by=cast.frank)
    email_change.confirm_email_change(change)
    cast.frank.refresh_from_db()
    assert cast.frank.email == "frank@new.example"
    assert entries() == []


def test_adding_and_changing_a_team_is_recorded(login, cast):
    client = login(cast.erin)
    client.post(
        reverse("people:team_create"), {"name": "Backend", "parent": cast.platform.pk, "lead": ""}
    )
    backend = Team.objects.get(name="Backend")
    added = only("team.added")
    assert (added.actor_id, added.subject_id, added.target) == (
        cast.erin.pk,
        None,
        f"people.team:{backend.pk}",
    )
    assert added.changes == {"name": [None, "Backend"], "parent": [None, cast.platform.pk]}
    client.post(
        reverse("people:team_edit", args=[backend.pk]),
        {"name": "Back end", "parent": cast.platform.pk, "lead": "alice@example.com"},
    )
    assert only("team.changed").changes == {
        "name": ["Backend", "Back end"],
        "lead": [None, cast.alice.pk],
    }


def test_an_administrator_changing_an_account_in_the_admin_is_recorded(login, cast):
    client = login(cast.frank)
    url = reverse("admin:people_person_change", args=[cast.dave.pk])
    response = client.post(
        url,
        {"email": cast.dave.email, "name": "Dave Peer", "is_active": "on", "is_staff": "on"},
    )
    assert response.status_code == 302
    entry = only("account.changed")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, cast.dave.pk)
    assert entry.changes == {"is_staff": [False, True]}


def test_an_administrator_adding_an_account_in_the_admin_is_recorded(login, cast):
    client = login(cast.frank)
    response = client.post(
        reverse("admin:people_person_add"),
        {"email": "ivy@example.com", "name": "Ivy Admin", "is_active": "on"},
    )
    assert response.status_code == 302
    ivy = Person.objects.get(email="ivy@example.com")
    entry = only("account.added")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, ivy.pk)
    assert entry.changes == {
        "email": [None, "ivy@example.com"],
        "name": [None, "Ivy Admin"],
        "is_active": [None, True],
        "is_staff": [None, False],
        "is_superuser": [None, False],
    }


def test_the_entry_is_undone_with_a_change_that_fails_after_it(cast, monkeypatch):
    from access.viewer import Viewer
    from people import services

    def fails(*args, **kwargs):
        raise RuntimeError("the mail queue is down")

    monkeypatch.setattr(services, "request_email_change", fails)
    data = services.PersonData(name="Alice Renamed", email=cast.alice.email, team=cast.platform)
    with pytest.raises(RuntimeError):
        services.edit_person(Viewer.of(cast.erin), cast.alice, data)
    assert entries() == []
    assert Person.objects.get(pk=cast.alice.pk).name == "Alice Employee"
