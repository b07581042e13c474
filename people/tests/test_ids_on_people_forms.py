"""Every team and person chosen by id on the people pages (a person's team and manager, a team's
parent and lead, the directory's team) refuses a value that is not a plain id: digits other than
0-9 (which Python reads as numbers: "١" is 1), beyond the database's integers, or no number at
all. The field says so on the form (sent back with 400); nothing is written, no other team is
taken, never a 500."""

import pytest
from django.urls import reverse

from people.models import Person, Team

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def other_digits(pk: int) -> str:
    """The id in Arabic-Indic digits ("١" for 1): `int()` reads it as the same number."""
    return str(pk).translate(ARABIC_INDIC)


# Values that are no id, each made from the cast: a team's and a person's ids in other digits.
NOT_IDS = {
    "a-team-in-other-digits": lambda cast: other_digits(cast.sales.pk),
    "a-person-in-other-digits": lambda cast: other_digits(cast.bob.pk),
    "beyond-a-bigint": lambda cast: "99999999999999999999",
    "one-past-the-largest-bigint": lambda cast: "9223372036854775808",
    "negative": lambda cast: "-1",
    "no-number": lambda cast: "abc",
}
not_ids = pytest.mark.parametrize("not_id", list(NOT_IDS.values()), ids=list(NOT_IDS))


@pytest.fixture
def hr(login, cast):
    client = login(cast.erin)
    client.raise_request_exception = False  # a 500 is an answer to check, not a test error
    return client


def person_data(cast, **changes):
    data = {
        "name": "Nora New",
        "email": "nora@example.com",
        "job_title": "Engineer",
        "team": str(cast.sales.pk),
        "manager": str(cast.dave.pk),
    }
    return {**data, **changes}


@not_ids
def test_a_new_persons_team_that_is_no_id(hr, cast, not_id):
    value = not_id(cast)
    response = hr.post(reverse("people:person_create"), person_data(cast, team=value))
    assert response.status_code == 400
    (error,) = response.context["form"].errors["team"]
    assert error in response.content.decode()  # said beside the field
    assert not Person.objects.filter(email="nora@example.com").exists()


@not_ids
def test_a_new_persons_manager_that_is_no_id(hr, cast, not_id):
    value = not_id(cast)
    response = hr.post(reverse("people:person_create"), person_data(cast, manager=value))
    assert response.status_code == 400
    assert response.context["form"].errors["manager"]
    assert not Person.objects.filter(email="nora@example.com").exists()


@not_ids
def test_moving_someone_to_a_team_that_is_no_id(hr, cast, not_id):
    value = not_id(cast)
    data = person_data(cast, name="Dave Peer", email="dave@example.com", team=value)
    response = hr.post(reverse("people:person_edit", args=[cast.dave.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["team"]
    cast.dave.refresh_from_db()
    assert cast.dave.team == cast.sales


def team_data(**changes):
    return {"name": "Support", "parent": "", "lead": "", **changes}


@pytest.mark.parametrize("field", ["parent", "lead"])
@not_ids
def test_a_new_teams_parent_or_lead_that_is_no_id(hr, cast, field, not_id):
    value = not_id(cast)
    response = hr.post(reverse("people:team_create"), team_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Team.objects.filter(name="Support").exists()


@not_ids
def test_moving_a_team_under_a_team_that_is_no_id(hr, cast, not_id):
    value = not_id(cast)
    data = team_data(name="Platform", parent=value, lead=str(cast.bob.pk))
    response = hr.post(reverse("people:team_edit", args=[cast.platform.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["parent"]
    cast.platform.refresh_from_db()
    assert cast.platform.parent == cast.engineering


@not_ids
def test_the_directorys_team_that_is_no_id(hr, cast, not_id):
    value = not_id(cast)
    response = hr.get(reverse("people:directory"), {"team": value})
    assert response.status_code == 200
    assert response.context["form"].errors["team"]
    names = {person.name for person in response.context["page"].object_list}
    assert "Dave Peer" in names and "Alice Employee" in names  # no team's filter applied


def test_real_ids_are_still_chosen(hr, cast):
    response = hr.post(reverse("people:person_create"), person_data(cast))
    assert response.status_code == 302
    nora = Person.objects.get(email="nora@example.com")
    assert (nora.team, nora.manager) == (cast.sales, cast.dave)
    response = hr.post(
        reverse("people:team_create"),
        team_data(parent=str(cast.engineering.pk), lead=str(cast.bob.pk)),
    )
    assert response.status_code == 302
    support = Team.objects.get(name="Support")
    assert (support.parent, support.lead) == (cast.engineering, cast.bob)
    directory = hr.get(reverse("people:directory"), {"team": str(cast.sales.pk)})
    assert {p.name for p in directory.context["page"].object_list} == {"Dave Peer", "Nora New"}
