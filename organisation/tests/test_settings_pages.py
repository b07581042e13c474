"""Administration in the app: administrators set the organisation's name, language and time
zone and switch modules; organisation-wide HR sets the retention periods. Each change is in the
audit log; nobody else reaches the pages."""

import pytest
from django.urls import reverse

from access.models import HRRole
from organisation import current
from organisation.models import OrgSettings
from organisation.rules import HR, INVITE
from organisation.tabs import TABS
from people.models import Person
from trust.models import AuditEntry, TrustSettings

INDEX = reverse("organisation:index")
GENERAL = reverse("organisation:general")
MODULES = reverse("organisation:modules")
PRIVACY = reverse("organisation:privacy")
ALL_ON = {
    "goals": "on",
    "conversations": "on",
    "feedback": "on",
    "reviews": "on",
    "growth": "on",
    "talent": "on",
    "surveys": "on",
    "insights": "on",
}


def test_the_administrator_lands_on_the_organisation_tab(login, cast):
    response = login(cast.frank).get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == GENERAL
    page = login(cast.frank).get(GENERAL)
    tabs = [label for _url, label in page.context["tabs"]]
    assert [str(t) for t in tabs][:2] == ["Organisation", "Modules"]  # then the later parts


def test_hr_lands_on_privacy_and_sees_only_its_tabs(login, cast):
    response = login(cast.erin).get(INDEX)
    assert response["Location"] == PRIVACY
    page = login(cast.erin).get(PRIVACY)
    hr_tabs = [url for url, _label, part in TABS if part in (HR, INVITE)]
    assert [url for url, _label in page.context["tabs"]] == hr_tabs
    assert hr_tabs[0] == "organisation:privacy"


def test_the_navigation_offers_administration_to_those_who_administer(login, cast):
    for who, shown in [("frank", True), ("erin", True), ("alice", False), ("bob", False)]:
        page = login(getattr(cast, who)).get(reverse("home"))
        assert (f'href="{INDEX}"' in page.content.decode()) is shown, who


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_nobody_else_reaches_the_settings(login, cast, who):
    client = login(getattr(cast, who))
    for url in (INDEX, GENERAL, MODULES, PRIVACY):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            GENERAL, {"name": "Mine", "language": "nl", "time_zone": "UTC", "week_start": "0"}
        ).status_code
        == 403
    )
    assert client.post(MODULES, {}).status_code == 403
    assert OrgSettings.objects.get(pk=1).name == ""
    assert OrgSettings.objects.get(pk=1).modules_off == []


def test_hr_is_not_the_administrator_nor_the_reverse(login, cast):
    assert login(cast.erin).get(GENERAL).status_code == 403
    assert login(cast.erin).get(MODULES).status_code == 403
    assert login(cast.frank).get(PRIVACY).status_code == 403


def test_hr_for_one_team_is_not_organisation_wide(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    assert login(cast.erin).get(PRIVACY).status_code == 403


def test_the_administrator_names_the_organisation_and_its_language(login, cast):
    client = login(cast.frank)
    response = client.post(
        GENERAL,
        {"name": "Acme", "language": "nl", "time_zone": "Europe/Amsterdam", "week_start": "0"},
    )
    assert response.status_code == 302
    row = OrgSettings.objects.get(pk=1)
    assert (row.name, row.language, row.time_zone) == ("Acme", "nl", "Europe/Amsterdam")
    entry = AuditEntry.objects.get(action="organisation.settings_changed")
    assert entry.actor_id == cast.frank.pk
    assert entry.changes["name"] == ["", "Acme"]
    assert entry.changes["language"] == ["en", "nl"]


def test_a_bad_time_zone_is_refused_and_nothing_is_saved(login, cast):
    response = login(cast.frank).post(
        GENERAL, {"name": "Acme", "language": "en", "time_zone": "Mars/Olympus", "week_start": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    assert OrgSettings.objects.get(pk=1).name == ""
    assert not AuditEntry.objects.filter(action="organisation.settings_changed").exists()


def test_people_added_later_get_the_organisations_time_zone(login, cast):
    login(cast.frank).post(
        GENERAL, {"name": "", "language": "en", "time_zone": "Asia/Tokyo", "week_start": "0"}
    )
    response = login(cast.erin).post(
        reverse("people:person_create"),
        {"name": "Gina New", "email": "gina@example.com", "team": cast.platform.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(email="gina@example.com").time_zone == "Asia/Tokyo"
    cast.alice.refresh_from_db()
    assert cast.alice.time_zone == "UTC"


def test_the_organisations_language_is_for_those_who_chose_none(login, cast, client):
    login(cast.frank).post(
        GENERAL, {"name": "", "language": "nl", "time_zone": "UTC", "week_start": "0"}
    )
    page = login(cast.alice).get(reverse("home"))
    assert page.headers["Content-Language"] == "nl"
    cast.alice.language = "en"
    cast.alice.save()
    assert login(cast.alice).get(reverse("home")).headers["Content-Language"] == "en"


def test_a_browser_language_cadence_speaks_comes_before_the_organisations(login, cast):
    login(cast.frank).post(
        GENERAL, {"name": "", "language": "nl", "time_zone": "UTC", "week_start": "0"}
    )
    client = login(cast.alice)
    page = client.get(reverse("home"), headers={"accept-language": "en-GB,en;q=0.8"})
    assert page.headers["Content-Language"] == "en"
    page = client.get(reverse("home"), headers={"accept-language": "fr"})
    assert page.headers["Content-Language"] == "nl"


def test_e_mails_go_out_in_the_organisations_language_when_one_chose_none(cast):
    assert cast.alice.effective_language == "en"
    row = current.row()
    row.language = "nl"
    row.save()
    assert cast.alice.effective_language == "nl"


def test_hr_sets_the_retention_periods(login, cast):
    response = login(cast.erin).post(
        PRIVACY, {"access_log_months": "12", "erase_after_months": "36"}
    )
    assert response.status_code == 302
    row = TrustSettings.load()
    assert (row.access_log_months, row.erase_after_months) == (12, 36)
    entry = AuditEntry.objects.get(action="trust.settings_changed")
    assert entry.changes == {"access_log_months": [24, 12], "erase_after_months": [24, 36]}


@pytest.mark.parametrize("months", ["0", "121", "ten", ""])
def test_retention_is_between_one_month_and_ten_years(login, cast, months):
    response = login(cast.erin).post(
        PRIVACY, {"access_log_months": months, "erase_after_months": "24"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["access_log_months"]
    assert TrustSettings.load().access_log_months == 24
