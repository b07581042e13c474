"""A person's own calendar: one helper (`Person.local_zone`, `Person.local_today`) that every
schedule, reminder, e-mail and meeting time uses."""

import zoneinfo
from datetime import UTC, date, datetime

import pytest

from people.models import Person


@pytest.mark.parametrize(
    "zone, expected",
    [
        ("Pacific/Auckland", date(2025, 1, 16)),
        ("Pacific/Honolulu", date(2025, 1, 15)),
        ("UTC", date(2025, 1, 15)),
    ],
)
def test_today_is_the_date_where_the_person_is(zone, expected):
    noon = datetime(2025, 1, 15, 12, tzinfo=UTC)
    person = Person(time_zone=zone)
    assert person.local_zone == zoneinfo.ZoneInfo(zone)
    assert person.local_today(noon) == expected


@pytest.mark.parametrize("zone", ["", "Mars/Olympus_Mons", "../etc/passwd"])
def test_an_unset_or_unknown_zone_is_utc(zone):
    person = Person(time_zone=zone)
    assert person.local_zone == zoneinfo.ZoneInfo("UTC")
    assert person.local_today(datetime(2025, 1, 15, 23, 30, tzinfo=UTC)) == date(2025, 1, 15)
