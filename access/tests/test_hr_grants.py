"""HR roles: nobody grants one to themselves; every grant, change and revocation is announced
to the person and to organisation-wide HR; the first HR is granted on the server."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from access import grants
from access.models import HRRole

ADD = reverse("admin:access_hrrole_add")


def change_url(role):
    return reverse("admin:access_hrrole_change", args=[role.pk])


def delete_url(role):
    return reverse("admin:access_hrrole_delete", args=[role.pk])


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_an_administrator_cannot_grant_themselves_hr(client, cast):
    client.force_login(cast.frank)
    response = client.post(ADD, {"person": cast.frank.pk, "scope": "", "can_manage_people": "on"})
    assert response.status_code == 200
    assert "You cannot grant or change a role of your own" in response.text
    assert not HRRole.objects.filter(person=cast.frank).exists()
    assert mail.outbox == []


def test_an_administrator_cannot_widen_their_own_role(client, cast):
    grants.grant_hr(cast.frank, scope=cast.platform, can_manage_people=False)
    role = HRRole.objects.get(person=cast.frank)
    client.force_login(cast.frank)
    response = client.post(change_url(role), {"scope": "", "can_manage_people": "on"})
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.scope == cast.platform
    assert not role.can_manage_people


def test_a_role_cannot_be_moved_to_the_administrator(client, cast):
    role = HRRole.objects.get(person=cast.erin)
    client.force_login(cast.frank)
    client.post(change_url(role), {"person": cast.frank.pk, "scope": "", "can_manage_people": "on"})
    role.refresh_from_db()
    assert role.person == cast.erin
    assert not HRRole.objects.filter(person=cast.frank).exists()


def test_the_service_refuses_a_grant_to_oneself(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        grants.grant_hr(cast.erin, scope=None, by=cast.erin)


def test_a_grant_is_announced_to_the_person_and_organisation_wide_hr(client, cast):
    client.force_login(cast.frank)
    response = client.post(ADD, {"person": cast.dave.pk, "scope": "", "can_manage_people": "on"})
    assert response.status_code == 302
    assert HRRole.objects.filter(person=cast.dave, scope=None).exists()
    assert recipients() == ["dave@example.com", "erin@example.com"]
    message = next(m for m in mail.outbox if m.to == ["erin@example.com"])
    assert message.subject == "Dave Peer was given an HR role in Cadence"
    assert "Frank Admin (frank@example.com) changed an HR role" in message.body
    assert "is now HR for the whole organisation" in message.body


def test_a_change_is_announced(client, cast):
    grants.grant_hr(cast.dave, scope=cast.sales, can_manage_people=False)
    mail.outbox.clear()
    client.force_login(cast.frank)
    role = HRRole.objects.get(person=cast.dave)
    client.post(change_url(role), {"scope": cast.engineering.pk, "can_manage_people": "on"})
    role.refresh_from_db()
    assert role.scope == cast.engineering
    assert recipients() == ["dave@example.com", "erin@example.com"]
    assert "is now HR for the team Engineering" in mail.outbox[0].body


def test_a_revocation_is_announced(client, cast):
    grants.grant_hr(cast.dave, scope=cast.sales)
    mail.outbox.clear()
    client.force_login(cast.frank)
    role = HRRole.objects.get(person=cast.dave)
    client.post(delete_url(role), {"post": "yes"})
    assert not HRRole.objects.filter(person=cast.dave).exists()
    assert recipients() == ["dave@example.com", "erin@example.com"]
    assert "no longer has an HR role" in mail.outbox[0].subject


def test_an_administrator_may_give_up_their_own_role(client, cast):
    grants.grant_hr(cast.frank, scope=cast.platform)
    client.force_login(cast.frank)
    client.post(delete_url(HRRole.objects.get(person=cast.frank)), {"post": "yes"})
    assert not HRRole.objects.filter(person=cast.frank).exists()


def test_the_first_hr_is_granted_on_the_server(cast):
    HRRole.objects.all().delete()
    call_command("grant_hr", "ERIN@example.com")
    role = HRRole.objects.get(person=cast.erin)
    assert role.scope is None and role.can_manage_people
    assert recipients() == ["erin@example.com"]
    assert "changed on the server" in mail.outbox[0].body


def test_the_command_grants_a_team_and_revokes(cast):
    call_command("grant_hr", "dave@example.com", "--team", "Sales", "--no-manage-people")
    role = HRRole.objects.get(person=cast.dave)
    assert role.scope == cast.sales and not role.can_manage_people
    call_command("grant_hr", "dave@example.com", "--revoke")
    assert not HRRole.objects.filter(person=cast.dave).exists()
    assert recipients() == ["dave@example.com"] * 2 + ["erin@example.com"] * 2


def test_the_command_explains_unknown_people_and_teams(cast):
    with pytest.raises(CommandError, match="Nobody has"):
        call_command("grant_hr", "nobody@example.com")
    with pytest.raises(CommandError, match="no team"):
        call_command("grant_hr", "dave@example.com", "--team", "Nowhere")


def test_the_admin_cannot_grant_hr_when_nobody_else_would_be_told(client, cast):
    HRRole.objects.all().delete()
    client.force_login(cast.frank)
    response = client.post(ADD, {"person": cast.dave.pk, "scope": "", "can_manage_people": "on"})
    assert "grant it on the server" in response.text
    assert not HRRole.objects.exists()


def test_an_administrator_who_is_the_only_hr_cannot_grant_a_second_account(client, cast):
    # Frank is the only organisation-wide HR: granting HR to an account on a mailbox of his own
    # would be announced to nobody but himself.
    HRRole.objects.all().delete()
    grants.grant_hr(cast.frank)
    mail.outbox.clear()
    client.force_login(cast.frank)
    response = client.post(ADD, {"person": cast.dave.pk, "scope": "", "can_manage_people": "on"})
    assert "grant it on the server" in response.text
    assert not HRRole.objects.filter(person=cast.dave).exists()
    assert mail.outbox == []
