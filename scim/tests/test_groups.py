"""SCIM Groups are teams: a group made links the team of that name or adds one; members move
into and out of it through the CSV import's plan; deleting a group empties and unlinks it."""

import pytest

from people.models import Person, Team
from scim.tests.helpers import GROUP, SEARCH, new_scim
from trust.models import AuditEntry


@pytest.fixture
def scim(client, cast):
    return new_scim(client)


def group(name, *members):
    return {
        "schemas": [GROUP],
        "displayName": name,
        "members": [{"value": str(person.pk)} for person in members],
    }


def test_a_group_links_the_team_of_that_name_and_moves_its_members_in(scim, cast):
    response = scim.post("Groups", group("Sales", cast.alice))
    assert response.status_code == 201, response.content
    assert response.json()["id"] == f"team-{cast.sales.pk}"
    cast.alice.refresh_from_db()
    assert cast.alice.team == cast.sales
    assert AuditEntry.objects.filter(action="people.provisioned").exists()
    members = {m["value"] for m in response.json()["members"]}
    assert members == {str(cast.alice.pk), str(cast.dave.pk)}


def test_a_new_group_adds_a_team_at_the_top(scim, cast):
    response = scim.post("Groups", group("Design", cast.dave))
    team = Team.objects.get(name="Design")
    assert response.json()["id"] == f"team-{team.pk}" and team.parent is None
    assert Person.objects.get(pk=cast.dave.pk).team == team


def test_patch_adds_and_removes_members_as_entra_id_sends_them(scim, cast):
    team_id = scim.post("Groups", group("Design")).json()["id"]
    added = scim.patch(
        f"Groups/{team_id}",
        {"op": "Add", "path": "members", "value": [{"value": str(cast.dave.pk)}]},
    )
    assert added.status_code == 200, added.content
    assert Person.objects.get(pk=cast.dave.pk).team_id == int(team_id.removeprefix("team-"))
    removed = scim.patch(
        f"Groups/{team_id}",
        {"op": "Remove", "path": f'members[value eq "{cast.dave.pk}"]'},
    )
    assert removed.status_code == 200, removed.content
    assert Person.objects.get(pk=cast.dave.pk).team_id is None


def test_groups_are_found_by_display_name(scim, cast):
    scim.post("Groups", group("Design"))
    data = scim.get("Groups", filter='displayName eq "design"').json()
    assert data["totalResults"] == 1 and data["Resources"][0]["displayName"] == "Design"


def test_teams_not_provisioned_are_not_groups(scim, cast):
    assert scim.get("Groups").json()["totalResults"] == 0
    assert scim.get(f"Groups/team-{cast.sales.pk}").status_code == 404


def test_deleting_a_group_empties_and_unlinks_the_team_and_keeps_it(scim, cast):
    team_id = scim.post("Groups", group("Design", cast.dave)).json()["id"]
    assert scim.delete(f"Groups/{team_id}").status_code == 204
    assert scim.get(f"Groups/{team_id}").status_code == 404
    assert Team.objects.filter(name="Design").exists()
    assert Person.objects.get(pk=cast.dave.pk).team is None


def test_an_unknown_member_is_refused_and_nothing_changes(scim, cast):
    response = scim.post("Groups", group("Design", cast.dave) | {"members": [{"value": "999"}]})
    assert response.status_code == 400
    assert not Team.objects.filter(name="Design").exists()


def test_entra_id_removes_a_member_by_value(scim, cast):
    team_id = scim.post("Groups", group("Design", cast.dave, cast.alice)).json()["id"]
    response = scim.patch(
        f"Groups/{team_id}",
        {"op": "Remove", "path": "members", "value": [{"value": str(cast.dave.pk)}]},
    )
    assert response.status_code == 200, response.content
    assert [m["value"] for m in response.json()["members"]] == [str(cast.alice.pk)]


def test_a_group_s_id_is_never_a_user_s_id_even_when_their_numbers_are_equal(scim, cast):
    """RFC 7643 §3.1: ids are unique across the service provider. A root search answers people
    and groups together; with a person and a team of the same pk, both were "id": "<pk>"."""
    created = scim.post("Groups", group("Design")).json()
    number = int(created["id"].removeprefix("team-"))
    if not Person.objects.filter(pk=number).exists():
        Person.objects.create(pk=number, email="twin@example.com", name="Twin")
    assert created["id"] == f"team-{number}"
    assert created["meta"]["location"].endswith(f"/scim/v2/Groups/team-{number}")
    response = scim.post(".search", {"schemas": [SEARCH]})
    ids = [resource["id"] for resource in response.json()["Resources"]]
    assert str(number) in ids and f"team-{number}" in ids
    assert len(ids) == len(set(ids))
    # A group is found by its id, never by a user's number; a user never by a group's id.
    by_id = scim.get("Groups", filter=f'id eq "team-{number}"').json()["Resources"]
    assert [found["displayName"] for found in by_id] == ["Design"]
    assert scim.get("Groups", filter=f'id eq "{number}"').json()["totalResults"] == 0
    assert scim.get("Users", filter=f'id eq "team-{number}"').json()["totalResults"] == 0


def test_a_group_linked_when_its_id_was_the_team_s_number_is_still_found(scim, cast):
    team_id = scim.post("Groups", group("Design")).json()["id"]
    number = team_id.removeprefix("team-")
    assert scim.get(f"Groups/{number}").json()["id"] == team_id
    assert scim.get("Groups/team-x").status_code == 404
    assert scim.get("Groups/team-0").status_code == 404


def test_the_group_list_takes_a_fixed_number_of_queries(scim, cast, django_assert_num_queries):
    for name in ("Design", "Research", "Legal"):
        scim.post("Groups", group(name, cast.dave))
    with django_assert_num_queries(4):  # the token, the count, the page, its members
        scim.get("Groups")
