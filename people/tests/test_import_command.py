"""`manage.py import_people FILE [--dry-run]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from people.models import Person, Team

HEADER = "email,name,team,manager_email"


@pytest.fixture
def csv_file(tmp_path):
    def write(*rows, header=HEADER, content=None):
        path = tmp_path / "people.csv"
        if content is None:
            content = ("\n".join([header, *rows]) + "\n").encode()
        path.write_bytes(content)
        return str(path)

    return write


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_people", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_it_imports_the_file_and_prints_the_summary(cast, csv_file):
    path = csv_file(
        "ann@example.com,Ann,Engineering/Data,ben@example.com",
        "ben@example.com,Ben,Engineering,carol@example.com",
    )

    out, _ = run(path)

    assert "2 to add, 0 to update, 0 unchanged; 1 new team, 0 new roles." in out
    assert "New team: Engineering/Data" in out and "Imported." in out
    ann = Person.objects.get(email="ann@example.com")
    ben = Person.objects.get(email="ben@example.com")
    assert ann.chain == f"/{cast.carol.pk}/{ben.pk}/"
    assert ann.team.parent == cast.engineering


def test_a_dry_run_prints_the_plan_and_writes_nothing(cast, csv_file):
    path = csv_file("alice@example.com,Alice Employee,Sales,dave@example.com")

    out, _ = run(path, "--dry-run", verbosity=2)

    assert "0 to add, 1 to update, 0 unchanged" in out
    assert "Row 2 update alice@example.com: team: Engineering/Platform → Sales" in out
    assert "manager_email: bob@example.com → dave@example.com" in out
    assert "Dry run: nothing was written." in out
    assert Person.objects.get(pk=cast.alice.pk).manager == cast.bob


def test_reimport_is_idempotent(cast, csv_file):
    path = csv_file("ann@example.com,Ann,Design,alice@example.com")
    run(path)

    out, _ = run(path)

    assert "0 to add, 0 to update, 1 unchanged; 0 new teams, 0 new roles." in out
    assert "Nothing to import" in out
    assert Team.objects.filter(name="Design").count() == 1


def test_it_fails_with_the_row_errors_and_writes_nothing(cast, csv_file):
    path = csv_file(
        "ann@example.com,Ann,,",
        "carol@example.com,Carol Leader,,alice@example.com",
    )

    with pytest.raises(CommandError, match=r"1 problem\(s\): nothing was imported"):
        run(path)

    assert not Person.objects.filter(email="ann@example.com").exists()


def test_it_prints_each_row_error(cast, csv_file):
    path = csv_file("ann@example.com,Ann,,nobody@example.com")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_people", path, stderr=err, stdout=StringIO())

    assert err.getvalue().strip() == (
        "Row 2, manager_email: Nobody with this e-mail address in the file or the organisation."
    )


def test_it_fails_on_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.csv"))


def test_it_fails_on_a_file_over_5_mb(db, csv_file):
    path = csv_file(content=b"email,name\n" + b"x" * (5 * 1024 * 1024))

    with pytest.raises(CommandError, match="larger than 5 MB"):
        run(path)


def test_it_fails_on_an_empty_file(db, csv_file):
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_people", csv_file(content=b""), stderr=err, stdout=StringIO())

    assert "The file is empty." in err.getvalue()
