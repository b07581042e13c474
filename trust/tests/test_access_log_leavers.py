"""A leaver's profile is not public: everyone signed in sees a colleague who works here, but
only the leaver themselves and HR in scope see someone who has left (`people.rules`). So HR
opening a leaver's page, their record in the API, or listing them, is in the leaver's access
log, which their My data and their export show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from trust import exporting, who_looked
from trust.models import AccessLogEntry
from trust.tests.export_helpers import Archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(cast):
    return make_person(
        "gina@example.com",
        "Gina Gone",
        team=cast.platform,
        manager=cast.bob,
        leave_date=timezone.localdate() - timedelta(days=30),
    )


def logged(subject):
    return sorted(
        AccessLogEntry.objects.filter(subject=subject).values_list(
            "viewer_id", "kind", "item", "channel"
        )
    )


def test_hr_opening_a_leavers_page_is_recorded(login, cast, leaver):
    response = login(cast.erin).get(reverse("people:person", args=[leaver.pk]))
    assert response.status_code == 200
    assert logged(leaver) == [
        (cast.erin.pk, "people.employment", leaver.pk, "page"),
        (cast.erin.pk, "people.profile", leaver.pk, "page"),
    ]


def test_hr_reading_a_leavers_record_in_the_api_is_recorded(login, cast, leaver):
    response = login(cast.erin).get(f"/api/v1/people/{leaver.pk}")
    assert response.status_code == 200
    assert logged(leaver) == [
        (cast.erin.pk, "people.employment", leaver.pk, "api"),
        (cast.erin.pk, "people.profile", leaver.pk, "api"),
    ]


def test_hr_listing_people_who_left_is_recorded(login, cast, leaver):
    client = login(cast.erin)
    assert client.get(reverse("people:directory"), {"include_left": "on"}).status_code == 200
    assert client.get("/api/v1/people").status_code == 200
    # Their former manager's page lists them among his reports, for HR.
    assert client.get(reverse("people:person", args=[cast.bob.pk])).status_code == 200
    assert [(kind, channel) for _v, kind, _i, channel in logged(leaver)] == [
        ("people.profile", "api"),
        ("people.profile", "page"),
        ("people.profile", "page"),
    ]
    assert not AccessLogEntry.objects.filter(kind="people.profile").exclude(subject=leaver)


def test_each_reading_is_recorded_once(login, cast, leaver):
    client = login(cast.erin)
    url = reverse("people:person", args=[leaver.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    profile = AccessLogEntry.objects.filter(subject=leaver, kind="people.profile")
    assert profile.count() == 2  # one a request, the item once in each


def test_a_current_colleagues_profile_is_still_not_recorded(login, cast, leaver):
    client = login(cast.erin)
    assert client.get(reverse("people:person", args=[cast.dave.pk])).status_code == 200
    assert client.get(reverse("people:directory")).status_code == 200
    assert not AccessLogEntry.objects.filter(kind="people.profile").exists()


def test_the_leaver_sees_it_in_who_looked_and_in_their_export(login, cast, leaver):
    login(cast.erin).get(reverse("people:person", args=[leaver.pk]))
    rows = who_looked.rows_of(list(who_looked.entries_about(leaver)), leaver)
    assert {(row.entry.kind, row.entry.viewer_id) for row in rows} == {
        ("people.profile", cast.erin.pk),
        ("people.employment", cast.erin.pk),
    }
    assert "people.profile" in {kind.key for kind in who_looked.logged_kinds()}
    items = Archive(exporting.archive(leaver, "en")).items("trust.access_log")
    assert {(item["viewer_name"], item["kind"]) for item in items} == {
        ("Erin HR", "people.profile"),
        ("Erin HR", "people.employment"),
    }


def test_reviewing_someone_who_has_left_leaves_nothing_in_their_log(login, cast, leaver):
    """Their profile is no longer public, but a reviewer's pages must still not tell them who
    reviews them (`access.reads`): a 360 of theirs that goes on after they left."""
    from feedback.tests.factories import add_participant, invite, make_review_cycle

    participant = add_participant(make_review_cycle(), leaver)
    invitation = invite(participant, cast.dave)
    rated, comment = participant.cycle.questions.order_by("position")
    client = login(cast.dave)
    for url in (reverse("feedback:answer", args=[invitation.pk]), reverse("home")):
        assert client.get(url).status_code == 200
    answers = {"action": "answer", f"q{rated.pk}": "4", f"q{comment.pk}": "Calm in a crisis."}
    response = client.post(reverse("feedback:answer", args=[invitation.pk]), answers)
    assert response.status_code == 302
    assert logged(leaver) == []
