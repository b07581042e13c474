"""Insights' core: snapshots computed ahead for every audience scope (idempotently, by the job,
the command and on demand for HR), each audience's page reading only its own scope's, every
chart block with its n, period, definition, freshness, table, CSV and chart data."""

import csv
import io
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cadence.jobs import run_jobs
from insights import charts, compute, queries, scopes
from insights.charts import Column, Computed
from insights.models import Snapshot
from people.models import Person, Team


@pytest.fixture
def example_chart():
    """A chart of the scope's people by the first letter of their name (for the tests)."""

    @charts.chart(
        "example",
        title="People by initial",
        definition="People in the scope, by initial.",
        columns=(Column("initial", "Initial"), Column("people", "People")),
        labels={"people": "People"},
        order=1,
    )
    def example(scope):
        mine = [row.pk for row in scope.rows()]
        people = list(Person.objects.filter(pk__in=mine).values_list("name", flat=True))
        if len(people) < scope.run.min_group:
            return None
        counts = {}
        for name in people:
            counts[name[0]] = counts.get(name[0], 0) + 1
        rows = [{"initial": key, "people": value} for key, value in sorted(counts.items())]
        today = scope.run.today
        return Computed(
            n=len(people),
            period=(today - timedelta(days=30), today),
            rows=rows,
            chart={
                "type": "bar",
                "x": [row["initial"] for row in rows],
                "series": [{"key": "people", "values": [row["people"] for row in rows]}],
            },
        )

    charts.registered()
    yield charts._CHARTS["example"]
    del charts._CHARTS["example"]


def kinds_of(scope):
    return set(Snapshot.objects.filter(scope=scope).values_list("kind", flat=True))


def test_every_scope_is_computed_once_and_again_in_place(filled, example_chart):
    now = timezone.now()
    first = compute.compute(now)
    platform = scopes.team_scope(filled.platform.pk)
    assert {"example", "headcount"} <= kinds_of(scopes.ORG)
    assert {"example", "headcount"} <= kinds_of(platform)
    assert {"example", "headcount"} <= kinds_of(scopes.manager_scope(filled.bob.pk))
    total = Snapshot.objects.count()
    assert total == first.snapshots
    again = compute.compute(now + timedelta(minutes=1))
    assert again.snapshots == first.snapshots
    assert Snapshot.objects.count() == total  # replaced in place, never added
    snapshot = Snapshot.objects.get(kind="example", scope=platform)
    assert snapshot.computed_at == now + timedelta(minutes=1)
    assert snapshot.n == 16  # Bob, Alice and the fourteen, leavers included
    assert snapshot.data["rows"]


def test_a_page_reads_a_snapshot_s_data_again_only_when_computed_again(
    client, login, filled, example_chart
):
    """`queries.snapshots` keeps the data it read per chart and computation time: the next
    visit's query leaves it out (the same object is shown), a new computation is read at once,
    and a page never changes what it was handed."""
    now = timezone.now()
    compute.compute(now)
    chosen = [example_chart]
    [first] = queries.snapshots(scopes.ORG, chosen, {})
    [second] = queries.snapshots(scopes.ORG, chosen, {})
    assert second.data is first.data and first.data["rows"]
    login(filled.erin)
    pages = [client.get(reverse("insights:hr")).content for _ in range(2)]
    assert b"People by initial" in pages[0] and _without_token(pages[0]) == _without_token(pages[1])
    Person.objects.filter(pk=filled.alice.pk).update(name="Zelda Employee")
    compute.compute(now + timedelta(minutes=1))
    [third] = queries.snapshots(scopes.ORG, chosen, {})
    assert third.data is not first.data
    assert "Z" in [row["initial"] for row in third.data["rows"]]
    assert "Z" not in [row["initial"] for row in first.data["rows"]]


