"""HR adds and edits people: the manager chosen with the people picker, no cycles, unique
addresses, moving subtrees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from people.models import Person, Role

ADD = reverse("people:person_create")
NOT_HR = ["alice", "bob", "carol", "dave", "frank"]


def edit_url(person):
    return reverse("people:person_edit", args=[person.pk])


def form_data(person, **changes):
    """What the edit form posts for `person`, with some fields changed."""
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


def new_person(cast, **changes):
    data = {
        "name": "Gina New",
        "email": "Gina@Example.com",
        "job_title": "Designer",
        "level": "3",
        "team": cast.platform.pk,
        "manager": "BOB@example.com",
        "start_date": "2025-09-01",
        "role_name": "Product designer",
    }
    return {**data, **changes}


# --- Adding -------------------------------------------------------------------------------------


def test_hr_sees_the_add_form(login, cast):
    response = login(cast.erin).get(ADD)
    assert response.status_code == 200
    assert "Add a person" in response.text


def test_hr_adds_a_person(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast))
    gina = Person.objects.get(email="gina@example.com")
    assert response.status_code == 302
    assert response.url == gina.get_absolute_url()
    assert gina.name == "Gina New"
    assert gina.manager == cast.bob
    assert gina.chain == f"/{cast.carol.pk}/{cast.bob.pk}/"
    assert gina.team == cast.platform
    assert gina.level == 3
    assert str(gina.start_date) == "2025-09-01"
    assert gina.role.name == "Product designer"


def test_a_new_person_has_no_usable_password(login, cast):
    login(cast.erin).post(ADD, new_person(cast))
    assert not Person.objects.get(email="gina@example.com").has_usable_password()


def test_a_new_person_is_announced(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast), follow=True)
    assert "Gina New is added." in response.text


def test_a_new_person_reuses_an_existing_role(login, cast):
    Role.objects.create(name="Product designer")
    login(cast.erin).post(ADD, new_person(cast))
    assert Role.objects.count() == 1


def test_a_new_person_may_be_at_the_top(login, cast):
    login(cast.erin).post(ADD, new_person(cast, manager="", team=""))
    gina = Person.objects.get(email="gina@example.com")
    assert gina.manager is None
    assert gina.chain == "/"


def test_adding_needs_a_name_and_an_email(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast, name="", email=""))
    assert response.status_code == 400
    assert response.text.count("This field is required.") == 2
    assert not Person.objects.filter(name="Gina New").exists()


def test_adding_refuses_an_address_in_use(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast, email="ALICE@example.com"))
    assert "Someone in the organisation already uses this address." in response.text
    assert Person.objects.count() == 6


def test_adding_refuses_an_unknown_manager(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast, manager="nobody@example.com"))
    assert "Nobody found for “nobody@example.com”" in response.text
    assert not Person.objects.filter(email="gina@example.com").exists()


def test_adding_refuses_a_manager_who_has_left(login, cast):
    cast.bob.leave_date = timezone.localdate() - timedelta(days=1)
    cast.bob.save()
    response = login(cast.erin).post(ADD, new_person(cast))
    assert "Nobody found for “BOB@example.com”" in response.text
    response = login(cast.erin).post(ADD, new_person(cast, manager=cast.bob.pk))
    assert "Nobody working here can be chosen with this value." in response.text
    assert not Person.objects.filter(email="gina@example.com").exists()


def test_the_manager_is_chosen_with_the_people_picker(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast, manager=cast.carol.pk))
    assert response.status_code == 302
    assert Person.objects.get(email="gina@example.com").manager == cast.carol


@pytest.mark.parametrize("who", NOT_HR)
def test_adding_is_forbidden_outside_hr(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, new_person(cast)).status_code == 403
    assert not Person.objects.filter(email="gina@example.com").exists()


def test_adding_is_forbidden_to_hr_who_may_not_manage_people(login, cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    assert login(cast.erin).get(ADD).status_code == 403


def test_adding_sends_anonymous_people_to_sign_in(client, cast):
    response = client.post(ADD, new_person(cast))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Person.objects.filter(email="gina@example.com").exists()


# --- Editing ------------------------------------------------------------------------------------


def test_hr_sees_the_edit_form_filled_in(login, cast):
    response = login(cast.erin).get(edit_url(cast.alice))
    assert response.status_code == 200
    assert f'name="manager" value="{cast.bob.pk}" checked' in response.text  # a chip
    assert 'role="combobox"' in response.text and "people/picker.js" in response.text
    assert 'value="Alice Employee"' in response.text


def test_hr_edits_a_person(login, cast):
    data = form_data(cast.alice, name="Alice Senior", level="3", job_title="Senior engineer")
    response = login(cast.erin).post(edit_url(cast.alice), data, follow=True)
    assert "Changes to Alice Senior are saved." in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Senior"
    assert cast.alice.level == 3
    assert cast.alice.job_title == "Senior engineer"


def test_hr_changes_a_manager_by_email(login, cast):
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, manager="Carol@Example.com"))
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.carol
    assert cast.alice.chain == f"/{cast.carol.pk}/"


def test_moving_a_manager_moves_their_whole_subtree(login, cast):
    gina = Person.objects.create_user("gina@example.com", None, name="Gina", manager=cast.alice)
    login(cast.erin).post(edit_url(cast.bob), form_data(cast.bob, manager="dave@example.com"))
    for person in (cast.bob, cast.alice, gina):
        person.refresh_from_db()
    assert cast.bob.chain == f"/{cast.dave.pk}/"
    assert cast.alice.chain == f"/{cast.dave.pk}/{cast.bob.pk}/"
    assert gina.chain == f"/{cast.dave.pk}/{cast.bob.pk}/{cast.alice.pk}/"
    assert cast.dave.manages(gina)
    assert not cast.carol.manages(cast.alice)


def test_moving_a_manager_to_the_top_moves_their_subtree(login, cast):
    login(cast.erin).post(edit_url(cast.bob), form_data(cast.bob, manager=""))
    cast.alice.refresh_from_db()
    assert cast.alice.chain == f"/{cast.bob.pk}/"


def test_after_a_move_the_new_chain_sees_the_details(login, cast):
    login(cast.erin).post(edit_url(cast.bob), form_data(cast.bob, manager="dave@example.com"))
    page = reverse("people:person", args=[cast.alice.pk])
    assert login(cast.dave).get(page).context["show_employment"] is True
    assert login(cast.carol).get(page).context["show_employment"] is False


def test_editing_refuses_a_cycle(login, cast):
    data = form_data(cast.carol, manager="alice@example.com")
    response = login(cast.erin).post(edit_url(cast.carol), data)
    assert response.status_code == 400
    assert "Alice Employee reports to this person already: that would be a cycle." in (
        response.text
    )
    cast.carol.refresh_from_db()
    assert cast.carol.manager is None
    assert cast.carol.chain == "/"


def test_editing_refuses_to_make_someone_their_own_manager(login, cast):
    response = login(cast.erin).post(
        edit_url(cast.bob), form_data(cast.bob, manager=cast.bob.email)
    )
    assert "A person cannot be their own manager." in response.text
    cast.bob.refresh_from_db()
    assert cast.bob.manager == cast.carol


def test_editing_refuses_an_address_in_use(login, cast):
    data = form_data(cast.alice, email="BOB@example.com")
    response = login(cast.erin).post(edit_url(cast.alice), data)
    assert "Someone in the organisation already uses this address." in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"


def test_editing_keeps_the_own_address_in_another_case(login, cast):
    data = form_data(cast.alice, email="ALICE@example.com", name="Alice E.")
    login(cast.erin).post(edit_url(cast.alice), data)
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"
    assert cast.alice.name == "Alice E."


def test_editing_keeps_the_password(login, cast):
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, name="Alice E."))
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(cast.password)


def test_hr_edits_a_leaver(login, cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=3)
    cast.dave.save()
    response = login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, name="Dave P."))
    assert response.status_code == 302
    cast.dave.refresh_from_db()
    assert cast.dave.name == "Dave P."


@pytest.mark.parametrize("who", NOT_HR)
def test_editing_is_forbidden_outside_hr(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(edit_url(cast.alice)).status_code == 403
    data = form_data(cast.alice, name="Hacked", level="9")
    assert client.post(edit_url(cast.alice), data).status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Employee"


def test_editing_yourself_is_forbidden_outside_hr(login, cast):
    data = form_data(cast.alice, level="9")
    assert login(cast.alice).post(edit_url(cast.alice), data).status_code == 403


def test_editing_an_unknown_person_is_not_found(login, cast):
    assert login(cast.erin).get(reverse("people:person_edit", args=[999_999])).status_code == 404


# --- HR scoped to a part of the organisation ---------------------------------------------------


@pytest.fixture
def scoped_hr(cast):
    """Erin covers Engineering and below only."""
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    return cast.erin


def test_scoped_hr_edits_people_in_its_scope(login, cast, scoped_hr):
    client = login(scoped_hr)
    for person in (cast.carol, cast.alice):
        response = client.post(edit_url(person), form_data(person, job_title="Edited"))
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.job_title == "Edited"


def test_scoped_hr_cannot_edit_people_outside_its_scope(login, cast, scoped_hr):
    client = login(scoped_hr)
    assert client.get(edit_url(cast.dave)).status_code == 403
    assert client.post(edit_url(cast.dave), form_data(cast.dave, name="X")).status_code == 403
    assert client.get(edit_url(cast.frank)).status_code == 403
    cast.dave.refresh_from_db()
    assert cast.dave.name == "Dave Peer"


def test_scoped_hr_cannot_move_someone_out_of_its_scope(login, cast, scoped_hr):
    data = form_data(cast.alice, team=cast.sales.pk)
    response = login(scoped_hr).post(edit_url(cast.alice), data)
    assert response.status_code == 400
    assert "This team is outside your part of the organisation." in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.team == cast.platform


def test_scoped_hr_adds_people_in_its_scope_only(login, cast, scoped_hr):
    client = login(scoped_hr)
    outside = client.post(ADD, new_person(cast, team=cast.sales.pk))
    assert "Choose a team within your part of the organisation." in outside.text
    assert not Person.objects.filter(email="gina@example.com").exists()
    assert not Role.objects.exists()
    inside = client.post(ADD, new_person(cast, team=cast.platform.pk))
    assert inside.status_code == 302
    assert Person.objects.filter(email="gina@example.com").exists()
