"""The guide's "first HR person" step: the administrator names someone else, who gets
organisation-wide HR and an invitation to choose a password; never themselves, and only while
nobody has organisation-wide HR."""

import pytest
from django.core import mail
from django.urls import reverse

from access.models import HRRole
from accounts.models import Invitation
from conftest import make_person
from firstrun.tests.fresh import claimed
from people.models import Person
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db
HR_STEP = reverse("setup:step", args=["hr"])


@pytest.fixture
def fresh(client):
    return claimed(client)


def test_the_administrator_names_a_new_person_as_hr(fresh):
    response = fresh.client.post(HR_STEP, {"name": "Hilde HR", "email": "Hilde@Example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("setup:step", args=["people"])
    hilde = Person.objects.get(email="hilde@example.com")
    assert not hilde.has_usable_password() and not hilde.is_staff
    role = HRRole.objects.get()
    assert (role.person, role.scope, role.can_manage_people) == (hilde, None, True)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id"))
    assert actions[-3:] == [
        ("account.added", fresh.admin.pk),
        ("hr_role.granted", fresh.admin.pk),
        ("person.invited", fresh.admin.pk),
    ]
    # Told of the role, and invited to choose a password.
    assert [message.to for message in mail.outbox] == [["hilde@example.com"]] * 2
    assert Invitation.objects.get().person == hilde
    page = fresh.client.get(HR_STEP).text
    assert "Hilde HR is HR for the whole organisation." in page
    assert 'name="email"' not in page


def test_the_administrator_cannot_name_themselves(fresh):
    response = fresh.client.post(HR_STEP, {"name": "Ada", "email": "ada@example.com"})
    assert response.status_code == 400
    assert "You cannot grant a role of your own" in response.text
    assert not HRRole.objects.exists()
    assert mail.outbox == []


def test_someone_already_in_cadence_is_named_by_address(fresh):
    sam = make_person("sam@example.com", "Sam Signed-Up")  # has a password: not invited
    response = fresh.client.post(HR_STEP, {"name": "ignored", "email": "sam@example.com"})
    assert response.status_code == 302
    assert HRRole.objects.get().person == sam
    assert Person.objects.get(pk=sam.pk).name == "Sam Signed-Up"
    assert not Invitation.objects.exists()


def test_once_someone_has_hr_the_step_grants_nothing_more(fresh):
    fresh.client.post(HR_STEP, {"name": "Hilde HR", "email": "hilde@example.com"})
    response = fresh.client.post(HR_STEP, {"name": "Eve", "email": "eve@example.com"})
    assert response.status_code == 200  # the step shows who is HR, and has no form
    assert list(HRRole.objects.values_list("person__email", flat=True)) == ["hilde@example.com"]
    assert not Person.objects.filter(email="eve@example.com").exists()


def test_a_form_with_errors_is_shown_again(fresh):
    response = fresh.client.post(HR_STEP, {"name": "", "email": "not an address"})
    assert response.status_code == 400
    assert not HRRole.objects.exists()


def test_nobody_but_the_administrator_names_hr(fresh, client):
    sam = make_person("sam@example.com", "Sam")
    client.force_login(sam)
    assert client.post(HR_STEP, {"name": "Eve", "email": "eve@example.com"}).status_code == 403
    assert not HRRole.objects.exists()
