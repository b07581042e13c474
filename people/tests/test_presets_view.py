"""HR systems' exports through the import page (people/views_import.py): chosen under "Exported
from", previewed with their warnings, confirmed; the column mappings saved on the same page;
accounts an import turns off cannot sign in, nor keep their sessions and tokens, until an import
turns them on again."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import ApiToken
from cadence.tests.client import BrowserClient
from people import importing
from people.models import ImportMapping, Person
from people.tests.presets_helpers import (
    SYSTEMS,
    cadence_csv,
    emails_in,
    export,
    outcome,
    snapshot,
)
from trust.models import AuditEntry

IMPORT = reverse("people:import")
LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"  # conftest.make_person's


def upload(client, content, system, name="export.csv"):
    return client.post(
        IMPORT, {"format": system, "file": SimpleUploadedFile(name, content, "text/csv")}
    )


def confirm(client, preview, invite=""):
    token = re.search(r'name="confirm" value="([^"]+)"', preview.text).group(1)
    return client.post(IMPORT, {"confirm": token, "invite": invite})


def save_mapping(client, **fields):
    data = {
        "name": "Workday",
        "system": "workday",
        "email": "Email - Primary Work",
        "name_column": "Worker",
        "employee_id": "Employee ID",
        "job_title": "Business Title",
        "role": "Job Profile",
        "team": "Supervisory Organization",
        "manager": "Manager - Employee ID",
        "manager_key": "employee_id",
        "start_date": "Hire Date",
        "leave_date": "Termination Date",
        "date_format": "mdy_slash",
        "status": "Worker Status",
        "leaver_statuses": "Terminated",
        "save_mapping": "1",
        **fields,
    }
    return client.post(IMPORT, data)


@pytest.mark.parametrize("system", SYSTEMS)
def test_each_systems_export_imports_through_the_page_as_its_cadence_csv_does(cast, login, system):
    client = login(cast.erin)
    if system == "workday":
        assert save_mapping(client).status_code == 302
    emails = emails_in(system)
    expected = outcome(cadence_csv(system), importing.parse, emails)

    preview = upload(client, export(system), system)
    assert preview.status_code == 200, preview.text
    response = confirm(client, preview)

    assert response.status_code == 302
    _columns, _fingerprint, people, _teams = expected
    assert snapshot(emails) == people
    imported = AuditEntry.objects.get(action="people.imported")
    assert imported.changes["format"] == system
    assert imported.changes["created"] == len(emails)


def test_the_upload_page_offers_each_system_and_says_how_to_export(cast, login):
    response = login(cast.erin).get(IMPORT)

    select = re.search(r'<select name="format".*?</select>', response.text, re.S).group(0)
    options = re.findall(r'<option value="([^"]+)"', select)
    assert options == [
        "cadence",
        "bamboohr",
        "personio",
        "afas",
        "hibob",
        "google",
        "entra",
        "workday",
    ]
    assert "Download users" in response.text and "GetConnector" in response.text


def test_the_preview_names_the_system_and_its_warnings(cast, login):
    response = upload(login(cast.erin), export("entra"), "entra")

    assert response.status_code == 200
    assert "<dt>Exported from</dt><dd>Microsoft Entra ID</dd>" in response.text
    assert "This export has no reporting lines" in response.text
    assert "A guest account is not someone of the organisation: skipped (row 4)." in response.text
    # Five added; the one whose account is off is not invited.
    assert "<dt>People to add</dt><dd>5</dd>" in response.text
    assert "E-mail the 4 people added an invitation" in response.text


def test_errors_name_the_row_and_column_of_the_systems_file(cast, login):
    content = export("bamboohr").replace(b"09/05/2024", b"13/45/2024")

    response = upload(login(cast.erin), content, "bamboohr")

    assert response.status_code == 400
    assert "<td>2</td><td>Hire Date</td><td>“13/45/2024” is not a date as MM/DD/YYYY.</td>" in (
        response.text
    )
    assert not Person.objects.filter(email="aiko.tanaka@northwind.example").exists()


@pytest.mark.parametrize("system", ["bamboohr", "personio", "afas", "hibob", "google", "entra"])
def test_an_export_uploaded_as_the_cadence_csv_is_recognised(cast, login, system):
    response = upload(login(cast.erin), export(system), "cadence")

    assert response.status_code == 400
    label = {"afas": "AFAS Profit", "google": "Google Workspace", "entra": "Microsoft Entra ID"}
    name = label.get(system, {"bamboohr": "BambooHR", "hibob": "HiBob"}.get(system, "Personio"))
    assert f"This looks like a {name} export: choose {name} under" in response.text


def test_workday_needs_its_mapping_saved_first(cast, login):
    response = upload(login(cast.erin), export("workday"), "workday")

    assert response.status_code == 400
    assert "Save the columns of your Workday report first" in response.text


def test_the_workday_mapping_form_starts_from_its_usual_columns(cast, login):
    response = login(cast.erin).get(IMPORT + "?system=workday")

    assert 'value="Email - Primary Work"' in response.text
    assert 'value="Manager - Employee ID"' in response.text


def test_saving_a_mapping_is_recorded_and_saving_it_again_changes_it(cast, login):
    client = login(cast.erin)
    save_mapping(client)

    response = save_mapping(client, name="Workday report", date_format="iso")

    assert response.status_code == 302
    mapping = ImportMapping.objects.get()
    assert (mapping.name, mapping.date_format) == ("Workday report", "iso")
    saved, changed = AuditEntry.objects.filter(action="people.import_mapping_saved").order_by("id")
    assert saved.actor_id == cast.erin.pk and saved.changes["columns"][0] is None
    assert changed.changes == {
        "name": ["Workday", "Workday report"],
        "date_format": ["mdy_slash", "iso"],
    }


def test_a_mapping_for_another_system_is_offered_and_read_with(cast, login):
    client = login(cast.erin)
    save_mapping(
        client,
        name="Loket",
        system="custom",
        email="E-mailadres",
        name_column="Naam",
        employee_id="",
        job_title="",
        role="",
        team="Afdeling",
        manager="E-mailadres leidinggevende",
        manager_key="email",
        start_date="",
        leave_date="",
        status="",
        date_format="dmy_dash",
    )
    mapping = ImportMapping.objects.get(name="Loket")
    assert f'<option value="custom:{mapping.pk}">Loket</option>' in client.get(IMPORT).text
    content = (
        b"Naam;E-mailadres;Afdeling;E-mailadres leidinggevende\n"
        b"Anne van Dam;anne@example.com;Zorg;carol@example.com\n"
    )

    preview = upload(client, content, f"custom:{mapping.pk}")
    confirm(client, preview)

    anne = Person.objects.get(email="anne@example.com")
    assert anne.manager == cast.carol and anne.team.name == "Zorg"
    assert "<dt>Exported from</dt><dd>Loket</dd>" in preview.text


def test_a_mapping_without_a_name_column_is_refused_on_its_form(cast, login):
    response = save_mapping(login(cast.erin), name_column="")

    assert response.status_code == 400
    assert "Name the column of the full name, or those of the first and last name." in (
        response.text
    )
    assert not ImportMapping.objects.exists()


def test_a_mapping_is_removed_and_that_is_recorded(cast, login):
    client = login(cast.erin)
    save_mapping(client)
    mapping = ImportMapping.objects.get()

    response = client.post(IMPORT, {"delete_mapping": str(mapping.pk)})

    assert response.status_code == 302
    assert not ImportMapping.objects.exists()
    entry = AuditEntry.objects.get(action="people.import_mapping_deleted")
    assert entry.changes["name"] == ["Workday", None]


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_only_hr_who_may_import_saves_or_removes_mappings(cast, login, who):
    mapping = ImportMapping.objects.create(name="Nmbrs", columns={"email": "Email"})
    client = login(getattr(cast, who))

    assert save_mapping(client).status_code == 403
    assert client.post(IMPORT, {"delete_mapping": str(mapping.pk)}).status_code == 403
    assert list(ImportMapping.objects.values_list("name", flat=True)) == ["Nmbrs"]


def test_the_page_with_mappings_needs_a_few_queries(cast, login, django_assert_max_num_queries):
    for number in range(20):
        ImportMapping.objects.create(name=f"System {number}", columns={"email": "Email"})
    client = login(cast.erin)

    with django_assert_max_num_queries(6):
        response = client.get(IMPORT)

    assert response.status_code == 200 and "System 19" in response.text


# --- Accounts turned off ------------------------------------------------------------------------

GOOGLE = (
    "First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY]\n"
    "Alice,Employee,alice@example.com,{status}\n"
)


def test_an_account_an_import_turns_off_cannot_sign_in_nor_keep_its_session_or_tokens(cast, login):
    _token, raw = ApiToken.issue(cast.alice, "script")
    signed_in = BrowserClient()
    signed_in.force_login(cast.alice)
    assert signed_in.get(reverse("home")).status_code == 200
    hr = login(cast.erin)
    client = BrowserClient()

    confirm(hr, upload(hr, GOOGLE.format(status="Suspended").encode(), "google"))

    alice = Person.objects.get(pk=cast.alice.pk)
    assert not alice.is_active and not alice.has_left and alice.manager == cast.bob
    assert signed_in.get(reverse("home")).status_code == 302  # the session ended
    api = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 401
    refused = client.post(LOGIN, {"username": "alice@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session and refused.status_code == 200
    changed = AuditEntry.objects.get(action="person.changed", subject_id=cast.alice.pk)
    assert changed.changes == {"is_active": [True, False]}


def test_an_active_row_in_a_later_import_turns_the_account_on_again(cast, login):
    hr = login(cast.erin)
    client = BrowserClient()
    confirm(hr, upload(hr, GOOGLE.format(status="Suspended").encode(), "google"))

    confirm(hr, upload(hr, GOOGLE.format(status="Active").encode(), "google"))

    assert Person.objects.get(pk=cast.alice.pk).is_active
    client.post(LOGIN, {"username": "alice@example.com", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(cast.alice.pk)


def test_the_person_page_says_hr_when_an_account_is_turned_off(cast, login):
    Person.objects.filter(pk=cast.alice.pk).update(is_active=False)

    page = login(cast.erin).get(reverse("people:person", args=[cast.alice.pk]))

    assert "cannot sign in" in page.text
