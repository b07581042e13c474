"""Claiming a fresh installation at /setup/: only with the set-up code printed on the server,
once; the first administrator is then signed in and sent to the guide."""

import pytest
from django.urls import reverse

from firstrun import codes
from firstrun.models import FirstRun
from firstrun.tests.fresh import CLAIM, claim_data
from people.models import Person
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_page_asks_for_the_code(client):
    page = client.get(CLAIM)
    assert page.status_code == 200
    assert "Set-up code" in page.text
    assert "manage.py setup_code" in page.text


def test_the_right_code_makes_the_first_administrator_and_signs_them_in(client):
    code = codes.make_code()
    response = client.post(CLAIM, claim_data(code, email="Ada@Example.com"))
    assert response.status_code == 302
    assert response["Location"] == reverse("setup:step", args=["organisation"])
    ada = Person.objects.get()
    assert (ada.email, ada.name, ada.is_staff, ada.is_superuser) == (
        "ada@example.com",
        "Ada Admin",
        True,
        True,
    )
    assert ada.check_password("a long walk in the park")
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in
    row = FirstRun.objects.get(pk=1)
    assert (row.code_hash, row.claimed_by) == ("", ada)
    entry = AuditEntry.objects.get(action="firstrun.claimed")
    assert entry.actor_id == ada.pk
    assert entry.changes["email"] == [None, "ada@example.com"]


def test_the_code_works_once(client):
    code = codes.make_code()
    client.post(CLAIM, claim_data(code))
    client.logout()
    again = client.post(CLAIM, claim_data(code, email="eve@example.com"))
    assert again.status_code == 404
    assert client.get(CLAIM).status_code == 404
    assert list(Person.objects.values_list("email", flat=True)) == ["ada@example.com"]


@pytest.mark.parametrize("wrong", ["", "ABCD-EFGH-JKMN", "not even close"])
def test_a_wrong_code_claims_nothing(client, wrong):
    codes.make_code()
    response = client.post(CLAIM, claim_data(wrong))
    assert response.status_code == 400
    assert not Person.objects.exists()
    assert response.wsgi_request.user.is_anonymous


def test_a_wrong_code_is_logged(client, caplog):
    codes.make_code()
    client.post(CLAIM, claim_data("ABCD-EFGH-JKMN"))
    assert "set-up code that does not work" in caplog.text


def test_without_any_code_nothing_is_claimed(client):
    response = client.post(CLAIM, claim_data("ABCD-EFGH-JKMN"))
    assert response.status_code == 400
    assert "This set-up code does not work" in response.text
    assert not Person.objects.exists()


def test_an_expired_code_claims_nothing(client):
    from datetime import timedelta

    code = codes.make_code()
    FirstRun.objects.filter(pk=1).update(
        code_made_at=FirstRun.objects.get(pk=1).code_made_at - timedelta(hours=25)
    )
    assert client.post(CLAIM, claim_data(code)).status_code == 400
    assert not Person.objects.exists()


def test_the_passwords_must_match_and_be_strong(client):
    code = codes.make_code()
    mismatch = client.post(CLAIM, claim_data(code, password2="something else entirely"))
    assert mismatch.status_code == 400
    assert "The two passwords are not the same." in mismatch.text
    weak = client.post(CLAIM, claim_data(code, password1="12345678", password2="12345678"))
    assert weak.status_code == 400
    assert not Person.objects.exists()
    assert codes.works(FirstRun.objects.get(pk=1), code)  # a refused form keeps the code


def test_an_address_already_in_cadence_is_refused(client):
    from conftest import make_person

    make_person("ada@example.com", "Ada Imported")
    code = codes.make_code()
    response = client.post(CLAIM, claim_data(code))
    assert response.status_code == 400
    assert "Someone in Cadence already has this address." in response.text
    assert not Person.objects.filter(is_staff=True).exists()


def test_the_page_is_gone_once_someone_administers_the_installation(client, cast):
    assert client.get(CLAIM).status_code == 404
    client.force_login(cast.alice)
    assert client.get(CLAIM).status_code == 404
    assert client.post(CLAIM, claim_data("ABCD-EFGH-JKMN")).status_code == 404


def test_an_administrator_added_on_the_server_ends_the_claim(client):
    from conftest import make_person

    code = codes.make_code()
    make_person("root@example.com", "Root", is_staff=True)
    assert client.post(CLAIM, claim_data(code)).status_code == 404
    assert not Person.objects.filter(email="ada@example.com").exists()


def test_the_sign_in_page_points_a_fresh_installation_to_set_up(client):
    assert CLAIM in client.get(reverse("accounts:login")).text


def test_the_sign_in_page_of_a_claimed_installation_does_not(client, cast):
    assert CLAIM not in client.get(reverse("accounts:login")).text
