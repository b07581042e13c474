"""The 360 anonymity threshold on the Privacy and retention tab: organisation-wide HR who may
manage people changes it there (the feedback settings' own service: audited, 3 to 20); a
cycle whose reviews have opened keeps its own whichever way the organisation's moves."""

import pytest
from django.urls import reverse

from access.models import HRRole
from feedback.models import FeedbackSettings, ReviewCycle
from feedback.tests.factories import add_participant, make_cycle
from organisation import current
from trust.models import AuditEntry, TrustSettings

PRIVACY = reverse("organisation:privacy")


def set_threshold(client, value):
    return client.post(PRIVACY, {"part": "anonymity", "anonymity_threshold": str(value)})


def test_hr_finds_the_threshold_on_the_privacy_tab(login, cast):
    page = login(cast.erin).get(PRIVACY).content.decode()
    assert "Anonymity in 360 reviews" in page
    assert 'name="anonymity_threshold"' in page
    assert 'value="3"' in page


def test_hr_raises_it_and_the_change_is_audited_with_before_and_after(login, cast):
    response = set_threshold(login(cast.erin), 5)
    assert response.status_code == 302
    assert response["Location"] == PRIVACY
    assert FeedbackSettings.load().anonymity_threshold == 5
    entry = AuditEntry.objects.get(action="feedback.settings_changed")
    assert entry.actor_id == cast.erin.pk
    assert entry.changes == {"anonymity_threshold": [3, 5]}
    # The retention periods, the tab's other form, are left alone.
    assert not AuditEntry.objects.filter(action="trust.settings_changed").exists()
    assert TrustSettings.load().access_log_months == 24


@pytest.mark.parametrize("value", ["2", "0", "21", "three", "", "99999999999999999999"])
def test_a_threshold_out_of_bounds_is_shown_again_with_its_error(login, cast, value):
    response = set_threshold(login(cast.erin), value)
    assert response.status_code == 200
    assert response.context["anonymity_form"].errors["anonymity_threshold"]
    assert not response.context["form"].is_bound  # the retention form is not the one posted
    assert "Please correct the errors below." in response.content.decode()
    assert FeedbackSettings.load().anonymity_threshold == 3
    assert not AuditEntry.objects.filter(action="feedback.settings_changed").exists()


def test_the_retention_form_still_saves_on_its_own(login, cast):
    response = login(cast.erin).post(
        PRIVACY, {"access_log_months": "12", "erase_after_months": "36"}
    )
    assert response.status_code == 302
    assert TrustSettings.load().access_log_months == 12
    assert FeedbackSettings.load().anonymity_threshold == 3


def test_a_running_cycle_keeps_its_threshold_when_the_organisations_moves(login, cast):
    running = make_cycle(status="reviewing", anonymity_threshold=4)
    add_participant(running, cast.alice)
    closed = make_cycle(name="Last spring", status="closed", anonymity_threshold=4)
    client = login(cast.erin)
    for value in (6, 3):  # raised, then lowered below the cycles' own
        assert set_threshold(client, value).status_code == 302
        assert FeedbackSettings.load().anonymity_threshold == value
        for cycle in (running, closed):
            cycle.refresh_from_db()
            assert cycle.anonymity_threshold == 4


def test_a_cycle_whose_reviews_open_later_takes_the_raised_threshold(login, cast):
    cycle = make_cycle(status="nominating")
    add_participant(cycle, cast.alice)
    client = login(cast.erin)
    assert set_threshold(client, 5).status_code == 302
    response = client.post(
        reverse("feedback:cycle_advance", args=[cycle.pk]), {"to": "reviewing", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert ReviewCycle.objects.get(pk=cycle.pk).anonymity_threshold == 5


def test_hr_who_may_not_manage_people_sees_it_but_does_not_change_it(login, cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    client = login(cast.erin)
    page = client.get(PRIVACY).content.decode()
    assert 'name="anonymity_threshold"' not in page
    assert "at least 3 people answered" in page
    assert set_threshold(client, 5).status_code == 403
    assert FeedbackSettings.load().anonymity_threshold == 3


@pytest.mark.parametrize("who", ["frank", "alice", "bob"])
def test_nobody_else_changes_it(login, cast, who):
    assert set_threshold(login(getattr(cast, who)), 5).status_code == 403
    assert FeedbackSettings.load().anonymity_threshold == 3


def test_with_360_reviews_off_it_can_be_set_ahead(login, cast):
    row = current.row()
    row.modules_off = ["reviews"]
    row.save()
    client = login(cast.erin)
    assert "360 reviews are switched off" in client.get(PRIVACY).content.decode()
    assert set_threshold(client, 4).status_code == 302
    assert FeedbackSettings.load().anonymity_threshold == 4
