"""SCIM Users: an identity provider adds, finds, changes and turns off people, through the
CSV import's plan and apply (same checks, same audit log)."""

import pytest

from people.models import Person
from scim.models import ScimUser
from scim.tests.helpers import ENTERPRISE, new_scim, user
from trust.models import AuditEntry


@pytest.fixture
def scim(client, cast):
    return new_scim(client)


def test_it_creates_a_person_with_their_manager_team_and_title(scim, cast):
    body = user(
        "gina@example.com",
        "Gina New",
        title="Designer",
        **{ENTERPRISE: {"department": "Sales", "manager": {"value": str(cast.dave.pk)}}},
    )
    response = scim.post("Users", body)
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/scim+json"
    gina = Person.objects.get(email="gina@example.com")
    assert (gina.name, gina.job_title, gina.team, gina.manager) == (
        "Gina New",
        "Designer",
        cast.sales,
        cast.dave,
    )
    assert gina.chain == f"/{cast.dave.pk}/"
    data = response.json()
    assert data["id"] == str(gina.pk)
    assert response["Location"].endswith(f"/scim/v2/Users/{gina.pk}")
    assert data[ENTERPRISE]["manager"]["value"] == str(cast.dave.pk)
    assert data[ENTERPRISE]["department"] == "Sales"


def test_a_create_is_recorded_in_the_audit_log_as_provisioning(scim, cast):
    scim.post("Users", user("gina@example.com", "Gina New"))
    gina = Person.objects.get(email="gina@example.com")
    imported = AuditEntry.objects.get(action="people.provisioned")
    assert imported.changes["format"] == "scim" and imported.changes["created"] == 1
    assert AuditEntry.objects.filter(action="person.added", subject_id=gina.pk).exists()
    assert AuditEntry.objects.filter(action="person.scim_linked", subject_id=gina.pk).exists()


def test_it_matches_someone_already_in_cadence_by_their_address(scim, cast):
    response = scim.post("Users", user("ALICE@example.com", "Alice Employee", externalId="a-1"))
    assert response.status_code == 201
    assert response.json()["id"] == str(cast.alice.pk)
    assert ScimUser.objects.get(person=cast.alice).external_id == "a-1"
    assert Person.objects.filter(email__iexact="alice@example.com").count() == 1


def test_creating_a_provisioned_user_again_is_a_conflict(scim, cast):
    scim.post("Users", user("gina@example.com", "Gina New"))
    response = scim.post("Users", user("gina@example.com", "Gina New"))
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"


def test_a_repeated_put_changes_nothing_the_second_time(scim, cast):
    body = user("alice@example.com", "Alice Renamed", title="Staff engineer")
    first = scim.put(f"Users/{cast.alice.pk}", body)
    assert first.status_code == 200, first.content
    entries = AuditEntry.objects.count()
    second = scim.put(f"Users/{cast.alice.pk}", body)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert AuditEntry.objects.count() == entries
    cast.alice.refresh_from_db()
    assert (cast.alice.name, cast.alice.job_title) == ("Alice Renamed", "Staff engineer")


def test_patch_active_false_turns_the_account_off_but_they_have_not_left(scim, cast):
    # Entra ID sends booleans as text, and capitalised operations.
    response = scim.patch(
        f"Users/{cast.alice.pk}", {"op": "Replace", "path": "active", "value": "False"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    cast.alice.refresh_from_db()
    assert cast.alice.is_active is False and cast.alice.leave_date is None


def test_patch_changes_the_manager_as_the_import_does(scim, cast):
    response = scim.patch(
        f"Users/{cast.alice.pk}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": str(cast.dave.pk)},
    )
    assert response.status_code == 200, response.content
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.dave and cast.alice.chain == f"/{cast.dave.pk}/"
    changed = AuditEntry.objects.get(action="person.changed", subject_id=cast.alice.pk)
    assert changed.changes["manager"] == [cast.bob.pk, cast.dave.pk]


def test_a_reporting_line_cycle_is_refused_and_changes_nothing(scim, cast):
    response = scim.patch(
        f"Users/{cast.carol.pk}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": str(cast.alice.pk)}},
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert "cycle" in response.json()["detail"]
    cast.carol.refresh_from_db()
    assert cast.carol.manager is None


def test_a_manager_who_left_is_refused(scim, cast):
    import datetime

    Person.objects.filter(pk=cast.dave.pk).update(leave_date=datetime.date(2020, 1, 1))
    response = scim.patch(
        f"Users/{cast.alice.pk}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": str(cast.dave.pk)},
    )
    assert response.status_code == 400
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.bob


