"""`manage.py import_people FILE --format NAME [--mapping NAME]`: HR systems' exports from a
shell, read as the import page reads them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from people import importing, presets
from people.management.commands.import_people import Command
from people.models import ImportMapping, Person
from people.tests.presets_helpers import (
    SYSTEMS,
    cadence_csv,
    emails_in,
    export,
    outcome,
    snapshot,
    workday_mapping,
)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_help_lists_the_format_names():
    text = Command().create_parser("manage.py", "import_people").format_help()

    for name in presets.FORMAT_NAMES:
        assert name in text
    assert "bamboohr (BambooHR)" in text and "entra (Microsoft Entra ID)" in text


@pytest.mark.parametrize("system", SYSTEMS)
def test_each_systems_export_imports_as_its_cadence_csv_does(cast, tmp_path, system):
    if system == "workday":
        workday_mapping()
    emails = emails_in(system)
    expected = outcome(cadence_csv(system), importing.parse, emails)
    path = tmp_path / f"{system}.csv"
    path.write_bytes(export(system))

    out, _err = run(str(path), "--format", system, "--no-invite")

    assert "Imported." in out
    assert snapshot(emails) == expected[2]
    again, _err = run(str(path), "--format", system)
    assert "Nothing to import" in again


def test_warnings_are_printed_and_errors_name_the_systems_columns(db, tmp_path):
    path = tmp_path / "users.csv"
    path.write_bytes(export("entra"))

    _out, err = run(str(path), "--format", "entra", "--dry-run")

    assert "Warning: This export has no reporting lines" in err
    assert "Warning: A guest account is not someone of the organisation" in err
    path.write_bytes(export("bamboohr").replace(b"09/05/2024", b"13/45/2024"))
    with pytest.raises(CommandError, match="nothing was imported"):
        run(str(path), "--format", "bamboohr")
    assert not Person.objects.exists()


def test_an_export_read_as_the_cadence_csv_suggests_its_format(db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(export("personio"))

    with pytest.raises(CommandError):
        call_command("import_people", str(path), stdout=StringIO(), stderr=(err := StringIO()))

    assert "This looks like a Personio export: try --format personio." in err.getvalue()


def test_a_custom_mapping_is_chosen_by_its_name(db, tmp_path):
    ImportMapping.objects.create(
        name="Nmbrs", columns={"email": "E-mail", "name": "Naam"}, date_format="dmy_dash"
    )
    path = tmp_path / "nmbrs.csv"
    path.write_text("Naam;E-mail\nAnne van Dam;anne@example.com\n")

    run(str(path), "--format", "custom", "--mapping", "Nmbrs", "--no-invite")

    assert Person.objects.get(email="anne@example.com").name == "Anne van Dam"
    with pytest.raises(CommandError, match=r"No column mapping named 'Loket'\. Saved: Nmbrs\."):
        run(str(path), "--format", "custom", "--mapping", "Loket")
    with pytest.raises(CommandError, match="needs --mapping"):
        run(str(path), "--format", "custom")


def test_workday_without_its_saved_mapping_says_where_to_save_it(db, tmp_path):
    path = tmp_path / "workday.csv"
    path.write_bytes(export("workday"))

    with pytest.raises(CommandError, match="Save the columns of your Workday report"):
        run(str(path), "--format", "workday")
