"""The Pilot tab: organisation-wide HR switches the pilot on and chooses its teams in the team
tree, sees who leads each and how many people Cadence runs for; the change is in the audit log.
Nobody else reaches it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from organisation import current
from organisation.models import OrgSettings, PilotTeam
from people.models import Team
from trust.models import AuditEntry

PILOT = reverse("organisation:pilot")


def post(client, teams=(), pilot=True):
    data = {"teams": [team.pk for team in teams]}
    if pilot:
        data["pilot"] = "on"
    return client.post(PILOT, data)


def test_hr_finds_the_pilot_tab(login, cast):
    page = login(cast.erin).get(reverse("organisation:privacy"))
    assert "organisation:pilot" in [url for url, _label in page.context["tabs"]]
    assert f'href="{PILOT}"' in page.content.decode()


def test_the_page_shows_every_team_in_the_tree_with_its_lead_and_people(login, cast):
    page = login(cast.erin).get(PILOT)
    assert page.status_code == 200
    rows = {row["team"].name: row for row in page.context["rows"]}
    assert list(rows) == ["Engineering", "Platform", "Sales", "People"]  # by path: the tree
    assert rows["Engineering"]["people"] == 3  # Carol, and Bob and Alice in Platform within it
    assert rows["Platform"]["people"] == 2
    assert rows["Platform"]["team"].lead == cast.bob
    content = page.content.decode()
    assert "— Platform" in content  # indented under Engineering, as on the people forms
    assert "Bob Manager" in content and "Carol Leader" in content
    assert "Cadence runs for everyone: 6 people." in content


def test_hr_starts_a_pilot_in_one_team(login, cast):
    response = post(login(cast.erin), [cast.platform])
    assert response.status_code == 302
    assert OrgSettings.objects.get(pk=1).pilot
    (pilot,) = PilotTeam.objects.all()
    assert pilot.team == cast.platform
    assert pilot.since == timezone.localdate()
    assert current.settings().pilot_paths == (cast.platform.path,)
    entry = AuditEntry.objects.get(action="organisation.pilot_changed")
    assert entry.actor_id == cast.erin.pk
    assert entry.changes == {"pilot": [False, True], "pilot_teams": ["", "Platform"]}


def test_the_page_says_how_many_people_are_in_the_pilot_and_who_leads_each_team(login, cast):
    client = login(cast.erin)
    post(client, [cast.platform])
    page = client.get(PILOT)
    assert page.context["in_scope"] == 2 and page.context["everyone"] == 6
    assert page.context["without_team"] == 1  # Frank
    content = page.content.decode()
    assert "2 people of 6 are in the pilot." in content
    assert "1 person has no team and is outside the pilot." in content
    (row,) = page.context["pilot_teams"]
    assert row["team"] == cast.platform and row["people"] == 2
    assert "Bob Manager" in content


def test_a_team_kept_keeps_its_day_and_a_team_added_starts_today(login, cast):
    PilotTeam.objects.create(team=cast.platform, since=date(2025, 1, 6))
    row = current.row()
    row.pilot = True
    row.save()
    post(login(cast.erin), [cast.platform, cast.sales])
    since = dict(PilotTeam.objects.values_list("team__name", "since"))
    assert since == {"Platform": date(2025, 1, 6), "Sales": timezone.localdate()}
    entry = AuditEntry.objects.get(action="organisation.pilot_changed")
    assert entry.changes == {"pilot_teams": ["Platform", "Platform, Sales"]}


def test_a_team_taken_out_leaves_the_pilot(login, cast):
    client = login(cast.erin)
    post(client, [cast.platform, cast.sales])
    post(client, [cast.sales])
    assert list(PilotTeam.objects.values_list("team__name", flat=True)) == ["Sales"]


def test_switching_the_pilot_off_lets_cadence_run_for_everyone(login, cast):
    client = login(cast.erin)
    post(client, [cast.platform])
    post(client, [cast.platform], pilot=False)
    assert not current.settings().pilot
    assert current.settings().in_pilot(None)
    entries = AuditEntry.objects.filter(action="organisation.pilot_changed").order_by("pk")
    assert entries.last().changes == {"pilot": [True, False]}


def test_saving_without_a_change_records_nothing(login, cast):
    client = login(cast.erin)
    post(client, [cast.platform])
    post(client, [cast.platform])
    assert AuditEntry.objects.filter(action="organisation.pilot_changed").count() == 1


def test_a_pilot_needs_a_team(login, cast):
    response = post(login(cast.erin), [])
    assert response.status_code == 200
    assert response.context["form"].errors["teams"]
    assert not OrgSettings.objects.filter(pilot=True).exists()
    assert not AuditEntry.objects.filter(action="organisation.pilot_changed").exists()


@pytest.mark.parametrize("value", ["999999", "Platform", "-1", "1.5", "9" * 30, "\x00"])
def test_a_team_that_is_not_one_is_refused(login, cast, value):
    response = login(cast.erin).post(PILOT, {"pilot": "on", "teams": [value]})
    assert response.status_code == 200
    assert response.context["form"].errors["teams"]
    assert not PilotTeam.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_nobody_else_reaches_the_pilot(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(PILOT).status_code == 403
    assert post(client, [cast.sales]).status_code == 403
    assert not PilotTeam.objects.exists()
    assert not OrgSettings.objects.filter(pilot=True).exists()


def test_hr_for_one_team_does_not_run_the_pilot(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    assert login(cast.erin).get(PILOT).status_code == 403


def test_the_page_costs_the_same_whatever_the_number_of_teams(
    login, cast, django_assert_max_num_queries
):
    for number in range(30):
        Team.objects.create(name=f"Squad {number}", parent=cast.platform, lead=cast.alice)
    client = login(cast.erin)
    post(client, [cast.platform, cast.sales])
    # Session and person, HR role, the pilot rows, the teams, the people per team, the
    # navigation's counts (one query).
    with django_assert_max_num_queries(8):
        page = client.get(PILOT)
    assert len(page.context["rows"]) == 34
