"""Settings kept in each process (`cadence.kept`): read once, then no query, until they change
here (at once) or the seconds pass (another process's change)."""

import pytest
from django.urls import reverse

from goals.models import STALE_WEEKS, GoalSettings

pytestmark = pytest.mark.django_db


def test_read_once_then_kept_and_forgotten_when_saved_here(django_assert_num_queries, settings):
    settings.ORGANISATION_SETTINGS_SECONDS = 60
    STALE_WEEKS.forget()
    with django_assert_num_queries(1):
        assert STALE_WEEKS.get() == 3  # no row yet: the default, and no row written
        assert STALE_WEEKS.get() == 3
    assert not GoalSettings.objects.exists()
    GoalSettings.objects.create(pk=1, stale_after_weeks=6)
    with django_assert_num_queries(1):
        assert STALE_WEEKS.get() == 6


def test_another_process_change_is_seen_once_the_seconds_pass(settings):
    settings.ORGANISATION_SETTINGS_SECONDS = 60
    STALE_WEEKS.forget()
    assert STALE_WEEKS.get() == 3
    GoalSettings.objects.bulk_create([GoalSettings(pk=1, stale_after_weeks=8)])  # no signal
    assert STALE_WEEKS.get() == 3
    settings.ORGANISATION_SETTINGS_SECONDS = 0
    assert STALE_WEEKS.get() == 8


def test_the_settings_page_change_reaches_the_goal_lists_at_once(login, cast):
    from goals.tests.test_attention import neglect, open_goal

    neglect(open_goal(cast.alice, "Four weeks quiet"))
    assert "Four weeks quiet" in login(cast.alice).get(reverse("goals:mine")).text
    GoalSettings.objects.create(pk=1, stale_after_weeks=6)
    response = login(cast.alice).get(reverse("goals:mine"))
    assert response.context["attention"]["rows"] == []


def test_a_new_worker_reads_what_it_keeps_before_its_first_request(django_assert_num_queries):
    """`cadence.wsgi.warm_up` reads every kept value (`read_all`): its first pages read none."""
    from cadence.kept import ALL, read_all

    for kept in ALL:
        kept.forget()
    read_all()
    with django_assert_num_queries(0):
        for kept in ALL:
            kept.get()
