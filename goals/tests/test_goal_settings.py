"""The organisation's goal settings: HR who may manage people sets when a goal goes stale."""

import pytest
from django.urls import reverse

from goals.models import GoalSettings

SETTINGS = reverse("goals:settings")


def test_hr_sees_the_settings(login, cast):
    response = login(cast.erin).get(SETTINGS)
    assert response.status_code == 200
    assert response.context["form"]["stale_after_weeks"].value() == 3


def test_hr_changes_when_a_goal_goes_stale(login, cast):
    response = login(cast.erin).post(SETTINGS, {"stale_after_weeks": "6"})
    assert response.status_code == 302
    assert GoalSettings.load().stale_after_weeks == 6


@pytest.mark.parametrize("weeks", ["0", "53", "-1", "two", ""])
def test_weeks_are_between_1_and_52(login, cast, weeks):
    response = login(cast.erin).post(SETTINGS, {"stale_after_weeks": weeks})
    assert response.status_code == 200
    assert GoalSettings.load().stale_after_weeks == 3


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_nobody_else_may_change_them(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, {"stale_after_weeks": "9"}).status_code == 403
    assert GoalSettings.load().stale_after_weeks == 3