def _without_token(page: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_a_scope_that_is_gone_loses_its_snapshots(filled, example_chart):
    compute.compute(timezone.now())
    web = filled.engineering.children.get(name="Web")
    key = scopes.team_scope(web.pk)
    assert kinds_of(key)
    web.delete()
    compute.compute(timezone.now() + timedelta(minutes=1))
    assert not kinds_of(key)


def test_a_small_group_has_no_figures(filled, example_chart):
    compute.compute(timezone.now())
    # Carol manages Bob and the three leads: four people, fewer than five.
    snapshot = Snapshot.objects.get(kind="example", scope=scopes.manager_scope(filled.carol.pk))
    assert snapshot.data == {}
    assert snapshot.n == 0


def test_the_job_computes_when_due_and_not_again(filled):
    now = timezone.now()
    assert any(line.startswith("insights:") for line in run_jobs(now, ["insights"]))
    assert run_jobs(now + timedelta(hours=1), ["insights"]) == []
    later = now + compute.REFRESH
    assert run_jobs(later, ["insights"])[0].startswith("insights:")


def test_the_command_computes_now(filled):
    out = StringIO()
    call_command("compute_insights", "--kind", "headcount", stdout=out)
    assert "snapshots" in out.getvalue()
    assert Snapshot.objects.filter(kind="headcount").exists()


def test_the_headcount_counts_joiners_and_leavers(filled):
    compute.compute(timezone.now())
    snapshot = Snapshot.objects.get(kind="headcount", scope=scopes.team_scope(filled.platform.pk))
    rows = snapshot.data["rows"]
    assert len(rows) == 12
    today = timezone.localdate()
    assert rows[-1]["month"] == today.strftime("%Y-%m")
    # Leavers of the fourteen: numbers 3, 7 and 11, who left 30, 70 and 110 days ago.
    left = sum(row["left"] for row in rows)
    assert left == 3
    assert snapshot.n == 16 - 3


# --- Pages ----------------------------------------------------------------------------------


def block_of(body: str, kind: str) -> str:
    found = re.search(
        rf'<section class="card insights-chart"[^>]*id="chart-{kind}">.*?</section>', body, re.S
    )
    assert found, f"no {kind} block"
    return found.group(0)


@pytest.mark.parametrize(
    ("page", "who", "scope"),
    [
        ("insights:team", "bob", lambda cast: scopes.manager_scope(cast.bob.pk)),
        ("insights:organisation", "bob", lambda cast: scopes.team_scope(cast.platform.pk)),
        ("insights:organisation", "carol", lambda cast: scopes.team_scope(cast.engineering.pk)),
        ("insights:hr", "erin", lambda cast: scopes.ORG),
    ],
)
def test_each_audience_reads_its_own_scope(client, login, filled, example_chart, page, who, scope):
    compute.compute(timezone.now())
    login(getattr(filled, who))
    response = client.get(reverse(page))
    assert response.status_code == 200
    body = response.content.decode()
    expected = Snapshot.objects.get(kind="example", scope=scope(filled))
    block = block_of(body, "example")
    assert "People by initial" in block
    assert "People in the scope, by initial." in block
    assert f"<dd>{expected.n}</dd>" in block
    assert "As of" in block and "Period" in block
    assert '<table class="table stack">' in block
    assert reverse(f"{page}_csv", args=["example"]) in block
    assert 'id="chart-example-data" type="application/json"' in block
    # No inline script: every script is a file or data.
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_a_leader_chooses_a_team_within_their_part_only(client, login, filled, example_chart):
    compute.compute(timezone.now())
    web = filled.engineering.children.get(name="Web")
    login(filled.carol)
    response = client.get(reverse("insights:organisation"), {"team": web.pk})
    assert response.status_code == 200
    assert response.context["insights"].scope == scopes.team_scope(web.pk)
    assert (
        client.get(reverse("insights:organisation"), {"team": filled.sales.pk}).status_code == 404
    )
    login(filled.bob)  # leads Platform only
    assert client.get(reverse("insights:organisation"), {"team": web.pk}).status_code == 404


def test_the_team_filter_offers_the_leader_s_teams_with_the_chosen_one_selected(
    client, login, filled, example_chart
):
    """The options are written in Python (`team_options`): one per team of the leader's part,
    in path order, the chosen one selected, names escaped."""
    compute.compute(timezone.now())
    web = filled.engineering.children.get(name="Web")
    web.name = "Web <&> apps"
    web.save()
    login(filled.carol)
    body = client.get(reverse("insights:organisation"), {"team": web.pk}).content.decode()
    select = body[body.index('<select name="team"') : body.index("</select>")]
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select)
    teams = Team.objects.filter(path__startswith=filled.engineering.path).order_by("path")
    assert [int(pk) for pk, _selected, _name in options] == [team.pk for team in teams]
    assert [pk for pk, selected, _name in options if selected] == [str(web.pk)]
    assert ("Web &lt;&amp;&gt; apps") in [name for _pk, _selected, name in options]


