"""The audit log's pages: organisation-wide HR and administrators read every change newest
first, filter it, page through it and download it as CSV; nobody else opens them. Values are
in words, people by name; an administrator sees that employment details changed, not how."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from trust import audit
from trust.models import AuditEntry
from trust.views_audit import PAGE_SIZE

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
CSV = reverse("audit:csv")


@pytest.fixture
def history(cast):
    """Erin moved Alice to Carol and gave her a level; Frank made Dave an administrator."""
    audit.record(
        "person.changed",
        actor=cast.erin,
        subject=cast.alice,
        changes={"manager": [cast.bob.pk, cast.carol.pk], "level": [2, 3]},
    )
    audit.record(
        "account.changed", actor=cast.frank, subject=cast.dave, changes={"is_staff": [False, True]}
    )
    audit.record(
        "feedback.settings_changed", actor=cast.erin, changes={"anonymity_threshold": [3, 5]}
    )


def text(response):
    return " ".join(response.content.decode().split())


def csv_rows(response):
    body = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def test_hr_reads_every_change_newest_first_in_words(login, cast, history):
    response = login(cast.erin).get(LOG)
    assert [row.entry.action for row in response.context["rows"]] == [
        "feedback.settings_changed",
        "account.changed",
        "person.changed",
    ]
    page = text(response)
    assert 'manager</span>: <span class="audit-before">Bob Manager</span> → ' in page
    assert '<span class="audit-after">Carol Leader</span>' in page
    assert 'level</span>: <span class="audit-before">2</span>' in page
    assert 'administrator</span>: <span class="audit-before">no</span>' in page
    assert "Alice Employee" in page and "Erin HR" in page


def test_an_administrator_sees_that_employment_details_changed_not_their_values(
    login, cast, history
):
    page = text(login(cast.frank).get(LOG))
    assert 'level</span>: <span class="audit-before">not shown</span>' in page
    assert '<span class="audit-before">2</span>' not in page
    assert "Carol Leader" in page  # the manager is not an employment detail


def test_hr_with_a_narrower_scope_may_not_open_it(login, cast, history):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    client = login(cast.erin)
    assert client.get(LOG).status_code == 403
    assert client.get(CSV).status_code == 403


@pytest.mark.parametrize(
    "query, actions",
    [
        ({"action": "account.changed"}, ["account.changed"]),
        ({"actor": "erin"}, ["feedback.settings_changed", "person.changed"]),
        ({"subject": "alice"}, ["person.changed"]),
    ],
)
def test_it_filters_by_action_actor_and_subject(login, cast, history, query, actions):
    query = {
        key: getattr(cast, value).pk if key != "action" else value for key, value in query.items()
    }
    response = login(cast.erin).get(LOG, query)
    assert response.status_code == 200
    assert [row.entry.action for row in response.context["rows"]] == actions


def test_it_filters_by_period_in_the_readers_days(login, cast, history):
    old = AuditEntry.objects.get(action="person.changed")
    # Moved to last year in SQL (entries are append-only; verify would see it).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET at = %s WHERE id = %s",  # noqa: S608
            [timezone.now() - dt.timedelta(days=365), old.pk],
        )
    today = timezone.localdate().isoformat()
    client = login(cast.erin)
    recent = client.get(LOG, {"since": today, "until": today}).context["rows"]
    assert [row.entry.action for row in recent] == ["feedback.settings_changed", "account.changed"]
    last_year = (timezone.localdate() - dt.timedelta(days=300)).isoformat()
    assert [row.entry.pk for row in client.get(LOG, {"until": last_year}).context["rows"]] == [
        old.pk
    ]


def test_filters_that_make_no_sense_are_shown_with_their_error(login, cast, history):
    response = login(cast.erin).get(LOG, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    assert "This day is before the first one." in text(response)
    assert login(cast.erin).get(CSV, {"until": "yesterday"}).status_code == 400


def test_it_pages_with_a_cursor_and_refuses_a_forged_one(login, cast):
    made = audit.append(
        [audit.new_entry("person.changed", actor=cast.erin, subject=cast.alice) for _ in range(60)]
    )
    client = login(cast.erin)
    first = client.get(LOG)
    assert [row.entry.pk for row in first.context["rows"]] == [e.pk for e in made[::-1][:PAGE_SIZE]]
    older = first.context["older"]
    second = client.get(LOG, {"cursor": older})
    assert [row.entry.pk for row in second.context["rows"]] == [
        e.pk for e in made[::-1][PAGE_SIZE:]
    ]
    assert second.context["older"] is None
    assert client.get(LOG, {"cursor": "forged"}).status_code == 400


def test_the_page_reads_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    entries = []
    for number in range(PAGE_SIZE + 5):
        entries.append(
            audit.new_entry(
                "team.changed",
                actor=cast.erin,
                target=f"people.team:{cast.platform.pk}",
                changes={"lead": [cast.bob.pk, cast.carol.pk], "parent": [None, number]},
            )
        )
        entries.append(
            audit.new_entry(
                "feedback.cycle_moved", actor=number, target=f"feedback.reviewcycle:{number}"
            )
        )
    audit.append(entries)
    client = login(cast.erin)
    client.get(LOG)
    with django_assert_max_num_queries(9):
        response = client.get(LOG, {"actor": cast.erin.pk, "since": "2020-01-01"})
    assert len(response.context["rows"]) == PAGE_SIZE


def test_the_csv_holds_the_filtered_list_a_row_per_change_with_formulas_neutralised(
    login, cast, history
):
    cast.alice.name = '=HYPERLINK("http://evil")'
    cast.alice.save(update_fields=["name"])
    response = login(cast.erin).get(CSV, {"actor": cast.erin.pk})
    assert response["Content-Disposition"].startswith('attachment; filename="cadence-audit-log-')
    rows = csv_rows(response)
    assert [(row["action"], row["field"]) for row in rows] == [
        ("feedback.settings_changed", "anonymity_threshold"),
        ("person.changed", "manager"),
        ("person.changed", "level"),
    ]
    manager = rows[1]
    assert manager["about"] == '\'=HYPERLINK("http://evil")'
    assert (manager["by"], manager["before"], manager["after"]) == (
        "Erin HR",
        "Bob Manager",
        "Carol Leader",
    )
    assert manager["action_label"] == "Person changed"


def test_the_csv_gives_times_in_the_readers_time_zone(login, cast, history):
    """The rows are written while the response streams, after the request: in the zone of the
    reader all the same, as the page shows them."""
    cast.erin.time_zone = "Asia/Tokyo"
    cast.erin.save(update_fields=["time_zone"])
    rows = csv_rows(login(cast.erin).get(CSV))
    at = AuditEntry.objects.get(action="account.changed").at
    expected = timezone.localtime(at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert {row["when"] for row in rows if row["action"] == "account.changed"} == {
        expected.isoformat(timespec="seconds")
    }


def test_the_csv_reads_a_long_log_in_batches(login, cast, django_assert_max_num_queries):
    audit.append([audit.new_entry("person.changed", actor=cast.erin) for _ in range(1200)])
    client = login(cast.frank)
    with django_assert_max_num_queries(16):
        rows = csv_rows(client.get(CSV))
    assert len(rows) == 1200
    assert len({row["id"] for row in rows}) == 1200


def test_an_erased_persons_entries_say_so(login, cast, history):
    audit.redact(cast.alice.pk, by=cast.erin)
    page = text(login(cast.erin).get(LOG, {"subject": cast.alice.pk}))
    assert "Entries about an erased person blanked" in page
    assert '<span class="audit-field">manager</span>: erased' in page


def test_the_organisation_page_links_to_it_for_its_readers_only(login, cast):
    directory = reverse("people:directory")
    assert LOG in login(cast.erin).get(directory).content.decode()
    assert LOG in login(cast.frank).get(directory).content.decode()
    assert LOG not in login(cast.bob).get(directory).content.decode()


def test_the_django_admin_offers_no_way_to_change_an_entry():
    assert not admin.site.is_registered(AuditEntry)