def test_the_address_cannot_change_through_scim(scim, cast):
    response = scim.put(f"Users/{cast.alice.pk}", user("alice@elsewhere.com", "Alice"))
    assert response.status_code == 400
    assert response.json()["scimType"] == "mutability"


def test_delete_turns_the_account_off_and_keeps_the_person(scim, cast):
    response = scim.delete(f"Users/{cast.alice.pk}")
    assert response.status_code == 204
    cast.alice.refresh_from_db()
    assert cast.alice.is_active is False


def test_an_unknown_user_is_404_in_scim_form(scim, cast):
    response = scim.get("Users/999999")
    assert response.status_code == 404
    assert response.json()["status"] == "404"
    assert response["Content-Type"] == "application/scim+json"


@pytest.mark.parametrize(
    "expression",
    [
        'userName eq "alice@example.com"',
        'emails.value eq "ALICE@example.com"',
        'emails[type eq "work" and value eq "alice@example.com"]',
        'displayName eq "alice employee"',
    ],
)
def test_filters_find_one_person(scim, cast, expression):
    data = scim.get("Users", filter=expression).json()
    assert data["totalResults"] == 1
    assert data["Resources"][0]["id"] == str(cast.alice.pk)


def test_filter_by_external_id_is_case_exact(scim, cast):
    scim.post("Users", user("alice@example.com", "Alice Employee", externalId="Ext-1"))
    assert scim.get("Users", filter='externalId eq "Ext-1"').json()["totalResults"] == 1
    assert scim.get("Users", filter='externalId eq "ext-1"').json()["totalResults"] == 0


def test_filter_by_user_name_finds_the_provider_s_name(scim, cast):
    body = user("gina@example.com", "Gina New", userName="gina.new@corp.example")
    scim.post("Users", body)
    data = scim.get("Users", filter='userName eq "GINA.NEW@corp.example"').json()
    assert data["totalResults"] == 1
    assert data["Resources"][0]["userName"] == "gina.new@corp.example"


def test_an_unsupported_filter_is_invalid_filter(scim, cast):
    response = scim.get("Users", filter='title co "eng"')
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_paging_counts_from_one(scim, cast):
    everyone = scim.get("Users").json()
    assert everyone["totalResults"] == 6 and everyone["startIndex"] == 1
    second = scim.get("Users", startIndex=2, count=2).json()
    assert second["itemsPerPage"] == 2 and second["startIndex"] == 2
    assert [r["id"] for r in second["Resources"]] == [r["id"] for r in everyone["Resources"][1:3]]
    assert scim.get("Users", count=0).json()["Resources"] == []


def test_entra_id_s_patch_of_the_work_address_filter_and_unknown_attributes(scim, cast):
    response = scim.patch(
        f"Users/{cast.alice.pk}",
        {"op": "Replace", "path": "title", "value": "Staff engineer"},
        {"op": "Add", "path": "nickName", "value": "Al"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "alice@example.com"},
    )
    assert response.status_code == 200, response.content
    cast.alice.refresh_from_db()
    assert cast.alice.job_title == "Staff engineer"


def test_an_unknown_attribute_in_a_create_is_dropped(scim, cast):
    body = user("gina@example.com", "Gina New", **{"urn:example:custom": {"x": 1}})
    body["costumeSize"] = "L"
    assert scim.post("Users", body).status_code == 201


@pytest.mark.parametrize("path", ["Users/0", "Users/abc", "Users/99999999999999999999", "Nothing"])
def test_an_address_no_route_matches_is_a_scim_404(scim, cast, path):
    response = scim.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/scim+json"
    assert response.json()["status"] == "404"


def test_a_leaver_is_served_inactive_and_a_patch_keeps_their_account_as_it_is(scim, cast):
    import datetime

    Person.objects.filter(pk=cast.dave.pk).update(leave_date=datetime.date(2020, 1, 1))
    assert scim.get(f"Users/{cast.dave.pk}").json()["active"] is False
    found = scim.get("Users", filter="active eq false").json()
    assert [r["id"] for r in found["Resources"]] == [str(cast.dave.pk)]
    scim.patch(f"Users/{cast.dave.pk}", {"op": "replace", "path": "title", "value": "Alumnus"})
    cast.dave.refresh_from_db()
    assert cast.dave.is_active is True and cast.dave.job_title == "Alumnus"


def test_the_user_list_takes_a_fixed_number_of_queries(scim, cast, django_assert_num_queries):
    scim.get("Users")  # the token's last use is written once in five minutes
    with django_assert_num_queries(3):  # the token, the count, the page
        scim.get("Users")


def test_a_refusal_names_the_scim_attribute(scim, cast):
    response = scim.patch(
        f"Users/{cast.alice.pk}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": str(cast.alice.pk)},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "manager: A person cannot be their own manager."
