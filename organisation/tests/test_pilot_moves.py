"""Someone moved into a team that has been in the pilot for a while (on their person page, by
moving their team, or by a CSV import) joins the scope the day of the move: their rhythm is
scheduled from that day, not from the day the team joined the pilot, so nothing from before
counts as overdue; and it stays so when only the periodic job schedules them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from cadence.jobs import run_jobs
from cadence.waiting import counts
from conftest import make_person
from conversations.models import Conversation, Kind, add_months
from conversations.tests.factories import held, make_conversation
from organisation import current
from organisation.models import PilotArrival
from organisation.tests.factories import start_pilot
from people.tests.test_person_edit import edit_url, form_data
from people.tests.test_team_views import edit_url as team_edit_url
from people.tests.test_team_views import team_data

IMPORT = reverse("people:import")


@pytest.fixture
def pilot_for_a_year(cast):
    """Engineering (Carol; Platform within it: Bob and Alice) has been in the pilot for a year;
    Dave, in Sales, reports to Bob: their pair is outside, and last met five months ago (by
    its rhythm, their next check-in was due four months ago)."""
    cast.dave.manager = cast.bob
    cast.dave.save()
    held(make_conversation(cast.dave, cast.bob, due=add_months(timezone.localdate(), -5)))
    start_pilot(cast.engineering, since=add_months(timezone.localdate(), -12))


def open_check_in(employee):
    return Conversation.objects.open().rhythm().get(employee=employee, kind=Kind.CHECK_IN)


def nothing_overdue(cast, manager):
    today = timezone.localdate()
    assert not Conversation.objects.open().filter(due_date__lt=today).exists()
    (line,) = run_jobs(timezone.now(), ["conversations"])
    assert "reminders: 0 upcoming, 0 overdue" in line
    assert counts(Viewer(manager), today)["conversations_to_hold"] == 0


def test_moved_into_a_pilot_team_on_the_person_page_the_rhythm_starts_that_day(
    login, cast, pilot_for_a_year
):
    response = login(cast.erin).post(
        edit_url(cast.dave), form_data(cast.dave, team=cast.platform.pk)
    )
    assert response.status_code == 302
    today = timezone.localdate()
    assert PilotArrival.objects.get(person=cast.dave).since == today
    assert open_check_in(cast.dave).due_date == add_months(today, 1)
    nothing_overdue(cast, cast.bob)


def test_the_job_alone_schedules_them_from_the_day_of_the_move(login, cast, pilot_for_a_year):
    row = current.row()
    row.modules_off = ["conversations"]  # nothing is scheduled at the move
    row.save()
    login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, team=cast.platform.pk))
    assert not Conversation.objects.open().filter(employee=cast.dave).exists()
    row.modules_off = []
    row.save()
    nothing_overdue(cast, cast.bob)  # the job schedules, then reminds
    assert open_check_in(cast.dave).due_date == add_months(timezone.localdate(), 1)


def test_a_team_moved_under_a_pilot_team_brings_its_people_in_that_day(
    login, cast, pilot_for_a_year
):
    sid = make_person("sid@example.com", "Sid Sales", team=cast.sales)
    cast.dave.manager = sid
    cast.dave.save()
    held(make_conversation(cast.dave, sid, due=add_months(timezone.localdate(), -5)))
    response = login(cast.erin).post(
        team_edit_url(cast.sales), team_data(cast.sales, parent=cast.engineering.pk)
    )
    assert response.status_code == 302
    today = timezone.localdate()
    arrived = dict(PilotArrival.objects.values_list("person__email", "since"))
    assert arrived == {"dave@example.com": today, "sid@example.com": today}
    assert open_check_in(cast.dave).due_date == add_months(today, 1)
    nothing_overdue(cast, sid)


def test_a_csv_import_that_moves_someone_in_starts_their_rhythm_that_day(
    login, cast, pilot_for_a_year
):
    client = login(cast.erin)
    content = b"email,name,team\ndave@example.com,Dave Peer,Engineering/Platform\n"
    preview = client.post(IMPORT, {"file": SimpleUploadedFile("move.csv", content, "text/csv")})
    token = re.search(r'name="confirm" value="([^"]+)"', preview.text).group(1)
    assert client.post(IMPORT, {"confirm": token}).status_code == 302
    cast.dave.refresh_from_db()
    assert cast.dave.team == cast.platform
    today = timezone.localdate()
    assert PilotArrival.objects.get(person=cast.dave).since == today
    assert open_check_in(cast.dave).due_date == add_months(today, 1)
    nothing_overdue(cast, cast.bob)


def test_a_move_within_the_pilot_is_no_arrival(login, cast, pilot_for_a_year):
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, team=cast.engineering.pk))
    assert not PilotArrival.objects.exists()


def test_without_a_pilot_a_move_is_no_arrival(login, cast):
    login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, team=cast.platform.pk))
    assert not PilotArrival.objects.exists()


def test_moved_out_the_pair_is_called_off_and_what_they_did_is_kept(login, cast, pilot_for_a_year):
    login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, team=cast.platform.pk))
    assert open_check_in(cast.dave)
    login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, team=cast.sales.pk))
    assert not Conversation.objects.open().rhythm().filter(employee=cast.dave).exists()
    assert Conversation.objects.filter(employee=cast.dave, held_on__isnull=False).count() == 1
