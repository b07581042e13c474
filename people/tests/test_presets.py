"""Importing HR systems' own exports (people/presets.py): each preset reads its system's sample
export into the same people, teams and reporting lines as the Cadence CSV of the same data, and
knows the system's conventions (languages, dates, delimiters, encodings, names in parts,
managers by key, leavers, accounts turned off, guests, exports without reporting lines)."""

import datetime

import pytest

from people import importing, presets
from people.importing import import_people, plan_import
from people.models import ImportMapping, Person
from people.tests.presets_helpers import (
    SYSTEMS,
    cadence_csv,
    emails_in,
    export,
    outcome,
    reader_for,
    snapshot,
)


def messages(items):
    return [str(item) for item in items]


def plan_of(system, source, **kwargs):
    return plan_import(source, reader=reader_for(system), **kwargs)


# --- The same as the Cadence CSV ----------------------------------------------------------------


@pytest.mark.parametrize("system", SYSTEMS)
def test_each_preset_gives_the_people_teams_and_lines_the_cadence_csv_gives(db, system):
    reader = reader_for(system)

    expected = outcome(cadence_csv(system), importing.parse)
    read = outcome(export(system), reader)

    assert read == expected
    columns, _fingerprint, people, teams = read
    assert len(people) >= 5 and teams
    assert {"email", "name", "job_title", "team"} <= set(columns)


@pytest.mark.parametrize("system", SYSTEMS)
def test_each_preset_gives_the_same_into_an_organisation_that_exists(cast, system):
    """Into the test cast's organisation (its Engineering team, its people): still the same."""
    reader = reader_for(system)

    assert outcome(export(system), reader) == outcome(cadence_csv(system), importing.parse)


@pytest.mark.parametrize("system", SYSTEMS)
def test_importing_an_export_again_changes_nothing(db, system):
    reader = reader_for(system)
    first = import_people(export(system), reader=reader)
    people = snapshot()

    again = import_people(export(system), reader=reader)

    assert first.applied and first.has_changes
    assert again.applied and not again.has_changes
    assert len(again.unchanged) == len(emails_in(system))
    assert snapshot() == people


def test_what_the_samples_say_lands_as_it_should(db):
    for system in SYSTEMS:
        import_people(export(system), reader=reader_for(system))
    people = {person.email: person for person in Person.objects.select_related("manager")}

    # BambooHR: the preferred name, a manager by EEID, a future and a past termination date.
    assert people["maggie.okafor@northwind.example"].name == "Maggie Okafor"
    assert people["aiko.tanaka@northwind.example"].manager.email == (
        "sarah.lindqvist@northwind.example"
    )
    tom, marcus = people["tom.oneill@northwind.example"], people["marcus.bell@northwind.example"]
    assert tom.leave_date == datetime.date(2040, 6, 30) and not tom.has_left
    assert marcus.has_left and marcus.is_active
    # Personio: German headers, a quoted semicolon, "inaktiv" with and without a date.
    assert people["felix.wagner@brenner.example"].job_title == "Leitung Vertrieb; DACH"
    assert people["lukas.weber@brenner.example"].team.name == "Plattform"
    lena, mia = people["lena.fischer@brenner.example"], people["mia.hoffmann@brenner.example"]
    assert not lena.is_active and lena.leave_date is None
    assert mia.has_left and mia.is_active
    # AFAS: names composed with their surname prefix, managers by employee number.
    assert people["jan.vanderberg@devries.example"].name == "Jan van der Berg"
    assert people["fatima.elamrani@devries.example"].name == "Fatima el Amrani"
    assert people["sanne.jansen@devries.example"].manager.name == "Els de Vries"
    # Google: Suspended; Entra: disabled, and the user principal name when `mail` is empty.
    assert not people["ben.ward@kestrel.example"].is_active
    assert not people["luke.harris@fabrikam.example"].is_active
    assert people["nina.kowalski@fabrikam.example"].name == "Nina Kowalski"
    assert "rita@contoso.example" not in people  # a guest
    # Workday: the role from the job profile; "On Leave" still works here.
    assert people["owen.price@summit.example"].is_active
    assert people["laura.becker@summit.example"].role.name == "Analyst"


# --- Languages, delimiters, encodings -----------------------------------------------------------


