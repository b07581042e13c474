"""The administrator's first-run guide: Home sends a freshly claimed installation's
administrator to it until they finish; each step saves through the settings' own services, can
be skipped and opened again; finishing marks the organisation as set up, and the guide is then
gone."""

import pytest
from django.urls import reverse

from cadence.tests.matrix import CAST, ROLES
from firstrun.models import FirstRun
from firstrun.tests.fresh import claimed
from organisation import current
from organisation.models import OrgSettings
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


def step(key):
    return reverse("setup:step", args=[key])


FINISH = reverse("setup:finish")
HOME = reverse("home")


@pytest.fixture
def fresh(client):
    return claimed(client)


def test_home_sends_a_fresh_administrator_to_the_first_step_not_done(fresh):
    assert fresh.client.get(HOME)["Location"] == step("organisation")
    OrgSettings.objects.filter(pk=1).update(name="Acme")
    assert fresh.client.get(HOME)["Location"] == step("hr")


def test_the_first_step_names_the_organisation_its_language_and_time_zone(fresh):
    response = fresh.client.post(
        step("organisation"),
        {"name": "Acme", "language": "nl", "time_zone": "Europe/Amsterdam", "week_start": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == step("hr")
    row = OrgSettings.objects.get(pk=1)
    assert (row.name, row.language, row.time_zone) == ("Acme", "nl", "Europe/Amsterdam")
    entry = AuditEntry.objects.get(action="organisation.settings_changed")
    assert entry.actor_id == fresh.admin.pk


def test_a_step_with_errors_is_shown_again(fresh):
    response = fresh.client.post(
        step("organisation"),
        {"name": "Acme", "language": "nl", "time_zone": "Mars/Olympus", "week_start": "0"},
    )
    assert response.status_code == 400
    assert OrgSettings.objects.get(pk=1).name == ""


def test_every_step_shows_the_progress_and_can_be_skipped_and_opened_again(fresh):
    page = fresh.client.get(step("organisation")).text
    assert "0 of 7 steps done" in page
    assert f'href="{step("hr")}">Skip for now' in page
    fresh.client.post(
        step("organisation"),
        {"name": "Acme", "language": "en", "time_zone": "UTC", "week_start": "0"},
    )
    page = fresh.client.get(step("people")).text
    assert "1 of 7 steps done" in page
    assert f'href="{step("modules")}">Next' in page
    assert "This is HR’s step" in page
    again = fresh.client.get(step("organisation"))
    assert again.status_code == 200
    assert 'value="Acme"' in again.text


def test_the_modules_step_switches_modules_and_counts_as_chosen(fresh):
    response = fresh.client.post(
        step("modules"),
        {"goals": "on", "conversations": "on", "growth": "on", "talent": "on", "surveys": "on"},
    )
    assert response["Location"] == step("pilot")
    assert current.row().modules_off == ["feedback", "insights", "reviews"]
    assert FirstRun.objects.get(pk=1).confirmed == ["modules"]


def test_keeping_every_module_on_counts_as_chosen_too(fresh):
    every = {
        "goals": "on",
        "conversations": "on",
        "feedback": "on",
        "reviews": "on",
        "growth": "on",
        "talent": "on",
        "surveys": "on",
        "insights": "on",
    }
    fresh.client.post(step("modules"), every)
    assert current.row().modules_off == []
    assert "1 of 7 steps done" in fresh.client.get(step("pilot")).text


def test_the_rhythm_step_is_left_out_while_conversations_are_off(fresh):
    fresh.client.post(step("modules"), {"goals": "on"})
    assert fresh.client.get(step("rhythm")).status_code == 404
    assert "of 6 steps done" in fresh.client.get(step("invitations")).text
    assert fresh.client.get(step("nonsense")).status_code == 404


def test_finishing_sets_the_organisation_up_and_the_guide_is_gone(fresh):
    assert "Nobody has HR for the whole organisation yet" in fresh.client.get(FINISH).text
    response = fresh.client.post(FINISH)
    assert response["Location"] == HOME
    assert OrgSettings.objects.get(pk=1).set_up_at is not None
    assert AuditEntry.objects.get(action="organisation.set_up").actor_id == fresh.admin.pk
    home = fresh.client.get(HOME)
    assert home.status_code == 200
    assert "Getting started" in home.text
    assert fresh.client.get(step("organisation"))["Location"] == HOME
    assert fresh.client.get(FINISH)["Location"] == HOME


def test_an_installation_never_claimed_with_a_code_sends_nobody_to_the_guide(login, cast):
    home = login(cast.frank).get(HOME)
    assert home.status_code == 200
    assert "Getting started" not in home.text


@pytest.mark.parametrize("role", ROLES)
def test_once_set_up_the_setup_pages_are_gone_or_send_home(client, cast, role):
    row = current.row()
    from django.utils import timezone

    row.set_up_at = timezone.now()
    row.save()
    if role != "anonymous":
        client.force_login(getattr(cast, CAST[role]))
    assert client.get(reverse("setup:claim")).status_code == 404
    for url in (step("organisation"), step("hr"), FINISH):
        response = client.get(url)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))
        elif role == "admin":
            assert response["Location"] == HOME
        else:
            assert response.status_code == 403
    assert OrgSettings.objects.get(pk=1).name == ""


def switches(page: str) -> str:
    start = page.index('<ul class="switches">')
    return page[start : page.index("</ul>", start) + len("</ul>")]


def test_the_modules_step_shows_the_switches_of_the_modules_tab(fresh):
    assert fresh.client.post(step("modules"), {"goals": "on", "feedback": "on"}).status_code == 302
    in_the_guide = switches(fresh.client.get(step("modules")).text)
    on_the_tab = switches(fresh.client.get(reverse("organisation:modules")).text)
    assert in_the_guide == on_the_tab
    assert 'id="id_goals" checked>' in in_the_guide
    assert 'id="id_conversations">' in in_the_guide
    assert 'class="within"' in in_the_guide  # 360 reviews, within Feedback
    assert "Off whenever Feedback is off." in in_the_guide
