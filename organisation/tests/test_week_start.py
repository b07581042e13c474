"""The organisation's week start: Monday unless an administrator chooses Sunday or Saturday on
the Organisation tab (audited like the other settings), read through `current.settings()`."""

from datetime import date

import pytest
from django.urls import reverse

from organisation import current
from organisation.models import OrgSettings, WeekStart
from trust.models import AuditEntry

GENERAL = reverse("organisation:general")
SETTINGS = {"name": "Acme", "language": "en", "time_zone": "UTC"}


def test_the_week_starts_on_monday_until_someone_chooses(login, cast):
    assert current.settings().week_start == WeekStart.MONDAY
    page = login(cast.frank).get(GENERAL).content.decode()
    assert '<option value="0" selected>Monday</option>' in page
    assert '<option value="6">Sunday</option>' in page
    assert '<option value="5">Saturday</option>' in page


def test_the_administrator_chooses_sunday_and_it_is_in_the_audit_log(login, cast):
    client = login(cast.frank)
    response = client.post(GENERAL, {**SETTINGS, "week_start": "6"})
    assert response.status_code == 302
    assert OrgSettings.objects.get(pk=1).week_start == WeekStart.SUNDAY
    assert current.settings().week_start == WeekStart.SUNDAY
    entry = AuditEntry.objects.get(action="organisation.settings_changed")
    assert entry.changes["week_start"] == [0, 6]
    log = client.get(reverse("audit:log")).content.decode()
    assert "week starts on" in log
    assert "Monday" in log and "Sunday" in log


def test_saving_the_same_week_start_records_no_change_of_it(login, cast):
    login(cast.frank).post(GENERAL, {**SETTINGS, "week_start": "0"})
    entry = AuditEntry.objects.get(action="organisation.settings_changed")
    assert "week_start" not in entry.changes  # only the name changed


@pytest.mark.parametrize("value", ["3", "monday", "", "99999999999999999999"])
def test_a_day_not_offered_is_refused_and_nothing_is_saved(login, cast, value):
    response = login(cast.frank).post(GENERAL, {**SETTINGS, "week_start": value})
    assert response.status_code == 200
    assert response.context["form"].errors["week_start"]
    assert OrgSettings.objects.get(pk=1).name == ""


def test_hr_and_employees_do_not_set_it(login, cast):
    for who in (cast.erin, cast.alice):
        response = login(who).post(GENERAL, {**SETTINGS, "week_start": "6"})
        assert response.status_code == 403
    assert OrgSettings.objects.get(pk=1).week_start == WeekStart.MONDAY


@pytest.mark.parametrize(
    ("start", "first_days"),
    [
        # Wednesday 9 Dec 2026, Saturday 12 Dec, Sunday 13 Dec, Monday 14 Dec
        (WeekStart.MONDAY, ["2026-12-07", "2026-12-07", "2026-12-07", "2026-12-14"]),
        (WeekStart.SUNDAY, ["2026-12-06", "2026-12-06", "2026-12-13", "2026-12-13"]),
        (WeekStart.SATURDAY, ["2026-12-05", "2026-12-12", "2026-12-12", "2026-12-12"]),
    ],
)
def test_a_week_begins_on_the_organisations_first_day(db, start, first_days):
    row = current.row()
    row.week_start = start
    row.save()
    days = [date(2026, 12, 9), date(2026, 12, 12), date(2026, 12, 13), date(2026, 12, 14)]
    weeks = [current.settings().week_of(day).isoformat() for day in days]
    assert weeks == first_days