def test_personio_in_english_reads_the_same_columns(db):
    source = (
        "ID,First name,Last name,Email,Position,Department,Hire date,Termination date,Status,"
        "Supervisor ID\n"
        "1,Anna,Schmidt,anna@brenner.example,Head of Engineering,Engineering,15/08/2017,,active,\n"
        "2,Lukas,Weber,lukas@brenner.example,Developer,Engineering,01.02.2020,,active,1\n"
    )

    plan = plan_of("personio", source)

    assert plan.is_valid, messages(plan.errors)
    lukas = plan.rows[1].values
    assert lukas["start_date"] == datetime.date(2020, 2, 1)
    assert lukas["manager_email"] == "anna@brenner.example"
    assert plan.rows[0].values["start_date"] == datetime.date(2017, 8, 15)


@pytest.mark.parametrize(
    ("system", "header", "value", "day"),
    [
        ("bamboohr", "Hire Date", "3/1/2024", datetime.date(2024, 3, 1)),
        ("bamboohr", "Hire Date", "03/01/2024", datetime.date(2024, 3, 1)),
        ("afas", "Datum in dienst", "01-03-2024", datetime.date(2024, 3, 1)),
        ("afas", "Datum in dienst", "2024-03-01T00:00:00", datetime.date(2024, 3, 1)),
        ("personio", "Eintrittsdatum", "01.03.2024", datetime.date(2024, 3, 1)),
        ("hibob", "Start date", "01/03/2024", datetime.date(2024, 3, 1)),
        ("entra", "employeeHireDate", "2024-03-01T08:00:00Z", datetime.date(2024, 3, 1)),
        ("personio", "Eintrittsdatum", "2024-03-01", datetime.date(2024, 3, 1)),  # ISO: any
    ],
)
def test_each_system_writes_its_dates_its_own_way(db, system, header, value, day):
    email = {"bamboohr": "Work Email", "afas": "E-mail werk", "personio": "E-Mail"}.get(
        system, "Email" if system == "hibob" else "mail"
    )
    name = "displayName" if system == "entra" else "Display name"
    if system in ("bamboohr", "afas", "personio"):
        name_columns = {"afas": "Roepnaam;Achternaam", "personio": "Vorname;Nachname"}.get(
            system, "First Name;Last Name"
        )
        source = f"{email};{name_columns};{header}\nann@example.com;Ann;Example;{value}\n"
    else:
        source = f"{email};{name};{header}\nann@example.com;Ann Example;{value}\n"

    plan = plan_of(system, source)

    assert plan.is_valid, messages(plan.errors)
    assert plan.rows[0].values["start_date"] == day


def test_a_date_that_does_not_fit_names_the_row_and_the_column_as_the_file_does(db):
    source = (
        "First Name,Last Name,Work Email,Hire Date\n"
        "Ann,Example,ann@example.com,03/01/2024\n"
        "Bo,Example,bo@example.com,13/45/2024\n"
    )

    plan = plan_of("bamboohr", source)

    assert messages(plan.errors) == ["Row 3, Hire Date: “13/45/2024” is not a date as MM/DD/YYYY."]


def test_a_byte_order_mark_and_crlf_change_nothing(db):
    plain = export("bamboohr").removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    assert plain != export("bamboohr")

    as_exported = plan_of("bamboohr", export("bamboohr"))
    assert plan_of("bamboohr", plain).fingerprint == as_exported.fingerprint


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_older_windows_encodings_are_read(db, encoding):
    text = export("afas").decode("utf-8-sig")

    plan = plan_of("afas", text.encode(encoding))

    assert plan.is_valid, messages(plan.errors)
    assert plan.fingerprint == plan_of("afas", export("afas")).fingerprint
    assert "Financiën" in {team.name for team in plan.new_teams}


def test_lines_before_the_header_are_skipped_and_rows_keep_their_numbers(db):
    """Entra's bulk files may start with "version:v1.0": rows are numbered as in the file."""
    source = (
        "version:v1.0\n"
        "userPrincipalName,displayName,mail,userType,accountEnabled,employeeHireDate\n"
        "ann@example.com,Ann Example,ann@example.com,Member,True,2024-01-01\n"
        "bo@example.com,Bo Example,bo@example.com,Member,True,2024-13-01\n"
    )

    plan = plan_of("entra", source)

    assert messages(plan.errors) == [
        "Row 4, employeeHireDate: “2024-13-01” is not a date as YYYY-MM-DD."
    ]


def test_a_file_of_another_system_is_told_so(db):
    plan = plan_of("bamboohr", export("entra"))

    assert messages(plan.errors) == [
        "No header row with the e-mail address column (Work Email) in the first rows: is this a "
        "BambooHR export?"
    ]


