"""My data's "Who looked" tab and `GET /api/v1/me/access-log`: one's own entries only, newest
first, with who looked and who they are to one, filtered and paged, in a fixed number of
queries; the API only reads."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from conftest import make_person
from trust import who_looked
from trust.models import AccessLogEntry

pytestmark = pytest.mark.django_db

URL = reverse("trust:access_log")
API = "/api/v1/me/access-log"


def log(viewer, subject, kind="goals.team", *, days=0, item=1, count=1, channel="page"):
    return AccessLogEntry.objects.create(
        at=timezone.now() - timedelta(days=days),
        viewer=viewer,
        subject=subject,
        kind=kind,
        item=item,
        count=count,
        channel=channel,
        path=f"/goals/{item}/",
    )


def shown_entries(response):
    return [row.entry for row in response.context["rows"]]


def test_the_tab_is_on_my_data(login, cast):
    page = login(cast.alice).get(reverse("trust:my_data")).content.decode()
    assert f'href="{URL}"' in page


def test_my_entries_newest_first_with_who_and_their_role(login, cast):
    older = log(cast.bob, cast.alice, days=3)
    newer = log(cast.erin, cast.alice, "people.employment", item=cast.alice.pk)
    log(cast.bob, cast.dave)  # about someone else
    response = login(cast.alice).get(URL)
    assert response.status_code == 200
    assert shown_entries(response) == [newer, older]
    page = response.content.decode()
    assert "Bob Manager, your manager" in page
    assert "Erin HR, HR" in page
    assert "Employment details" in page
    assert "Goals shared with your team and management chain" in page


def test_a_list_says_how_many_items_it_showed(login, cast):
    log(cast.bob, cast.alice, item=None, count=3)
    page = login(cast.alice).get(URL).content.decode()
    assert "(in a list, 3 items)" in page


def test_reading_my_own_log_is_not_logged(login, cast):
    log(cast.bob, cast.alice)
    login(cast.alice).get(URL)
    login(cast.alice).get(API)
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kind": "people.employment"}, ["employment"]),
        ({"who": "erin"}, ["employment"]),
        ({"how": "api"}, ["api"]),
        ({"period": "week"}, ["employment", "api"]),
        ({"kind": "no.such.kind"}, ["employment", "api", "old"]),  # left out, said on the field
    ],
)
def test_filters(login, cast, query, expected):
    entries = {
        "employment": log(cast.erin, cast.alice, "people.employment", item=cast.alice.pk, days=1),
        "api": log(cast.bob, cast.alice, channel="api", days=2),
        "old": log(cast.bob, cast.alice, days=40),
    }
    if query.get("who"):
        query = {"who": getattr(cast, query["who"]).pk}
    response = login(cast.alice).get(URL, query)
    assert response.status_code == 200
    assert shown_entries(response) == [entries[name] for name in expected]


def test_the_people_to_filter_by_are_those_who_looked(login, cast):
    log(cast.bob, cast.alice)
    log(cast.carol, cast.dave)
    form = login(cast.alice).get(URL).context["form"]
    assert [label for _pk, label in form.fields["who"].choices] == ["Anyone", "Bob Manager"]


def test_older_entries_are_a_page_further_and_a_bad_cursor_is_refused(login, cast):
    from trust import views_access_log

    entries = [log(cast.bob, cast.alice, days=n, item=n) for n in range(35)]
    client = login(cast.alice)
    first = client.get(URL, {"how": "page"})
    assert shown_entries(first) == entries[: views_access_log.PAGE_SIZE]
    older = first.context["older"]
    second = client.get(URL, {"how": "page", "cursor": older})
    assert shown_entries(second) == entries[views_access_log.PAGE_SIZE :]
    assert second.context["older"] is None
    assert "Newest" in second.content.decode()
    assert client.get(URL, {"cursor": "forged"}).status_code == 400


def test_the_page_costs_the_same_queries_however_long_the_log(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.alice)
    log(cast.bob, cast.alice)
    client.get(URL)  # the session is warm
    many = [make_person(f"v{n}@example.com", f"Viewer {n}") for n in range(10)]
    for n, viewer in enumerate(many * 5):
        log(viewer, cast.alice, days=n % 20, item=n)
    # Session, person, the people who looked, the page with their HR roles, the navigation's
    # counts (the months entries are kept for: read once per process, `who_looked.LOG_MONTHS`).
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.context["rows"]) == 30


@pytest.mark.parametrize(
    "who, role",
    [
        ("bob", "your manager"),
        ("carol", "in your management chain"),
        ("erin", "HR for the whole organisation"),
        ("dave", "a colleague"),
    ],
)
def test_who_they_are_to_me(cast, who, role):
    log(getattr(cast, who), cast.alice)
    entry = who_looked.entries_about(cast.alice).get()
    assert who_looked.role_of(entry, cast.alice) == role


def test_hr_for_part_of_the_organisation_is_named_with_it_and_a_report_says_so(cast):
    HRRole.objects.create(person=cast.dave, scope=cast.engineering)
    log(cast.dave, cast.bob)
    log(cast.alice, cast.bob)
    log(cast.alice, cast.carol)
    roles = {
        (entry.viewer_id, entry.subject_id): who_looked.role_of(entry, entry.subject)
        for entry in who_looked.entries_about(cast.bob) | who_looked.entries_about(cast.carol)
    }
    assert roles == {
        (cast.dave.pk, cast.bob.pk): "HR for Engineering",
        (cast.alice.pk, cast.bob.pk): "reports to you",
        (cast.alice.pk, cast.carol.pk): "in your team below you",
    }


def test_hr_who_looked_are_named_as_who_can_see_names_them(login, cast):
    HRRole.objects.create(person=cast.dave, scope=cast.engineering)
    log(cast.erin, cast.alice, "people.employment")
    log(cast.dave, cast.alice, "people.employment")
    looked = {
        entry.viewer_id: who_looked.role_of(entry, cast.alice)
        for entry in who_looked.entries_about(cast.alice)
    }
    data = login(cast.alice).get(reverse("trust:my_data")).context["data"]
    employment = next(
        item
        for module in data.modules
        for item in module.kinds
        if item.kind.key == "people.employment"
    )
    can_see = {person.pk: line.label for line in employment.who.lines for person in line.people}
    assert looked == {
        cast.erin.pk: "HR for the whole organisation",
        cast.dave.pk: "HR for Engineering",
    }
    assert looked == {pk: can_see[pk] for pk in looked}
    html = login(cast.alice).get(URL).content.decode()
    assert "HR for the whole organisation" in html and "HR for Engineering" in html


def test_an_entry_whose_viewer_is_gone_still_shows(login, cast):
    entry = log(cast.bob, cast.alice)
    AccessLogEntry.objects.filter(pk=entry.pk).delete()
    AccessLogEntry.objects.create(
        at=entry.at, viewer_id=999_999, subject=cast.alice, kind="goals.team", channel="page"
    )
    response = login(cast.alice).get(URL)
    assert "Someone no longer in Cadence" in response.content.decode()


# --- The API --------------------------------------------------------------------------------------


def test_the_api_lists_my_entries_newest_first(login, cast):
    older = log(cast.bob, cast.alice, days=2)
    newer = log(cast.erin, cast.alice, "people.employment", item=cast.alice.pk, channel="api")
    log(cast.bob, cast.dave)
    body = login(cast.alice).get(API).json()
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["items"][0] == {
        "id": newer.pk,
        "at": body["items"][0]["at"],
        "viewer": {"id": cast.erin.pk, "name": "Erin HR"},
        "viewer_role": "HR for the whole organisation",
        "kind": "people.employment",
        "kind_label": "Employment details",
        "item": cast.alice.pk,
        "count": 1,
        "channel": "api",
        "path": f"/goals/{cast.alice.pk}/",
    }
    assert body["next_cursor"] is None


def test_the_api_filters_and_pages(login, cast):
    entries = [log(cast.bob, cast.alice, days=n, item=n) for n in range(5)]
    log(cast.erin, cast.alice, "people.employment", days=1)
    client = login(cast.alice)
    body = client.get(API, {"viewer": cast.bob.pk, "limit": 3}).json()
    assert [item["id"] for item in body["items"]] == [e.pk for e in entries[:3]]
    body = client.get(API, {"viewer": cast.bob.pk, "limit": 3, "cursor": body["next_cursor"]})
    assert [item["id"] for item in body.json()["items"]] == [e.pk for e in entries[3:]]
    kind = client.get(API, {"kind": "people.employment"}).json()["items"]
    assert [item["kind"] for item in kind] == ["people.employment"]
    since = (timezone.now() - timedelta(days=2, hours=12)).isoformat()
    assert len(client.get(API, {"since": since}).json()["items"]) == 4
    assert client.get(API, {"channel": "nowhere"}).status_code == 422


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_changes_nothing(login, cast, method):
    entry = log(cast.bob, cast.alice)
    response = getattr(login(cast.alice), method)(API, {}, content_type="application/json")
    assert response.status_code == 405
    detail = getattr(login(cast.alice), method)(f"{API}/{entry.pk}")
    assert detail.status_code == 404
    assert AccessLogEntry.objects.get(pk=entry.pk).viewer_id == cast.bob.pk


# --- The log is data about its person too -------------------------------------------------------


def test_the_log_is_a_kind_of_my_data_only_i_see(cast):
    from access import catalogue, rules
    from access.viewer import Viewer

    kind = catalogue.get("trust.access_log")
    entry = log(cast.bob, cast.alice)
    assert catalogue.kinds_of(entry) == [(kind, cast.alice.pk)]
    assert rules.can(Viewer(cast.alice), "view", entry)
    for other in (cast.bob, cast.carol, cast.erin, cast.frank):
        assert not rules.can(Viewer(other), "view", entry)
        assert not rules.visible(Viewer(other), AccessLogEntry).exists()
    assert rules.who_can(entry) == "Only Alice Employee, whose data was looked at"


def test_my_export_holds_who_looked_with_their_names(cast):
    from trust import exporting
    from trust.tests.export_helpers import Archive

    log(cast.bob, cast.alice, item=7)
    log(cast.bob, cast.dave)  # about Dave: not in Alice's export
    archive = Archive(exporting.archive(cast.alice, "en"))
    items = archive.items("trust.access_log")
    assert [(i["viewer_name"], i["kind"], i["item"]) for i in items] == [
        ("Bob Manager", "goals.team", 7)
    ]


def test_the_page_as_it_opens_runs_kept_sql_for_each_person_and_shows_new_entries_at_once(
    login, cast
):
    """The first page and the people to filter by are read with SQL prepared once and run with
    the person's id (`who_looked.kept_first_page`): each person reads their own entries only,
    and an entry written after the SQL was kept shows on the next request."""
    first = log(cast.bob, cast.alice, days=2)
    log(cast.carol, cast.dave, days=1)
    assert shown_entries(login(cast.alice).get(URL)) == [first]
    assert [e.subject_id for e in shown_entries(login(cast.dave).get(URL))] == [cast.dave.pk]
    newer = log(cast.erin, cast.alice)
    alice = login(cast.alice)
    response = alice.get(URL)
    assert shown_entries(response) == [newer, first]
    assert [label for _pk, label in response.context["form"].fields["who"].choices] == [
        "Anyone",
        "Bob Manager",
        "Erin HR",
    ]
    page = response.content.decode()
    assert "Erin HR, HR for the whole organisation" in page and "Carol" not in page
    assert shown_entries(alice.get(URL, {"who": cast.bob.pk})) == [first]


def test_the_months_entries_are_kept_for_show_as_soon_as_they_change(login, cast):
    from trust.models import TrustSettings

    log(cast.bob, cast.alice)
    client = login(cast.alice)
    settings = TrustSettings.load()
    settings.access_log_months = 7
    settings.save()
    assert "entries are kept for 7 months" in client.get(URL).content.decode()
    settings.access_log_months = 1
    settings.save()
    assert "entries are kept for 1 month." in client.get(URL).content.decode()
