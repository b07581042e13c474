"""What the audit log (`trust.audit`) records of a person: the fields HR sets, as the log stores
them (their team and manager by id, their role by name)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from people.models import Person

COLUMNS = {
    "name": "name",
    "job_title": "job_title",
    "level": "level",
    "team": "team_id",
    "manager": "manager_id",
    "start_date": "start_date",
    "leave_date": "leave_date",
    "role": "role__name",
}


def state(person: Person) -> dict[str, Any]:
    """The person's fields as the log stores them (reads their role when not loaded)."""
    return {
        "name": person.name,
        "job_title": person.job_title,
        "level": person.level,
        "team": person.team_id,
        "manager": person.manager_id,
        "start_date": person.start_date,
        "leave_date": person.leave_date,
        "role": person.role.name if person.role is not None else None,
    }


def states(ids: Iterable[int], *, account: bool = False) -> dict[int, dict[str, Any]]:
    """`state` of many people, by id, a query per 500; with `account`, also whether they may
    sign in (`is_active`, which an import from an HR system's export sets)."""
    columns = {**COLUMNS, "is_active": "is_active"} if account else COLUMNS
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        rows = Person.objects.filter(pk__in=wanted[start : start + 500]).values(
            "pk", *columns.values()
        )
        for row in rows:
            found[row["pk"]] = {key: row[column] for key, column in columns.items()}
    return found