def test_a_row_with_more_values_than_the_header_is_an_error(db):
    source = "E-Mail;Vorname;Nachname\nann@example.com;Ann;Example;Vertrieb; DACH\n"

    plan = plan_of("personio", source)

    assert messages(plan.errors) == [
        "Row 2: This row has more values than the header has columns. Does a value with a comma "
        "or semicolon lack quotes?"
    ]


# --- Names and managers -------------------------------------------------------------------------


def test_names_are_composed_from_their_parts_with_the_surname_prefix(db):
    source = (
        "Medewerker;Roepnaam;Voornaam;Voorvoegsel;Achternaam;E-mail werk\n"
        "1;Jan;Johannes;van der;Berg;jan@example.com\n"
        "2;;Maria;de;Groot;maria@example.com\n"
        "3;Kim;;;Bos;kim@example.com\n"
    )

    plan = plan_of("afas", source)

    assert [row.name for row in plan.rows] == ["Jan van der Berg", "Maria de Groot", "Kim Bos"]


def test_managers_are_found_by_key_in_any_order_and_leading_zeros_do_not_matter(db):
    source = (
        "Medewerker;Roepnaam;Achternaam;E-mail werk;Leidinggevende\n"
        "000102;Els;Vries;els@example.com;101\n"
        "101;Jan;Berg;jan@example.com;\n"
        "103;Kim;Bos;kim@example.com;0102\n"
    )

    plan = plan_of("afas", source)

    assert plan.is_valid, messages(plan.errors)
    assert [row.values["manager_email"] for row in plan.rows] == [
        "jan@example.com",
        None,
        "els@example.com",
    ]


def test_a_manager_key_nobody_has_is_an_error_on_its_row_and_column(db):
    source = (
        "EEID,First Name,Last Name,Work Email,Supervisor EID\n"
        "1,Ann,Example,ann@example.com,\n"
        "2,Bo,Example,bo@example.com,999\n"
    )

    plan = plan_of("bamboohr", source)

    assert messages(plan.errors) == ["Row 3, Supervisor EID: Nobody in this file has EEID “999”."]
    assert not import_people(source, reader=reader_for("bamboohr")).applied
    assert not Person.objects.exists()


def test_an_employee_id_twice_is_an_error(db):
    source = (
        "EEID,First Name,Last Name,Work Email,Supervisor EID\n"
        "1,Ann,Example,ann@example.com,\n"
        "1,Bo,Example,bo@example.com,1\n"
    )

    plan = plan_of("bamboohr", source)

    assert messages(plan.errors) == [
        "Row 3, EEID: This is also on row 2: each person's needs to be their own."
    ]


def test_managers_named_by_id_need_everyones_own_id(db):
    source = "First Name,Last Name,Work Email,Supervisor EID\nAnn,Example,ann@example.com,7\n"

    plan = plan_of("bamboohr", source)

    assert messages(plan.errors) == [
        "Row 1, Supervisor EID: This column names managers by their employee ID: add the column "
        "with everyone's own (“EEID”) to the export."
    ]


def test_reporting_lines_from_the_planner_keep_their_rules_with_the_original_column(db):
    """A cycle is the planner's finding; it names the system's column."""
    source = (
        "Employee ID,Display name,Email,Reports to ID\n"
        "1,Ann Example,ann@example.com,2\n"
        "2,Bo Example,bo@example.com,1\n"
    )

    plan = plan_of("hibob", source)

    assert [error.column for error in plan.errors] == ["Reports to ID", "Reports to ID"]
    assert all("would form a cycle" in error.message for error in plan.errors)


def test_managers_are_never_found_by_display_name(cast):
    """Personio's "Vorgesetzte:r" holds a name: no reporting line is imported, however well
    the name would match, and the stored ones stay."""
    source = (
        "E-Mail;Vorname;Nachname;Position;Vorgesetzte:r\n"
        "alice@example.com;Alice;Employee;Engineer;Carol Leader\n"
        "nina@example.com;Nina;New;Engineer;Bob Manager\n"
    )

    plan = import_people(source, reader=reader_for("personio"))

    assert plan.applied
    assert "manager_email" not in plan.columns
    assert messages(plan.warnings) == [
        "Vorgesetzte:r: This column names managers by name only, which cannot tell two people "
        "of the same name apart: reporting lines are not imported, and stay as they are in "
        "Cadence. Add the manager's e-mail address or employee ID to the export to import them."
    ]
    assert Person.objects.get(pk=cast.alice.pk).manager == cast.bob
    assert Person.objects.get(email="nina@example.com").manager is None


