"""people.services, called directly as each role: permission first (someone who may not write
is refused even with data that would be refused anyway), then the domain's refusals, then the
write."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from access.models import HRRole
from access.viewer import Viewer
from accounts.models import EmailChange
from cadence.refusals import Refused
from conftest import make_person
from people import services
from people.models import Person, Role, Team
from people.reporting import LEAD_REFUSAL, REFUSAL, SELF_MOVE_REFUSAL
from people.services import PersonData, TeamData

IN_SCOPE, OUT_OF_SCOPE = "hr_in_scope", "hr_out_of_scope"
NO_MANAGING, MANAGER, ADMIN, EMPLOYEE = "hr_not_managing", "manager", "admin", "employee"


@pytest.fixture
def roles(cast):
    """Everyone a service is called as: org-wide HR (erin), HR scoped to Engineering (in scope
    for Platform), HR scoped to Sales (out of scope), org-wide HR who may not manage people,
    Alice's manager (bob), the administrator (frank) and an employee (alice)."""
    hana = make_person("hana@example.com", "Hana Scoped", team=cast.people_team)
    HRRole.objects.create(person=hana, scope=cast.engineering)
    omar = make_person("omar@example.com", "Omar Sales HR", team=cast.people_team)
    HRRole.objects.create(person=omar, scope=cast.sales)
    nina = make_person("nina@example.com", "Nina Reader", team=cast.people_team)
    HRRole.objects.create(person=nina, can_manage_people=False)
    people = {
        "hr": cast.erin,
        IN_SCOPE: hana,
        OUT_OF_SCOPE: omar,
        NO_MANAGING: nina,
        MANAGER: cast.bob,
        ADMIN: cast.frank,
        EMPLOYEE: cast.alice,
    }
    return {role: Viewer(person=Person.objects.get(pk=p.pk)) for role, p in people.items()}


def refused(call, *args):
    with pytest.raises(Refused) as caught:
        call(*args)
    return caught.value.errors


def data_of(person, **changes):
    person = Person.objects.select_related("role").get(pk=person.pk)
    fields = {
        "name": person.name,
        "email": person.email,
        "job_title": person.job_title,
        "level": person.level,
        "team": person.team,
        "manager": person.manager,
        "start_date": person.start_date,
        "role_name": person.role.name if person.role else "",
    }
    return PersonData(**{**fields, **changes})


# --- Adding a person ---------------------------------------------------------------------------


def new_person(cast, **changes):
    fields = {"name": "Gina New", "email": "gina@example.com", "team": cast.platform}
    return PersonData(**{**fields, "manager": cast.bob, "role_name": "Designer", **changes})


@pytest.mark.parametrize("role", [NO_MANAGING, MANAGER, ADMIN, EMPLOYEE])
def test_only_hr_who_manage_people_add_someone_even_with_invalid_data(cast, roles, role):
    invalid = new_person(cast, email=cast.alice.email, team=cast.sales)
    with pytest.raises(PermissionDenied):
        services.add_person(roles[role], invalid)
    assert not Person.objects.filter(name="Gina New").exists()


@pytest.mark.parametrize("role", ["hr", IN_SCOPE])
def test_hr_adds_someone_in_its_scope(cast, roles, role):
    person = services.add_person(roles[role], new_person(cast))
    person.refresh_from_db()
    assert (person.team, person.manager, person.role) == (
        cast.platform,
        cast.bob,
        Role.objects.get(name="Designer"),
    )
    assert person.chain == f"/{cast.carol.pk}/{cast.bob.pk}/"
    assert not person.has_usable_password()


def test_hr_adds_nobody_outside_its_scope(cast, roles):
    errors = refused(services.add_person, roles[OUT_OF_SCOPE], new_person(cast))
    assert errors == [("team", "Choose a team within your part of the organisation.")]
    assert not Person.objects.filter(name="Gina New").exists()


def test_adding_refuses_an_address_in_use_in_any_case(cast, roles):
    errors = refused(services.add_person, roles["hr"], new_person(cast, email="ALICE@example.com"))
    assert errors == [("email", "Someone in the organisation already uses this address.")]


def test_hr_does_not_add_someone_below_itself(cast, roles):
    errors = refused(services.add_person, roles["hr"], new_person(cast, manager=cast.erin))
    assert errors == [("manager", str(REFUSAL))]


# --- Editing a person ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [OUT_OF_SCOPE, NO_MANAGING, MANAGER, ADMIN, EMPLOYEE])
def test_only_hr_in_scope_edits_someone_even_with_invalid_data(cast, roles, role):
    # A manager loop, an address in use and a team outside any scope: refused first of all.
    invalid = data_of(cast.carol, manager=cast.alice, email=cast.dave.email, name="Changed")
    with pytest.raises(PermissionDenied):
        services.edit_person(roles[role], cast.carol, invalid)
    cast.carol.refresh_from_db()
    assert (cast.carol.name, cast.carol.manager_id) == ("Carol Leader", None)