def test_hr_for_a_part_reads_that_part(client, login, filled, example_chart):
    from access.models import HRRole

    HRRole.objects.filter(person=filled.erin).update(scope=filled.engineering)
    compute.compute(timezone.now())
    login(filled.erin)
    response = client.get(reverse("insights:hr"))
    assert response.context["insights"].scope == scopes.team_scope(filled.engineering.pk)
    assert client.get(reverse("insights:hr"), {"team": filled.sales.pk}).status_code == 404


def test_the_csv_holds_the_table(client, login, filled, example_chart):
    compute.compute(timezone.now())
    login(filled.erin)
    response = client.get(reverse("insights:hr_csv", args=["example"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    snapshot = Snapshot.objects.get(kind="example", scope=scopes.ORG)
    assert rows[0] == ["Initial", "People"]
    assert rows[1:] == [[row["initial"], str(row["people"])] for row in snapshot.data["rows"]]
    assert client.get(reverse("insights:hr_csv", args=["nothing"])).status_code == 404


def test_hr_computes_on_demand(client, login, filled, django_capture_on_commit_callbacks):
    login(filled.erin)
    assert "Compute the figures now" in client.get(reverse("insights:hr")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:compute"))
    assert response.status_code == 302
    # The tests' task backend runs it at once, on commit.
    assert Snapshot.objects.filter(scope=scopes.ORG, kind="headcount").exists()


def test_a_chart_not_computed_yet_says_so(client, login, filled):
    login(filled.erin)
    body = client.get(reverse("insights:hr")).content.decode()
    assert "Not computed yet" in block_of(body, "headcount")


def test_an_employee_learns_where_insights_are(client, login, filled):
    login(filled.alice)
    body = client.get(reverse("insights:index")).content.decode()
    assert "Insights are for managers" in body
    assert client.get(reverse("insights:team")).status_code == 403


# --- API ------------------------------------------------------------------------------------


def test_the_api_gives_each_chart_of_the_widest_page(client, login, filled, example_chart):
    compute.compute(timezone.now())
    login(filled.carol)
    found = client.get("/api/v1/insights/charts").json()
    assert found["audience"] == "organisation"
    assert found["scope"] == scopes.team_scope(filled.engineering.pk)
    example = next(c for c in found["charts"] if c["kind"] == "example")
    snapshot = Snapshot.objects.get(kind="example", scope=found["scope"])
    assert example["rows"] == snapshot.data["rows"]
    assert example["n"] == snapshot.n
    assert example["columns"] == [
        {"key": "initial", "label": "Initial"},
        {"key": "people", "label": "People"},
    ]
    assert example["chart"]["series"][0]["label"] == "People"
    team = client.get("/api/v1/insights/charts", {"audience": "team"}).json()
    assert team["scope"] == scopes.manager_scope(filled.carol.pk)
    assert client.get("/api/v1/insights/charts", {"audience": "hr"}).status_code == 403


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "who", "most"),
    [
        # The session, the person; whether they manage anyone, lead a team, are HR; the shell.
        (reverse("insights:index"), "carol", 9),
        # The session, the person, whether they manage anyone; the snapshots; the shell.
        (reverse("insights:team"), "bob", 8),
        # ... the teams they lead; the teams to choose from; the snapshots; the shell.
        (reverse("insights:organisation"), "carol", 9),
        (reverse("insights:hr"), "erin", 9),
        (reverse("insights:hr_csv", args=["headcount"]), "erin", 5),
        ("/api/v1/insights/charts", "erin", 5),
        ("/api/v1/insights/charts?audience=organisation", "carol", 5),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    client, login, filled, django_assert_max_num_queries, url, who, most
):
    compute.compute(timezone.now())
    compute.compute(timezone.now() + timedelta(minutes=1))  # history does not add queries
    login(getattr(filled, who))
    client.get(url)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_hr_asking_again_queues_no_second_computation(
    client, login, filled, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    # The task handler reads TASKS again when the setting changes: a queue that waits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    login(filled.erin)
    for _time in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("insights:compute"), follow=True)
        assert response.status_code == 200
    assert "already waiting to be computed" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path="insights.tasks.compute_now").count() == 1