def test_an_export_without_reporting_lines_keeps_the_stored_ones(cast):
    source = (
        "userPrincipalName,displayName,mail,userType,jobTitle,accountEnabled\n"
        "alice@example.com,Alice Employee,alice@example.com,Member,Staff engineer,True\n"
    )

    plan = import_people(source, reader=reader_for("entra"))

    assert plan.applied
    assert messages(plan.warnings) == [
        "This export has no reporting lines: managers stay as they are in Cadence, and the "
        "people added have none until you set them."
    ]
    alice = Person.objects.get(pk=cast.alice.pk)
    assert alice.job_title == "Staff engineer" and alice.manager == cast.bob


def test_a_manager_column_left_empty_everywhere_counts_as_no_reporting_lines(cast):
    source = (
        "First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],"
        "Manager Email\n"
        "Alice,Employee,alice@example.com,Active,\n"
        "Bob,Manager,bob@example.com,Active,\n"
    )

    plan = import_people(source, reader=reader_for("google"))

    assert plan.applied and "manager_email" not in plan.columns
    assert "This export has no reporting lines" in messages(plan.warnings)[0]
    assert Person.objects.get(pk=cast.alice.pk).manager == cast.bob
    assert Person.objects.get(pk=cast.bob.pk).manager == cast.carol


# --- Leavers, accounts turned off, guests -------------------------------------------------------


def test_a_status_that_says_left_without_a_date_turns_the_account_off(db):
    plan = plan_of("personio", export("personio"))

    lena = next(row for row in plan.rows if row.email == "lena.fischer@brenner.example")
    assert lena.values["active"] is False and lena.values["leave_date"] is None
    assert messages(plan.warnings) == [
        "Row 9, Status: “inaktiv” without a date of leaving: their account is turned off, and "
        "they are not marked as left."
    ]


def test_a_status_the_preset_does_not_know_counts_as_working_with_a_warning(db):
    source = (
        "First Name,Last Name,Work Email,Employment Status\n"
        "Ann,Example,ann@example.com,Seasonal\n"
        "Bo,Example,bo@example.com,Seasonal\n"
        "Cy,Example,cy@example.com,Full-Time\n"
    )

    plan = plan_of("bamboohr", source)

    assert plan.is_valid
    assert [row.values["active"] for row in plan.rows] == [True, True, True]
    assert messages(plan.warnings)[-1] == (
        "Employment Status: “Seasonal” is not a status Cadence knows: counted as working "
        "(rows 2, 3)."
    )


def test_someone_rehired_after_an_earlier_termination_works_here(db):
    source = (
        "First Name,Last Name,Work Email,Hire Date,Termination Date,Status\n"
        "Ann,Example,ann@example.com,05/01/2023,12/31/2020,Active\n"
    )

    plan = plan_of("bamboohr", source)

    assert plan.rows[0].values["leave_date"] is None


def test_someone_who_left_without_an_address_is_skipped_but_not_someone_working(db):
    plan = plan_of("afas", export("afas"))
    assert messages(plan.warnings) == [
        "Someone who left, without an e-mail address: skipped (row 8)."
    ]

    working = "Roepnaam;Achternaam;E-mail werk;Datum uit dienst\nAnn;Example;;\n"
    assert messages(plan_of("afas", working).errors) == ["Row 2, E-mail werk: This is required."]


def test_guest_accounts_are_skipped_with_a_warning(db):
    plan = plan_of("entra", export("entra"))

    assert plan.is_valid
    assert "rita@contoso.example" not in {row.email for row in plan.rows}
    assert messages(plan.warnings)[1] == (
        "A guest account is not someone of the organisation: skipped (row 4)."
    )


def test_a_manager_skipped_is_named_as_such(db):
    source = (
        "Medewerker;Roepnaam;Achternaam;E-mail werk;Datum uit dienst;Leidinggevende\n"
        "1;Ann;Example;;31-12-2019;\n"
        "2;Bo;Example;bo@example.com;;1\n"
    )

    plan = plan_of("afas", source)

    assert messages(plan.errors) == [
        "Row 3, Leidinggevende: “1” is on row 2, which is skipped: choose another manager."
    ]


def test_the_cadence_csv_takes_an_active_column_too(cast):
    plan = import_people(
        "email,name,active\nalice@example.com,Alice Employee,no\ndave@example.com,Dave Peer,\n"
    )

    assert plan.applied
    assert not Person.objects.get(pk=cast.alice.pk).is_active
    assert Person.objects.get(pk=cast.dave.pk).is_active
    changes = {change.column: (change.old, change.new) for change in plan.rows[0].changes}
    assert changes == {"active": ("yes", "no")}
    bad = plan_import("email,name,active\nalice@example.com,Alice Employee,maybe\n")
    assert messages(bad.errors) == ["Row 2, active: “maybe” is not “yes” or “no”."]


