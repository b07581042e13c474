"""Administration › HR roles: administrators see who has an HR role, grant, change and revoke
them in the app, with `access.grants`' rules holding as in the admin and on the server: nobody
grants or changes a role of their own, a grant needs someone else with organisation-wide HR to
be told, and every change is announced by e-mail and audited. Nobody else reaches the pages,
and they give the administrator no read right."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access import grants
from access.models import HRRole
from access.rules import can, visible
from access.viewer import Viewer
from conftest import make_person
from people.models import Person
from trust.actions import ORGANISATION
from trust.models import AuditEntry

ROLES = reverse("organisation:roles")


def role_url(person, name="organisation:role"):
    return reverse(name, args=[HRRole.objects.get(person=person).pk])


def revoke_url(person):
    return role_url(person, "organisation:role_revoke")


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- The list -----------------------------------------------------------------------------------


def test_the_administrator_sees_everyone_with_an_hr_role(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales, can_manage_people=False)
    page = login(cast.frank).get(ROLES)
    assert page.status_code == 200
    html = page.content.decode()
    assert [role.person.name for role in page.context["roles"]] == ["Dave Peer", "Erin HR"]
    for shown in ("Dave Peer", "dave@example.com", "Sales and below", "Erin HR"):
        assert shown in html
    assert "The whole organisation" in html
    assert "HR roles" in [str(label) for _url, label in page.context["tabs"]]


def test_the_list_shows_names_and_addresses_and_nothing_else_of_anyone(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales)
    html = login(cast.frank).get(ROLES).content.decode()
    # Job titles are in the directory, not here; employment details nowhere.
    assert "People partner" not in html
    assert "Account executive" not in html


def test_the_roles_of_people_who_left_are_not_shown_to_an_administrator_who_is_not_hr(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales)
    Person.objects.filter(pk=cast.dave.pk).update(
        leave_date=timezone.localdate() - timedelta(days=1)
    )
    client = login(cast.frank)
    page = client.get(ROLES)
    assert [role.person.name for role in page.context["roles"]] == ["Erin HR"]
    assert client.get(role_url(cast.dave)).status_code == 404
    assert client.get(revoke_url(cast.dave)).status_code == 404


def test_its_query_count_does_not_grow_with_the_roles(login, cast, django_assert_max_num_queries):
    client = login(cast.frank)
    client.get(ROLES)
    for i in range(12):
        person = make_person(f"hr{i}@example.com", f"HR {i}")
        HRRole.objects.create(person=person, scope=cast.sales if i % 2 else None)
    with django_assert_max_num_queries(7) as counted:
        page = client.get(ROLES)
    assert len(page.context["roles"]) == 13
    few = len(counted.captured_queries)
    HRRole.objects.filter(person__email__startswith="hr").delete()
    with django_assert_max_num_queries(few):
        client.get(ROLES)


# --- Granting -----------------------------------------------------------------------------------


def test_the_administrator_grants_a_role_through_the_page(login, cast):
    response = login(cast.frank).post(ROLES, {"person": cast.dave.pk, "scope": cast.sales.pk})
    assert response.status_code == 302
    role = HRRole.objects.get(person=cast.dave)
    assert role.scope == cast.sales and not role.can_manage_people
    [entry] = entries("hr_role.granted")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, cast.dave.pk)
    assert entry.changes == {"scope": [None, cast.sales.pk], "can_manage_people": [None, False]}
    assert recipients() == ["dave@example.com", "erin@example.com"]
    assert "Frank Admin (frank@example.com) changed an HR role" in mail.outbox[0].body
    page = login(cast.frank).get(ROLES)
    assert "Dave Peer has an HR role now." in page.content.decode()


def test_a_grant_for_the_whole_organisation_may_manage_people(login, cast):
    login(cast.frank).post(ROLES, {"person": cast.dave.pk, "scope": "", "can_manage_people": "on"})
    role = HRRole.objects.get(person=cast.dave)
    assert role.scope is None and role.can_manage_people
    assert entries("hr_role.granted")[0].changes["scope"] == [None, ORGANISATION]


def test_the_person_may_be_typed_by_e_mail_address(login, cast):
    response = login(cast.frank).post(ROLES, {"person_q": "DAVE@example.com", "scope": ""})
    assert response.status_code == 302
    assert HRRole.objects.filter(person=cast.dave).exists()


def test_searching_without_javascript_keeps_everything_and_grants_nothing(login, cast):
    response = login(cast.frank).post(
        ROLES,
        {"person_q": "Dave", "person_search": "1", "scope": cast.sales.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="person" value="{cast.dave.pk}"' in html
    assert response.context["form"]["scope"].value() == str(cast.sales.pk)
    assert not response.context["form"].errors
    assert not HRRole.objects.filter(person=cast.dave).exists()


def test_an_administrator_cannot_grant_themselves_a_role(login, cast):
    response = login(cast.frank).post(
        ROLES, {"person": cast.frank.pk, "scope": cast.sales.pk, "can_manage_people": "on"}
    )
    assert response.status_code == 200
    assert "You cannot grant or change a role of your own" in response.content.decode()
    assert "manage.py grant_hr" in response.content.decode()
    form = response.context["form"]
    assert form["scope"].value() == str(cast.sales.pk)  # nothing typed is lost
    assert [p.pk for p in form.fields["person"].picker.shown.chosen] == [cast.frank.pk]
    assert not HRRole.objects.filter(person=cast.frank).exists()
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_a_grant_with_nobody_else_to_tell_is_refused_with_the_way_to_the_server(login, cast):
    HRRole.objects.all().delete()
    client = login(cast.frank)
    page = client.get(ROLES)
    assert page.context["nobody_else_told"]
    assert "python manage.py grant_hr EMAIL" in page.content.decode()
    assert 'name="person_q"' not in page.content.decode()
    response = client.post(ROLES, {"person": cast.dave.pk, "scope": ""})
    assert response.status_code == 200
    assert "grant it on the server with “manage.py grant_hr”" in response.content.decode()
    assert not HRRole.objects.exists()
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_an_administrator_who_is_the_only_hr_cannot_grant_a_second_account(login, cast):
    HRRole.objects.all().delete()
    grants.grant_hr(cast.frank)
    mail.outbox.clear()
    client = login(cast.frank)
    assert client.get(ROLES).context["nobody_else_told"]
    response = client.post(ROLES, {"person": cast.dave.pk, "scope": ""})
    assert "grant it on the server" in response.content.decode()
    assert not HRRole.objects.filter(person=cast.dave).exists()
    assert mail.outbox == []


def test_someone_with_a_role_has_it_changed_not_granted_again(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales, can_manage_people=False)
    mail.outbox.clear()
    response = login(cast.frank).post(
        ROLES, {"person": cast.dave.pk, "scope": "", "can_manage_people": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "Dave Peer already has an HR role: change it in the list."
    ]
    assert HRRole.objects.get(person=cast.dave).scope == cast.sales
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scope": ""}, "person"),
        ({"person": "999999", "scope": ""}, "person"),
        ({"person": "not an id", "scope": ""}, "person"),
        ({"person_q": "Nobody Here", "scope": ""}, "person"),
        ({"person": "DAVE", "scope": "999999"}, "scope"),
        ({"person": "DAVE", "scope": "Sales"}, "scope"),
    ],
)
def test_bad_input_comes_back_with_errors_and_grants_nothing(login, cast, data, field):
    data = {k: (cast.dave.pk if v == "DAVE" else v) for k, v in data.items()}
    response = login(cast.frank).post(ROLES, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert HRRole.objects.count() == 1  # Erin's
    assert mail.outbox == []


def test_people_who_left_cannot_be_chosen(login, cast):
    Person.objects.filter(pk=cast.dave.pk).update(
        leave_date=timezone.localdate() - timedelta(days=1)
    )
    response = login(cast.frank).post(ROLES, {"person": cast.dave.pk, "scope": ""})
    assert response.context["form"].errors["person"]
    assert not HRRole.objects.filter(person=cast.dave).exists()


# --- Changing -----------------------------------------------------------------------------------


def test_the_administrator_changes_a_role(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales, can_manage_people=False)
    mail.outbox.clear()
    client = login(cast.frank)
    page = client.get(role_url(cast.dave))
    assert page.context["form"]["scope"].value() == cast.sales.pk
    response = client.post(
        role_url(cast.dave), {"scope": cast.engineering.pk, "can_manage_people": "on"}
    )
    assert response.status_code == 302
    role = HRRole.objects.get(person=cast.dave)
    assert role.scope == cast.engineering and role.can_manage_people
    [entry] = entries("hr_role.changed")
    assert entry.actor_id == cast.frank.pk
    assert entry.changes == {
        "scope": [cast.sales.pk, cast.engineering.pk],
        "can_manage_people": [False, True],
    }
    assert recipients() == ["dave@example.com", "erin@example.com"]
    assert "is now HR for the team Engineering" in mail.outbox[0].body


def test_a_change_that_changes_nothing_is_not_announced(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales, can_manage_people=False)
    mail.outbox.clear()
    client = login(cast.frank)
    client.post(role_url(cast.dave), {"scope": cast.sales.pk})
    assert "nothing changed" in client.get(ROLES).content.decode()
    assert mail.outbox == []
    assert entries("hr_role.changed") == []


def test_an_administrator_cannot_change_their_own_role(login, cast):
    grants.grant_hr(cast.frank, scope=cast.platform, can_manage_people=False)
    mail.outbox.clear()
    client = login(cast.frank)
    roles_page = client.get(ROLES).content.decode()
    assert f'href="{role_url(cast.frank)}"' not in roles_page  # no Change link for one's own
    page = client.get(role_url(cast.frank))
    assert "You cannot grant or change a role of your own" in page.content.decode()
    assert 'name="scope"' not in page.content.decode()
    response = client.post(role_url(cast.frank), {"scope": "", "can_manage_people": "on"})
    assert response.status_code == 200
    assert "You cannot grant or change a role of your own" in response.content.decode()
    role = HRRole.objects.get(person=cast.frank)
    assert role.scope == cast.platform and not role.can_manage_people
    assert mail.outbox == []
    assert entries("hr_role.changed") == []


def test_the_only_organisation_wide_hr_cannot_have_their_role_changed_in_the_app(login, cast):
    # Erin is the only one to tell: the change would be announced to nobody else.
    client = login(cast.frank)
    page = client.get(role_url(cast.erin))
    assert "grant it on the server" in page.content.decode()
    response = client.post(role_url(cast.erin), {"scope": cast.sales.pk})
    assert "grant it on the server" in response.content.decode()
    assert HRRole.objects.get(person=cast.erin).scope is None


def test_bad_input_on_a_change_comes_back_with_errors(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales)
    response = login(cast.frank).post(role_url(cast.dave), {"scope": "nowhere"})
    assert response.status_code == 200
    assert response.context["form"].errors["scope"]
    assert HRRole.objects.get(person=cast.dave).scope == cast.sales


def test_an_unknown_role_is_not_found(login, cast):
    client = login(cast.frank)
    assert client.get(reverse("organisation:role", args=[999999])).status_code == 404
    assert client.post(reverse("organisation:role_revoke", args=[999999])).status_code == 404


# --- Revoking -----------------------------------------------------------------------------------


def test_a_revocation_is_confirmed_first(login, cast):
    grants.grant_hr(cast.dave, scope=cast.sales)
    mail.outbox.clear()
    client = login(cast.frank)
    page = client.get(revoke_url(cast.dave))
    assert page.status_code == 200
    assert "Revoke the HR role of Dave Peer?" in page.content.decode()
    assert HRRole.objects.filter(person=cast.dave).exists()
    response = client.post(revoke_url(cast.dave))
    assert response.status_code == 302
    assert not HRRole.objects.filter(person=cast.dave).exists()
    [entry] = entries("hr_role.revoked")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, cast.dave.pk)
    assert entry.changes == {
        "scope": [cast.sales.pk, None],
        "can_manage_people": [True, None],
    }
    assert recipients() == ["dave@example.com", "erin@example.com"]
    assert "no longer has an HR role" in mail.outbox[0].subject


def test_an_administrator_may_give_up_their_own_role(login, cast):
    grants.grant_hr(cast.frank, scope=cast.platform)
    client = login(cast.frank)
    assert "Give up your HR role?" in client.get(revoke_url(cast.frank)).content.decode()
    client.post(revoke_url(cast.frank))
    assert not HRRole.objects.filter(person=cast.frank).exists()


def test_revoking_the_last_organisation_wide_hr_warns_first(login, cast):
    client = login(cast.frank)
    page = client.get(revoke_url(cast.erin))
    assert page.context["last_organisation_wide"]
    assert "can be granted on the server only" in page.content.decode()
    grants.grant_hr(cast.dave)
    assert not client.get(revoke_url(cast.erin)).context["last_organisation_wide"]


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin"])
def test_nobody_but_administrators_reaches_the_roles(login, cast, who):
    grants.grant_hr(cast.dave, scope=cast.sales)
    mail.outbox.clear()
    before = AuditEntry.objects.count()
    client = login(getattr(cast, who))
    for url in (ROLES, role_url(cast.dave), revoke_url(cast.dave)):
        assert client.get(url).status_code == 403, url
    assert client.post(ROLES, {"person": cast.bob.pk, "scope": ""}).status_code == 403
    assert client.post(role_url(cast.dave), {"scope": ""}).status_code == 403
    assert client.post(revoke_url(cast.dave)).status_code == 403
    assert not HRRole.objects.filter(person=cast.bob).exists()
    assert HRRole.objects.get(person=cast.dave).scope == cast.sales
    assert mail.outbox == []
    assert AuditEntry.objects.count() == before


def test_the_signed_out_are_sent_to_sign_in(client, cast):
    response = client.post(ROLES, {"person": cast.dave.pk, "scope": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not HRRole.objects.filter(person=cast.dave).exists()


def test_administering_roles_gives_the_administrator_no_read_right(login, cast):
    frank = Viewer.of(Person.objects.get(pk=cast.frank.pk))
    before = set(visible(frank, Person, "view_employment").values_list("pk", flat=True))
    client = login(cast.frank)
    client.get(ROLES)
    client.post(ROLES, {"person": cast.dave.pk, "scope": ""})
    client.get(role_url(cast.dave))
    client.post(revoke_url(cast.dave))
    frank = Viewer.of(Person.objects.get(pk=cast.frank.pk))
    assert not frank.is_hr
    assert not can(frank, "view_employment", cast.alice)
    assert set(visible(frank, Person, "view_employment").values_list("pk", flat=True)) == before
    assert before == {cast.frank.pk}
    response = client.get(reverse("people:person", args=[cast.alice.pk]))
    assert "Software engineer" in response.content.decode()  # her public profile, as before
    assert response.context["show_employment"] is False
