"""Recording the access log: what a request showed of someone else's personal data is written
once, at its end, in one insert; nothing for one's own data, public data, or a response that
showed nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import reads
from access.rules import read, shown
from access.viewer import Viewer
from goals.tests.factories import make_goal
from trust import access_log
from trust.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def entries():
    return list(
        AccessLogEntry.objects.order_by("pk").values_list(
            "viewer_id", "subject_id", "kind", "item", "count", "channel", "path"
        )
    )


def inserts(queries):
    table = AccessLogEntry._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith("INSERT") and table in q["sql"]]


def test_a_manager_opening_a_goal_shared_with_the_chain_is_recorded(client, cast):
    goal = make_goal(cast.alice, visibility="team")
    client.force_login(cast.bob)
    url = reverse("goals:goal", args=[goal.pk])
    assert client.get(url).status_code == 200
    assert entries() == [(cast.bob.pk, cast.alice.pk, "goals.team", goal.pk, 1, "page", url)]


def test_the_api_is_recorded_as_the_api(client, cast):
    goal = make_goal(cast.alice, visibility="private")
    client.force_login(cast.bob)
    url = f"/api/v1/goals/{goal.pk}"
    assert client.get(url).status_code == 200
    assert entries() == [(cast.bob.pk, cast.alice.pk, "goals.private", goal.pk, 1, "api", url)]


def test_hr_opening_a_persons_employment_details_is_recorded(client, cast):
    client.force_login(cast.erin)
    assert client.get(reverse("people:person", args=[cast.alice.pk])).status_code == 200
    assert [(e[1], e[2], e[3]) for e in entries()] == [
        (cast.alice.pk, "people.employment", cast.alice.pk)
    ]


def test_a_profile_everyone_sees_is_not_recorded(client, cast):
    client.force_login(cast.dave)  # sees Alice's profile, not her employment details
    assert client.get(reverse("people:person", args=[cast.alice.pk])).status_code == 200
    assert entries() == []


def test_ones_own_data_is_not_recorded(client, cast):
    goal = make_goal(cast.alice, visibility="private")
    client.force_login(cast.alice)
    assert client.get(reverse("goals:goal", args=[goal.pk])).status_code == 200
    assert client.get(reverse("people:person", args=[cast.alice.pk])).status_code == 200
    assert entries() == []


def test_a_public_goal_is_not_recorded(client, cast):
    goal = make_goal(cast.alice, visibility="public")
    client.force_login(cast.dave)
    assert client.get(reverse("goals:goal", args=[goal.pk])).status_code == 200
    assert entries() == []


def test_a_request_that_records_nothing_writes_nothing(client, cast):
    goal = make_goal(cast.alice, visibility="public")
    client.force_login(cast.bob)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("goals:goal", args=[goal.pk]))
    assert inserts(queries.captured_queries) == []


def test_what_a_request_showed_is_written_in_one_insert(cast, rf):
    goals = [make_goal(cast.alice, visibility="team", title=f"Goal {n}") for n in range(3)]
    viewer = Viewer(cast.bob)
    with CaptureQueriesContext(connection) as queries, access_log.recorded("page", "/x/"):
        for goal in goals:
            read(viewer, goal)
        read(viewer, cast.alice, "view_employment")
    assert len(inserts(queries.captured_queries)) == 1
    assert len(queries.captured_queries) == 1
    assert AccessLogEntry.objects.count() == 4


def test_each_item_is_recorded_once_per_request(cast):
    goal = make_goal(cast.alice, visibility="team")
    viewer = Viewer(cast.bob)
    with access_log.recorded("page", "/x/"):
        read(viewer, goal)
        read(viewer, goal)
    assert [(e[2], e[3]) for e in entries()] == [("goals.team", goal.pk)]


def test_a_list_is_one_entry_per_person_and_kind_with_its_count(cast):
    team = [make_goal(cast.alice, visibility="team", title=f"Goal {n}") for n in range(3)]
    private = make_goal(cast.alice, visibility="private")
    public = make_goal(cast.alice, visibility="public")
    viewer = Viewer(cast.bob)
    with access_log.recorded("page", "/goals/team/"):
        shown(viewer, [*team, private, public])
        shown(viewer, team[:1])  # shown twice, counted once
    assert sorted((e[2], e[3], e[4]) for e in entries()) == [
        ("goals.private", None, 1),
        ("goals.team", None, 3),
    ]


def test_feedback_read_by_its_receiver_is_not_the_givers_log(cast):
    from feedback.tests.factories import give

    feedback = give(cast.dave, cast.alice, kind="constructive")
    with access_log.recorded("page", "/x/"):
        read(Viewer(cast.alice), feedback)
    assert entries() == []


def test_the_kinds_of_another_action_are_recorded_only_for_that_action(cast):
    viewer = Viewer(cast.bob)
    with access_log.recorded("page", "/x/"):
        read(viewer, cast.alice)  # the profile: public
    assert entries() == []
    with access_log.recorded("page", "/x/"):
        read(viewer, cast.alice, "view_employment")
    assert [(e[2], e[3]) for e in entries()] == [("people.employment", cast.alice.pk)]


def test_outside_a_request_or_task_nothing_is_recorded(cast):
    read(Viewer(cast.bob), make_goal(cast.alice, visibility="team"))
    assert entries() == []


def test_an_export_records_as_an_export(cast):
    goal = make_goal(cast.alice, visibility="team")
    with access_log.recorded(reads.EXPORT, "export"):
        read(Viewer(cast.bob), goal)
    assert [(e[2], e[5], e[6]) for e in entries()] == [("goals.team", "export", "export")]


@pytest.mark.parametrize("status", [302, 400, 401, 403, 404, 422, 500])
def test_a_response_that_showed_nothing_records_nothing(cast, rf, status):
    from django.http import HttpResponse

    goal = make_goal(cast.alice, visibility="team")

    def view(request):
        read(Viewer(cast.bob), goal)
        return HttpResponse(status=status)

    access_log.AccessLogMiddleware(view)(rf.post("/goals/1/update/"))
    assert entries() == []


@pytest.mark.parametrize("status", [200, 201])
def test_a_success_records(cast, rf, status):
    from django.http import HttpResponse

    goal = make_goal(cast.alice, visibility="team")

    def view(request):
        read(Viewer(cast.bob), goal)
        return HttpResponse(status=status)

    access_log.AccessLogMiddleware(view)(rf.post("/api/v1/goals/1/updates"))
    assert [(e[2], e[5]) for e in entries()] == [("goals.team", "api")]


def test_the_import_preview_records_the_employment_details_it_shows(login, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [
        "email,name,job_title,level,team,manager_email",
        "alice@example.com,Alice Employee,Software engineer,3,Platform,bob@example.com",
        "dave@example.com,Dave Peer,Sales lead,,Sales,",  # the job title: not employment
        "new@example.com,New Person,Designer,1,Sales,dave@example.com",
    ]
    upload = SimpleUploadedFile("people.csv", "\n".join(rows).encode(), "text/csv")
    response = login(cast.erin).post(reverse("people:import"), {"file": upload})
    assert response.status_code == 200
    assert "2 → 3" in response.text
    assert [(e[1], e[2], e[3], e[4]) for e in entries()] == [
        (cast.alice.pk, "people.employment", None, 1)
    ]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_log_is_one_statement_too(client, monkeypatch):
    """As in production (autocommit, no test transaction around the request): the insert is
    one statement, not a transaction around it (whose BEGIN is a statement on SQLite)."""
    from conftest import build_cast

    cast = build_cast()
    goal = make_goal(cast.alice, visibility="team")
    client.force_login(cast.bob)
    url = reverse("goals:goal", args=[goal.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    logged = count()
    monkeypatch.setattr(reads, "note_read", lambda *args, **kwargs: None)
    monkeypatch.setattr(reads, "note_shown", lambda *args, **kwargs: None)
    assert logged == count() + 1
    assert AccessLogEntry.objects.filter(item=goal.pk).count() == 2
