"""Every team and person chosen by id on the settings pages (HR roles' scope and person, the
tokens' filter, the pilot's teams; the first-run guide chooses none by id) answers a value that
is not an id, beyond the database's integers above all, with the field's error on the page:
never a 500, never another team."""

import pytest
from django.urls import reverse

from access.models import HRRole
from organisation import current
from organisation.models import PilotTeam

NOT_IDS = [
    "99999999999999999999",  # beyond a bigint
    "9223372036854775808",  # one past the largest bigint
    "-1",
    "١",  # ARABIC-INDIC DIGIT ONE: int() reads it as 1
    "abc",
]


@pytest.fixture
def admin(login, cast):
    client = login(cast.frank)
    client.raise_request_exception = False  # a 500 is an answer to check, not a test error
    return client


@pytest.mark.parametrize("value", NOT_IDS)
def test_granting_a_role_for_a_team_that_is_no_id(admin, cast, value):
    response = admin.post(
        reverse("organisation:roles"),
        {"person": str(cast.dave.pk), "scope": value, "can_manage_people": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scope"]
    assert not HRRole.objects.filter(person=cast.dave).exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_changing_a_role_to_a_team_that_is_no_id(admin, cast, value):
    role = HRRole.objects.get(person=cast.erin)
    response = admin.post(reverse("organisation:role", args=[role.pk]), {"scope": value})
    assert response.status_code == 200
    assert response.context["form"].errors["scope"]
    role.refresh_from_db()
    assert role.scope is None


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808"])
def test_granting_a_role_to_a_person_that_is_no_id(admin, cast, value):
    response = admin.post(
        reverse("organisation:roles"), {"person": value, "scope": "", "can_manage_people": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert HRRole.objects.count() == 1  # Erin's


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808"])
def test_the_tokens_of_a_person_that_is_no_id(admin, value):
    response = admin.get(reverse("organisation:tokens"), {"person": value})
    assert response.status_code == 200
    assert response.context["person"] is None
    assert response.context["form"].errors["person"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_pilot_team_that_is_no_id(login, cast, value):
    client = login(cast.erin)
    client.raise_request_exception = False
    response = client.post(reverse("organisation:pilot"), {"pilot": "on", "teams": [value]})
    assert response.status_code == 200
    assert response.context["form"].errors["teams"]
    assert not PilotTeam.objects.exists()
    assert current.row().pilot is False


def test_a_real_team_is_still_chosen(admin, cast):
    response = admin.post(
        reverse("organisation:roles"),
        {"person": str(cast.dave.pk), "scope": str(cast.sales.pk), "can_manage_people": "on"},
    )
    assert response.status_code == 302
    assert HRRole.objects.get(person=cast.dave).scope == cast.sales