def test_nobody_turns_their_own_account_off(cast):
    source = (
        "First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY]\n"
        "Erin,HR,erin@example.com,Suspended\n"
    )

    plan = plan_import(source, editor=cast.erin, reader=reader_for("google"))

    assert messages(plan.errors) == [
        "Row 2, Status [READ ONLY]: You cannot turn your own account off: ask another HR."
    ]


# --- Saved mappings -----------------------------------------------------------------------------


def test_a_saved_mapping_reads_another_systems_export(cast):
    mapping = ImportMapping.objects.create(
        name="Loket",
        columns={
            "email": "E-mailadres zakelijk",
            "first_name": "Roepnaam",
            "name_prefix": "Voorvoegsels",
            "last_name": "Achternaam",
            "employee_id": "Werknemernummer",
            "team": "Afdeling",
            "manager": "Leidinggevende nr",
            "leave_date": "Uit dienst",
            "status": "Status",
        },
        manager_key="employee_id",
        date_format="dmy_dash",
        inactive_statuses="Geblokkeerd",
        leaver_statuses="Uit dienst",
    )
    source = (
        "Werknemernummer;Roepnaam;Voorvoegsels;Achternaam;E-mailadres zakelijk;Afdeling;"
        "Leidinggevende nr;Uit dienst;Status\n"
        "7;Anne;van;Dam;anne@example.com;Zorg;8;;Actief\n"
        "8;Wim;de;Boer;wim@example.com;Zorg;;;Actief\n"
        "9;Joke;;Visser;joke@example.com;Zorg;8;;Geblokkeerd\n"
        "10;Henk;;Mulder;henk@example.com;Zorg;8;01-02-2024;Uit dienst\n"
    )

    plan = import_people(source, reader=presets.reader(presets.CUSTOM, mapping))

    assert plan.applied, messages(plan.errors)
    anne, joke, henk = (
        Person.objects.get(email=email)
        for email in ("anne@example.com", "joke@example.com", "henk@example.com")
    )
    assert anne.name == "Anne van Dam" and anne.manager.name == "Wim de Boer"
    assert not joke.is_active and joke.leave_date is None
    assert henk.leave_date == datetime.date(2024, 2, 1) and henk.has_left
    assert plan.source == "custom:Loket"


def test_a_column_the_mapping_names_must_be_in_the_file(db):
    mapping = ImportMapping(
        name="Nmbrs", columns={"email": "Email", "name": "Name", "team": "Department"}
    )

    plan = plan_import(
        "Email,Name\nann@example.com,Ann\n", reader=presets.reader(presets.CUSTOM, mapping)
    )

    assert messages(plan.errors) == ["Row 1: The mapping's column “Department” is not in the file."]


def test_workday_needs_its_saved_mapping(db):
    with pytest.raises(presets.MappingMissing):
        presets.reader("workday")


def test_an_export_is_recognised_and_the_cadence_csv_is_not_taken_for_one():
    for system in ("bamboohr", "personio", "afas", "hibob", "google", "entra"):
        assert presets.guess(export(system).decode("utf-8-sig")) is presets.PRESETS[system]
    assert presets.guess(importing.template_csv()) is None
    assert presets.guess("email,name,Salary\na@example.com,A,100\n") is None


def test_rows_read_elsewhere_take_the_same_path(cast):
    """The planner's input is a `ParsedFile` of the import's columns, whatever read it (a
    provisioning request, say): planned, applied and recorded as a file is."""
    from trust.models import AuditEntry

    rows = [
        (1, {"email": "nina@example.com", "name": "Nina New", "manager_email": "bob@example.com"}),
        (2, {"email": "alice@example.com", "name": "Alice Employee", "active": "no"}),
    ]
    parsed = importing.ParsedFile(
        columns=["email", "name", "manager_email", "active"], rows=rows, source="scim"
    )

    plan = import_people(parsed, editor=cast.erin)

    assert plan.applied
    nina = Person.objects.get(email="nina@example.com")
    assert nina.chain == f"/{cast.carol.pk}/{cast.bob.pk}/"
    assert not Person.objects.get(pk=cast.alice.pk).is_active
    assert AuditEntry.objects.get(action="people.provisioned").changes["format"] == "scim"