@pytest.mark.parametrize("role", ["hr", IN_SCOPE])
def test_hr_in_scope_edits_someone(cast, roles, role):
    edited = services.edit_person(
        roles[role], cast.alice, data_of(cast.alice, job_title="Staff engineer", level=4)
    )
    cast.alice.refresh_from_db()
    assert (cast.alice.job_title, cast.alice.level) == ("Staff engineer", 4)
    assert edited.email_change is None


def test_a_new_manager_moves_the_chain_and_tells_the_person(cast, roles):
    mail.outbox.clear()
    services.edit_person(roles["hr"], cast.alice, data_of(cast.alice, manager=cast.carol))
    cast.alice.refresh_from_db()
    assert cast.alice.chain == f"/{cast.carol.pk}/"
    assert [message.to for message in mail.outbox] == [[cast.alice.email]]


def test_a_new_address_is_only_asked_for(cast, roles):
    edited = services.edit_person(
        roles["hr"], cast.alice, data_of(cast.alice, email="alice.new@example.com")
    )
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"
    assert edited.email_change == EmailChange.objects.get(new_email="alice.new@example.com")


def test_editing_refuses_an_address_in_use(cast, roles):
    errors = refused(
        services.edit_person, roles["hr"], cast.alice, data_of(cast.alice, email="Dave@example.com")
    )
    assert errors == [("email", "Someone in the organisation already uses this address.")]


def test_editing_refuses_a_manager_loop(cast, roles):
    errors = refused(
        services.edit_person, roles["hr"], cast.carol, data_of(cast.carol, manager=cast.alice)
    )
    message = "Alice Employee reports to this person already: that would be a cycle."
    assert errors == [("manager", message)]
    cast.carol.refresh_from_db()
    assert cast.carol.manager_id is None


def test_nobody_is_their_own_manager(cast, roles):
    errors = refused(
        services.edit_person, roles["hr"], cast.alice, data_of(cast.alice, manager=cast.alice)
    )
    assert errors == [("manager", "A person cannot be their own manager.")]


def test_hr_does_not_put_itself_above_someone(cast, roles):
    errors = refused(
        services.edit_person, roles["hr"], cast.carol, data_of(cast.carol, manager=cast.erin)
    )
    assert errors == [("manager", str(REFUSAL))]


def test_hr_does_not_move_itself_to_another_team(cast, roles):
    errors = refused(
        services.edit_person, roles["hr"], cast.erin, data_of(cast.erin, team=cast.platform)
    )
    assert errors == [("team", str(SELF_MOVE_REFUSAL))]


def test_scoped_hr_does_not_move_someone_out_of_its_scope(cast, roles):
    errors = refused(
        services.edit_person, roles[IN_SCOPE], cast.alice, data_of(cast.alice, team=cast.sales)
    )
    assert errors == [("team", "This team is outside your part of the organisation.")]
    cast.alice.refresh_from_db()
    assert cast.alice.team == cast.platform


def test_a_start_date_after_the_leave_date_is_refused(cast, roles):
    Person.objects.filter(pk=cast.dave.pk).update(leave_date=timezone.localdate())
    later = timezone.localdate() + timedelta(days=10)
    errors = refused(
        services.edit_person, roles["hr"], cast.dave, data_of(cast.dave, start_date=later)
    )
    assert errors == [("leave_date", "The leave date is before the start date.")]


