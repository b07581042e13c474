"""Importing people from CSV: parse, validate, plan and apply (people/importing.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.importing import CREATE, UNCHANGED, UPDATE, import_people, parse, plan_import
from people.models import Person, Role, Team

HEADER = "email,name,job_title,role,level,team,manager_email,start_date,leave_date"


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def messages(plan):
    return [str(error) for error in plan.errors]


def chain_of(email):
    return Person.objects.get(email=email).chain


def expected_chain(email):
    """The chain as Person.save() defines it, walked up through the stored managers."""
    person = Person.objects.get(email=email)
    ids = []
    while person.manager_id:
        person = Person.objects.get(pk=person.manager_id)
        ids.insert(0, person.pk)
    return "/" + "".join(f"{pk}/" for pk in ids)


def test_it_creates_people_and_resolves_managers_in_any_order(db):
    source = csv_of(
        "ann@example.com,Ann Report,Engineer,,1,,ben@example.com,,",
        "ben@example.com,Ben Boss,CTO,,,,,2020-01-01,",
    )

    plan = import_people(source)

    assert plan.applied and plan.is_valid
    ann, ben = (
        Person.objects.get(email="ann@example.com"),
        Person.objects.get(email="ben@example.com"),
    )
    assert ann.manager == ben and ann.level == 1 and ann.job_title == "Engineer"
    assert ben.manager is None and ben.start_date == datetime.date(2020, 1, 1)
    assert ann.chain == f"/{ben.pk}/" and ben.chain == "/"


def test_chains_are_right_after_an_import_whose_rows_come_in_reverse_order(db):
    # p0 manages p1, p1 manages p2 ...; the file lists the deepest first.
    rows = [
        f"p{i}@example.com,Person {i},,,,,{f'p{i - 1}@example.com' if i else ''},,"
        for i in range(30)
    ]

    import_people(csv_of(*reversed(rows)))

    for i in range(30):
        assert chain_of(f"p{i}@example.com") == expected_chain(f"p{i}@example.com")
    assert chain_of("p29@example.com").count("/") == 30


def test_new_people_get_an_unusable_password(db):
    import_people(csv_of("ann@example.com,Ann,,,,,,,"))

    assert not Person.objects.get(email="ann@example.com").has_usable_password()


def test_it_updates_people_by_email_in_any_case(cast):
    plan = import_people(
        csv_of("ALICE@Example.com,Alice Employee,Staff engineer,,3,Platform,bob@example.com,,")
    )

    assert [row.action for row in plan.rows] == [UPDATE]
    alice = Person.objects.get(pk=cast.alice.pk)
    assert (alice.job_title, alice.level, alice.email) == ("Staff engineer", 3, "alice@example.com")
    assert Person.objects.count() == 6


def test_the_plan_lists_which_fields_change_old_to_new(cast):
    plan = import_people(
        csv_of("alice@example.com,Alice Employee,Staff engineer,,3,Sales,dave@example.com,,"),
        dry_run=True,
    )

    changes = {change.column: (change.old, change.new) for change in plan.rows[0].changes}
    assert changes == {
        "job_title": ("Software engineer", "Staff engineer"),
        "level": ("2", "3"),
        "team": ("Engineering/Platform", "Sales"),
        "manager_email": ("bob@example.com", "dave@example.com"),
    }


def test_a_dry_run_writes_nothing(cast):
    plan = import_people(csv_of("new@example.com,New Person,,Designer,,Design,,,"), dry_run=True)

    assert [row.action for row in plan.rows] == [CREATE]
    assert plan.new_roles == ["Designer"] and [t.label for t in plan.new_teams] == ["Design"]
    assert not plan.applied
    assert not Person.objects.filter(email="new@example.com").exists()
    assert not Role.objects.exists() and not Team.objects.filter(name="Design").exists()


def test_reimport_is_idempotent(cast):
    source = csv_of(
        "alice@example.com,Alice Employee,Software engineer,Engineer,2,Engineering/Platform,"
        "bob@example.com,2023-01-02,",
        "new@example.com,New Person,,Designer,0,Design/Brand,alice@example.com,2024-05-06,",
    )
    import_people(source)

    with CaptureQueriesContext(connection) as queries:
        plan = import_people(source)

    assert {row.action for row in plan.rows} == {UNCHANGED}
    assert not plan.has_changes and not plan.new_teams and not plan.new_roles
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_a_column_left_out_keeps_the_stored_value_and_an_empty_cell_clears_it(cast):
    import_people(csv_of("alice@example.com,Alice Employee,", header="email,name,job_title"))

    alice = Person.objects.get(pk=cast.alice.pk)
    assert alice.job_title == "" and alice.level == 2 and alice.manager_id == cast.bob.pk


def test_it_writes_nothing_when_one_row_is_invalid(cast):
    source = csv_of(
        "new@example.com,New Person,,Designer,,Design,,,",
        "alice@example.com,Alice Employee,Changed,,,,,,",
        "bad@example.com,Bad Level,,,senior,,,,",
    )

    plan = import_people(source)

    assert not plan.applied
    assert messages(plan) == ["Row 4, level: “senior” is not a whole number of 0 or more."]
    assert not Person.objects.filter(email="new@example.com").exists()
    assert Person.objects.get(pk=cast.alice.pk).job_title == "Software engineer"
    assert not Role.objects.exists() and not Team.objects.filter(name="Design").exists()


def test_row_numbers_are_the_lines_a_spreadsheet_shows(db):
    source = csv_of(
        'ann@example.com,"Ann\nTwo lines",,,,,,,',
        "",
        "ben@example.com,Ben,,,,,nobody@example.com,,",
    )

    plan = plan_import(source)

    assert messages(plan) == [
        "Row 4, manager_email: Nobody with this e-mail address in the file or the organisation."
    ]


def test_it_rejects_a_reporting_cycle(db):
    plan = plan_import(
        csv_of(
            "a@example.com,A,,,,,b@example.com,,",
            "b@example.com,B,,,,,c@example.com,,",
            "c@example.com,C,,,,,a@example.com,,",
            "d@example.com,D,,,,,a@example.com,,",
        )
    )

    cycle = "a@example.com → b@example.com → c@example.com → a@example.com (rows 2, 3, 4)"
    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "manager_email"),
        (3, "manager_email"),
        (4, "manager_email"),
    ]
    assert all(cycle in error.message for error in plan.errors)


def test_it_rejects_a_cycle_through_people_not_in_the_file(cast):
    # Carol manages Bob, who manages Alice: Carol cannot report to Alice.
    plan = import_people(csv_of("carol@example.com,Carol Leader,,,,,alice@example.com,,"))

    assert not plan.applied
    assert messages(plan) == [
        "Row 2, manager_email: Reporting lines would form a cycle: carol@example.com → "
        "alice@example.com → bob@example.com → carol@example.com (rows 2)."
    ]


def test_it_rejects_a_self_manager(db):
    plan = plan_import(csv_of("a@example.com,A,,,,,A@example.com,,"))

    assert messages(plan) == ["Row 2, manager_email: A person cannot be their own manager."]


def test_it_rejects_duplicate_emails(db):
    plan = plan_import(
        csv_of("a@example.com,A,,,,,,,", "b@example.com,B,,,,,,,", "A@example.com,A2,,,,,,,")
    )

    assert messages(plan) == ["Row 4, email: This address is also on row 2."]


def test_it_rejects_a_manager_who_has_left(cast):
    cast.dave.leave_date = datetime.date(2020, 1, 31)
    cast.dave.save()

    plan = plan_import(csv_of("a@example.com,A,,,,,dave@example.com,,"))

    assert messages(plan) == [
        "Row 2, manager_email: dave@example.com left on 2020-01-31: "
        "choose a manager who works here."
    ]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("not-an-address,A,,,,,,,", "email: “not-an-address” is not a valid e-mail address."),
        (",A,,,,,,,", "email: This is required."),
        ("a@example.com,,,,,,,,", "name: This is required."),
        ("a@example.com,A,,,-1,,,,", "level: “-1” is not a whole number of 0 or more."),
        ("a@example.com,A,,,2.5,,,,", "level: “2.5” is not a whole number of 0 or more."),
        # Digits to str.isdigit, not numbers to int(): an error, never a crash.
        ("a@example.com,A,,,²,,,,", "level: “²” is not a whole number of 0 or more."),
        ("a@example.com,A,,,٣,,,,", "level: “٣” is not a whole number of 0 or more."),
        ("a@example.com,A,,,99999,,,,", "level: The level is at most 32767."),
        (
            "a@example.com,A,,,,,,31/12/2024,",
            "start_date: “31/12/2024” is not a date as YYYY-MM-DD.",
        ),
        ("a@example.com,A,,,,,,2024-02-30,", "start_date: 2024-02-30 does not exist."),
        (
            "a@example.com,A,,,,,,2024-02-01,2024-01-01",
            "leave_date: The leave date is before the start date.",
        ),
        ("a@example.com,A,,,,,boss@,,", "manager_email: “boss@” is not a valid e-mail address."),
        (
            "a@example.com,A,,,,,,,,x",
            "This row has more values than the header has columns. "
            "Does a value with a comma or semicolon lack quotes?",
        ),
    ],
)
def test_it_rejects_invalid_values_with_clear_messages(db, row, error):
    plan = plan_import(csv_of(row))

    separator = ", " if error.split()[0].endswith(":") else ": "
    assert messages(plan) == [f"Row 2{separator}{error}"]


def test_it_reports_every_invalid_row_at_once(db):
    plan = plan_import(csv_of("a@example.com,,,,x,,,,", "b,B,,,,,,,"))

    assert [(e.row, e.column) for e in plan.errors] == [(2, "name"), (2, "level"), (3, "email")]


def test_it_rejects_unknown_columns(db):
    plan = plan_import("email,name,Salary\na@example.com,A,100\n")

    assert messages(plan) == [
        "Row 1, Salary: This column is unknown. The columns are: email, name, job_title, role, "
        "level, team, manager_email, start_date, leave_date, active."
    ]


def test_it_requires_the_email_and_name_columns(db):
    plan = plan_import("email,job_title\na@example.com,A\n")

    assert messages(plan) == ["Row 1, name: This column is required but missing from the header."]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \r\n", "The file is empty."),
        (b"email,name\r\n", "The file has a header but no rows: add one row per person."),
        ("email,name\na@example.com,Zoë\n".encode("latin-1"), "The file is not UTF-8 text."),
        (b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB"),
        (b"email,name\n" + b"a@example.com,A\n" * 20_001, "The file has more than 20,000 rows"),
    ],
)
def test_it_explains_files_it_cannot_take(db, source, error):
    plan = plan_import(source)

    assert len(plan.errors) == 1 and str(plan.errors[0]).startswith(error)


def test_it_reads_a_bom_semicolons_and_loose_header_names(db):
    source = (
        "\ufeff Email ;NAME; Manager Email\na@example.com;Zoë Ä;\nb@example.com;B;a@example.com\n"
    )

    plan = import_people(source.encode())

    assert plan.applied, messages(plan)
    assert Person.objects.get(email="a@example.com").name == "Zoë Ä"
    assert Person.objects.get(email="b@example.com").manager.email == "a@example.com"


def test_parse_keeps_quoted_delimiters(db):
    parsed = parse('email,name,job_title\na@example.com,"Doe, Jane","Lead; Ops"\n')

    assert parsed.rows == [
        (2, {"email": "a@example.com", "name": "Doe, Jane", "job_title": "Lead; Ops"})
    ]


def test_it_finds_teams_by_path_and_creates_missing_ones(cast):
    plan = import_people(
        csv_of(
            "a@example.com,A,,,,platform,,,",
            "b@example.com,B,,,,Engineering/Platform,,,",
            "c@example.com,C,,,,Engineering/Data,,,",
            "d@example.com,D,,,,Marketing/Brand,,,",
            "e@example.com,E,,,,Brand,,,",
        )
    )

    assert sorted(team.label for team in plan.new_teams) == [
        "Engineering/Data",
        "Marketing",
        "Marketing/Brand",
    ]
    emails = [f"{letter}@example.com" for letter in "abcde"]
    teams = {p.email[0]: p.team for p in Person.objects.filter(email__in=emails)}
    assert teams["a"] == teams["b"] == cast.platform
    data, brand = teams["c"], teams["d"]
    assert data.parent == cast.engineering and data.path == f"{cast.engineering.path}{data.pk}/"
    assert brand.parent.name == "Marketing" and brand.path == f"/{brand.parent.pk}/{brand.pk}/"
    assert teams["e"] == brand


def test_an_ambiguous_team_name_asks_for_the_path(cast):
    Team.objects.create(name="Platform", parent=cast.sales)

    plan = plan_import(csv_of("a@example.com,A,,,,Platform,,,"))

    assert messages(plan) == [
        "Row 2, team: Several teams match “Platform”: Engineering/Platform, Sales/Platform. "
        "Write more of the path."
    ]


def test_it_creates_roles_and_matches_existing_ones_in_any_case(db):
    engineer = Role.objects.create(name="Engineer")

    import_people(csv_of("a@example.com,A,,engineer,,,,,", "b@example.com,B,,Designer,,,,,"))

    assert Person.objects.get(email="a@example.com").role == engineer
    assert Person.objects.get(email="b@example.com").role.name == "Designer"
    assert Role.objects.count() == 2


def test_moving_a_manager_moves_the_chains_below_them(cast):
    # Bob moves under Dave; Alice (not in the file) reports to Bob and moves with him.
    import_people(csv_of("bob@example.com,Bob Manager,,,,,dave@example.com,,"))

    assert chain_of("bob@example.com") == f"/{cast.dave.pk}/"
    assert chain_of("alice@example.com") == f"/{cast.dave.pk}/{cast.bob.pk}/"


def test_a_confirmed_plan_is_not_applied_when_the_data_changed_since(cast):
    source = csv_of("alice@example.com,Alice Employee,Staff engineer,,,,,,")
    preview = import_people(source, dry_run=True)
    Person.objects.filter(pk=cast.alice.pk).update(job_title="Principal engineer")

    plan = import_people(source, expected=preview.fingerprint)

    assert plan.stale and not plan.applied
    assert Person.objects.get(pk=cast.alice.pk).job_title == "Principal engineer"
    assert import_people(source, expected=plan.fingerprint).applied


def test_existing_people_can_report_to_someone_new_in_the_file(cast):
    # Today Alice reports to Bob. Afterwards Bob reports to Alice, who reports to a new person.
    plan = import_people(
        csv_of(
            "bob@example.com,Bob Manager,,,,,alice@example.com,,",
            "alice@example.com,Alice Employee,,,,,new@example.com,,",
            "new@example.com,New Boss,,,,,,,",
        )
    )

    assert plan.applied, messages(plan)
    new = Person.objects.get(email="new@example.com")
    assert new.chain == "/"
    assert chain_of("alice@example.com") == f"/{new.pk}/"
    assert chain_of("bob@example.com") == f"/{new.pk}/{cast.alice.pk}/"
    assert chain_of("carol@example.com") == "/"


def test_ten_thousand_rows_import_in_batches_with_correct_chains(db, django_assert_max_num_queries):
    rows = [
        f"p{i}@example.com,Person {i},,Role {i % 9},,Dept {i % 4}/Team {i % 30},"
        f"{f'p{(i - 1) // 5}@example.com' if i else ''},2020-01-01,"
        for i in range(10_000)
    ]

    # What keeps a large import fast, whatever the machine's load: people are written in
    # batches (per level of managers, a few dozen rows per INSERT on SQLite, 500 elsewhere) and
    # chains in one pass, plus a few queries per new team and role, and the team names of each
    # batch for the directory search (people.search); never a query per person. The search
    # text, the legal hold (three columns) and the date of anonymising are columns more per
    # row, so SQLite's INSERTs hold a few rows fewer. The audit log
    # adds an entry per person, written in batches too (a hundred rows per INSERT on SQLite,
    # a thousand elsewhere), and reads the people's fields back a batch at a time.
    # How long it takes depends on the machine and its load, so no time is asserted here.
    with django_assert_max_num_queries(845):
        plan = import_people(csv_of(*reversed(rows)))

    assert plan.applied and len(plan.created) == 10_000
    people = dict(Person.objects.values_list("pk", "manager_id"))
    for pk, chain in Person.objects.values_list("pk", "chain"):
        ids, manager = [], people[pk]
        while manager:
            ids.insert(0, manager)
            manager = people[manager]
        assert chain == "/" + "".join(f"{manager}/" for manager in ids)
