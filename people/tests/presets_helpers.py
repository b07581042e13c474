"""What the preset tests share: the sample exports (`fixtures/presets/`), each with the Cadence CSV
of the same people, Workday's saved mapping, and what an import leaves in the database."""

from pathlib import Path

from django.db import transaction

from people import importing, presets
from people.models import ImportMapping, Person, Team, ids_in

FIXTURES = Path(__file__).parent / "fixtures" / "presets"
SYSTEMS = ["bamboohr", "personio", "afas", "hibob", "google", "entra", "workday"]


def export(system: str) -> bytes:
    """The system's sample export, byte for byte as it writes it."""
    return (FIXTURES / f"{system}.csv").read_bytes()


def cadence_csv(system: str) -> bytes:
    """The Cadence CSV of the same people, teams and reporting lines."""
    return (FIXTURES / f"{system}.cadence.csv").read_bytes()


def emails_in(system: str) -> list[str]:
    rows = importing.parse(cadence_csv(system)).rows
    return [values["email"] for _number, values in rows]


def workday_mapping() -> ImportMapping:
    """The mapping HR saves once for the Workday report of the sample."""
    return ImportMapping.objects.create(
        name="Workday",
        system=ImportMapping.System.WORKDAY,
        columns=presets.WORKDAY_SUGGESTION,
        manager_key="employee_id",
        date_format="mdy_slash",
        leaver_statuses="Terminated",
    )


def reader_for(system: str) -> importing.Reader:
    mapping = None
    if system == "workday":
        mapping = ImportMapping.objects.filter(system="workday").first() or workday_mapping()
    return presets.reader(system, mapping)


def team_label(team: Team | None) -> str | None:
    if team is None:
        return None
    names = dict(Team.objects.values_list("pk", "name"))
    return "/".join(names[pk] for pk in ids_in(team.path))


def snapshot(emails: list[str] | None = None) -> list[tuple]:
    """Each person as the import left them: fields, team by its path of names, manager and
    management chain by address, whether they may sign in, whether they work here today."""
    people = Person.objects.select_related("team", "role", "manager").order_by("email")
    if emails is not None:
        people = people.filter(email__in=emails)
    by_id = dict(Person.objects.values_list("pk", "email"))
    current = set(Person.objects.current().values_list("pk", flat=True))
    return [
        (
            person.email,
            person.name,
            person.job_title,
            person.role.name if person.role else None,
            person.level,
            team_label(person.team),
            person.manager.email if person.manager else None,
            [by_id[pk] for pk in person.chain_ids],
            person.start_date,
            person.leave_date,
            person.is_active,
            person.pk in current,
        )
        for person in people
    ]


class Rollback(Exception):
    pass


def outcome(source: bytes, reader: importing.Reader, emails: list[str] | None = None):
    """What importing `source` plans and leaves behind, undone afterwards: the plan's columns
    and fingerprint, and the people (`snapshot`) and teams."""
    try:
        with transaction.atomic():
            plan = importing.import_people(source, reader=reader)
            assert plan.is_valid, [str(error) for error in plan.errors]
            teams = sorted(str(team_label(team)) for team in Team.objects.all())
            raise Rollback((plan.columns, plan.fingerprint, snapshot(emails), teams))
    except Rollback as done:
        return done.args[0]