# --- Marking as leaving -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [OUT_OF_SCOPE, NO_MANAGING, MANAGER, ADMIN, EMPLOYEE])
def test_only_hr_in_scope_marks_a_leaver_even_with_an_invalid_date(cast, roles, role):
    Person.objects.filter(pk=cast.alice.pk).update(start_date=date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        services.mark_leaving(roles[role], cast.alice, date(2023, 1, 1))
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date is None


@pytest.mark.parametrize("role", ["hr", IN_SCOPE])
def test_hr_in_scope_marks_a_leaver(cast, roles, role):
    day = timezone.localdate() + timedelta(days=30)
    services.mark_leaving(roles[role], cast.alice, day)
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date == day


def test_a_leave_date_before_the_start_date_is_refused(cast, roles):
    Person.objects.filter(pk=cast.alice.pk).update(start_date=date(2024, 1, 1))
    errors = refused(services.mark_leaving, roles["hr"], cast.alice, date(2023, 12, 31))
    assert errors == [("leave_date", "The leave date is before the start date.")]


# --- Adding a team ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [IN_SCOPE, OUT_OF_SCOPE, NO_MANAGING, MANAGER, ADMIN, EMPLOYEE])
def test_only_organisation_wide_hr_adds_a_team_even_with_invalid_data(cast, roles, role):
    invalid = TeamData(name="New", parent=cast.platform, lead=roles[role].person)
    with pytest.raises(PermissionDenied):
        services.add_team(roles[role], invalid)
    assert not Team.objects.filter(name="New").exists()


def test_hr_adds_a_team_below_another(cast, roles):
    team = services.add_team(roles["hr"], TeamData(name="New", parent=cast.platform, lead=cast.bob))
    team.refresh_from_db()
    assert (team.path, team.lead) == (f"{cast.platform.path}{team.pk}/", cast.bob)


def test_hr_does_not_make_itself_a_new_team_s_lead(cast, roles):
    errors = refused(services.add_team, roles["hr"], TeamData(name="New", lead=cast.erin))
    assert errors == [("lead", str(LEAD_REFUSAL))]
    assert not Team.objects.filter(name="New").exists()


# --- Editing a team -----------------------------------------------------------------------------


def team_data(team, **changes):
    team = Team.objects.get(pk=team.pk)
    return TeamData(**{"name": team.name, "parent": team.parent, "lead": team.lead, **changes})


@pytest.mark.parametrize("role", [OUT_OF_SCOPE, NO_MANAGING, MANAGER, ADMIN, EMPLOYEE])
def test_only_hr_in_scope_edits_a_team_even_with_invalid_data(cast, roles, role):
    invalid = team_data(cast.engineering, name="Changed", parent=cast.platform)
    with pytest.raises(PermissionDenied):
        services.edit_team(roles[role], cast.engineering, invalid)
    cast.engineering.refresh_from_db()
    assert (cast.engineering.name, cast.engineering.parent) == ("Engineering", None)


@pytest.mark.parametrize("role", ["hr", IN_SCOPE])
def test_hr_in_scope_renames_a_team(cast, roles, role):
    services.edit_team(roles[role], cast.platform, team_data(cast.platform, name="Core"))
    cast.platform.refresh_from_db()
    assert cast.platform.name == "Core"


def test_moving_a_team_moves_the_paths_below_it(cast, roles):
    below = Team.objects.create(name="Below", parent=cast.platform)
    services.edit_team(roles["hr"], cast.platform, team_data(cast.platform, parent=cast.sales))
    cast.platform.refresh_from_db()
    below.refresh_from_db()
    assert cast.platform.path == f"/{cast.sales.pk}/{cast.platform.pk}/"
    assert below.path == f"{cast.platform.path}{below.pk}/"


@pytest.mark.parametrize("under", ["itself", "its sub-team"])
def test_a_team_does_not_move_under_itself(cast, roles, under):
    parent = cast.engineering if under == "itself" else cast.platform
    errors = refused(
        services.edit_team,
        roles["hr"],
        cast.engineering,
        team_data(cast.engineering, parent=parent),
    )
    assert errors == [("parent", "A team cannot be part of itself or of one of its sub-teams.")]
    cast.engineering.refresh_from_db()
    assert cast.engineering.path == f"/{cast.engineering.pk}/"


def test_scoped_hr_moves_no_team_out_of_its_scope(cast, roles):
    for parent in (None, cast.sales):
        errors = refused(
            services.edit_team,
            roles[IN_SCOPE],
            cast.platform,
            team_data(cast.platform, parent=parent),
        )
        assert errors == [("parent", "Choose a team within your part of the organisation.")]
    cast.platform.refresh_from_db()
    assert cast.platform.parent == cast.engineering


def test_hr_does_not_make_itself_a_team_s_lead(cast, roles):
    errors = refused(
        services.edit_team, roles["hr"], cast.sales, team_data(cast.sales, lead=cast.erin)
    )
    assert errors == [("lead", str(LEAD_REFUSAL))]


# --- Importing ----------------------------------------------------------------------------------

CSV = "email,name,team\nzoe@example.com,Zoe Imported,Sales\n"


@pytest.mark.parametrize("role", [IN_SCOPE, OUT_OF_SCOPE, NO_MANAGING, MANAGER, ADMIN, EMPLOYEE])
def test_only_organisation_wide_hr_imports_even_an_invalid_file(cast, roles, role):
    for source in (CSV, "not,a\nvalid file"):
        with pytest.raises(PermissionDenied):
            services.apply_import(roles[role], source, expected=None)
    assert not Person.objects.filter(email="zoe@example.com").exists()


def test_organisation_wide_hr_imports(cast, roles):
    plan = services.apply_import(roles["hr"], CSV, expected=None)
    assert plan.applied
    assert Person.objects.get(email="zoe@example.com").team == cast.sales


def test_an_import_that_changed_since_its_preview_is_not_applied(cast, roles):
    plan = services.apply_import(roles["hr"], CSV, expected="another plan")
    assert (plan.stale, plan.applied) == (True, False)
    assert not Person.objects.filter(email="zoe@example.com").exists()


def test_an_import_does_not_put_the_importer_above_anyone(cast, roles):
    source = "email,name,manager_email\nalice@example.com,Alice Employee,erin@example.com\n"
    plan = services.apply_import(roles["hr"], source, expected=None)
    assert not plan.applied
    assert [error.message for error in plan.errors] == [str(REFUSAL)]
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.bob


# --- Through the page -------------------------------------------------------------------------


def test_the_edit_page_shows_a_refusal_on_a_field_it_does_not_have(login, cast):
    """The leave date is not on the person form: the page says it above the form."""
    from people.tests.test_person_edit import edit_url, form_data

    Person.objects.filter(pk=cast.dave.pk).update(leave_date=timezone.localdate())
    later = timezone.localdate() + timedelta(days=10)
    response = login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, start_date=later))
    assert response.status_code == 400
    assert "The leave date is before the start date." in response.text
    cast.dave.refresh_from_db()
    assert cast.dave.start_date != later
