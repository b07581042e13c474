"""Rhythm health's figures are kept in the database per viewer, team and day, shared by every
app process: older than ADHERENCE_CACHE_SECONDS they are still shown while the background
worker counts again (asked once); older than ADHERENCE_STALE_SECONDS, or on a new day, the
page counts itself. Old ones are pruned by `run_jobs`; an erasure removes them all."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conversations.models import RhythmHealthSnapshot
from conversations.tests.factories import held, make_conversation

URL = reverse("conversations:adherence")
KEEP = {"ADHERENCE_CACHE_SECONDS": 300, "ADHERENCE_STALE_SECONDS": 3600}


def age(minutes: int) -> None:
    """Make every kept figure `minutes` old."""
    at = timezone.now() - timedelta(minutes=minutes)
    RhythmHealthSnapshot.objects.update(counted_at=at)


@pytest.fixture
def one_held(cast):
    today = timezone.localdate()
    held(make_conversation(cast.alice, due=today - timedelta(days=40)))


def add_another(cast):
    held(make_conversation(cast.bob, due=timezone.localdate() - timedelta(days=40)))


@override_settings(**KEEP)
def test_the_figures_are_kept_in_the_database_for_the_viewer(login, cast, one_held):
    page = login(cast.erin).get(URL)
    assert page.context["overall"].counted == 1
    kept = RhythmHealthSnapshot.objects.get()
    assert kept.key.startswith(f"{cast.erin.pk}:")
    assert kept.figures["overall"] == [page.context["overall"].on_time, 1]
    # What is kept holds counts and names, never what was said.
    assert set(kept.figures) == {"overall", "teams"}
    add_another(cast)
    again = login(cast.erin).get(URL)
    assert again.context["overall"].counted == 1  # read back, in one query
    assert rows(again) == rows(page)


def rows(page):
    return [(r["team"] and r["team"].pk, r["adherence"]) for r in page.context["team_rows"]]


@override_settings(**KEEP)
def test_older_figures_are_shown_while_the_worker_counts_again_asked_once(
    login, cast, one_held, django_capture_on_commit_callbacks
):
    login(cast.erin).get(URL)
    add_another(cast)
    age(10)
    with django_capture_on_commit_callbacks(execute=True) as asked:
        shown = login(cast.erin).get(URL)
    assert shown.context["overall"].counted == 1  # the older figures, at once
    assert len(asked) == 1  # the recount, run at once by the tests' task backend
    assert RhythmHealthSnapshot.objects.get().figures["overall"][1] == 2
    fresh = login(cast.erin).get(URL)
    assert fresh.context["overall"].counted == 2
    # A second request on old figures while the recount is asked does not ask again.
    age(10)
    RhythmHealthSnapshot.objects.update(refresh_asked_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True) as asked:
        login(cast.erin).get(URL)
    assert asked == []


@override_settings(**KEEP)
def test_figures_older_than_the_stale_limit_are_counted_by_the_page(login, cast, one_held):
    login(cast.erin).get(URL)
    add_another(cast)
    age(61)
    assert login(cast.erin).get(URL).context["overall"].counted == 2


@override_settings(**KEEP)
def test_each_viewer_and_team_has_their_own_figures(login, cast, one_held):
    login(cast.erin).get(URL)
    login(cast.carol).get(URL)
    login(cast.erin).get(URL, {"team": cast.engineering.pk})
    keys = set(RhythmHealthSnapshot.objects.values_list("key", flat=True))
    assert len(keys) == 3


@override_settings(**KEEP)
def test_old_figures_are_pruned_by_the_periodic_jobs(login, cast, one_held):
    login(cast.erin).get(URL)
    login(cast.carol).get(URL)
    RhythmHealthSnapshot.objects.filter(key__startswith=f"{cast.carol.pk}:").update(
        counted_at=timezone.now() - timedelta(days=3)
    )
    call_command("run_jobs", "rhythm-health")
    assert [
        k.split(":")[0] for k in RhythmHealthSnapshot.objects.values_list("key", flat=True)
    ] == [str(cast.erin.pk)]


@override_settings(ADHERENCE_CACHE_SECONDS=0)
def test_without_keeping_nothing_is_stored(login, cast, one_held):
    assert login(cast.erin).get(URL).context["overall"].counted == 1
    assert not RhythmHealthSnapshot.objects.exists()


@override_settings(**KEEP)
def test_the_worker_counts_nothing_once_the_viewer_may_no_longer_see_it(cast, one_held):
    from conversations.tasks import refresh_rhythm_health

    day = cast.alice.local_today().isoformat()
    assert refresh_rhythm_health.call(cast.alice.pk, day, None, True) is False
    assert refresh_rhythm_health.call(cast.erin.pk, "2000-01-01", None, True) is False
    assert not RhythmHealthSnapshot.objects.exists()
    assert refresh_rhythm_health.call(cast.erin.pk, day, None, True) is True
    assert RhythmHealthSnapshot.objects.count() == 1


@override_settings(**KEEP)
def test_the_managers_are_kept_in_chunks_and_a_page_reads_its_slice(
    login, cast, one_held, monkeypatch
):
    from conversations import health

    monkeypatch.setattr(health, "CHUNK", 1)
    add_another(cast)  # Bob's check-in with Carol: two managers with figures
    counted = login(cast.erin).get(URL).context["managers_page"].object_list
    snapshot = RhythmHealthSnapshot.objects.get()
    assert snapshot.managers_count == len(counted) == 2
    assert snapshot.manager_chunks.count() == 2
    kept = health.KeptManagers(snapshot.pk, snapshot.managers_count)
    read_back = login(cast.erin).get(URL).context["managers_page"].object_list
    assert read_back == counted
    assert [row[0] for row in kept[1:2]] == [counted[1]["id"]]
    assert kept[5:9] == [] and len(kept) == 2
