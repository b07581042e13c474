"""The per-group charts against a small hand-built organisation whose figures are known by hand
(`insights.tests.acme`), read as their readers read them: through the page and the CSV.

Every test computes the snapshots as the job does, then reads: HR (Hana) the whole organisation,
Cleo her part (Acme), Max his direct reports. Tiny (three people) is never shown, nor Bea's four
reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights import compute
from insights.tests.acme import (  # noqa: F401 - the fixtures
    acme_fixture,
    development_fixture,
    flow_fixture,
    goals_fixture,
    months_back,
    reviews_fixture,
    rhythm_fixture,
    skills_fixture,
)
from insights.tests.reading import block, csv_rows

pytestmark = pytest.mark.django_db


def by_group(rows, month=None):
    return {row["Group"]: row for row in rows if month is None or row["Month"] == month}


# --- Rhythm -------------------------------------------------------------------------------


def test_rhythm_health_by_team_and_month(client, login, acme, rhythm):
    last, before = rhythm
    login(acme.hana)
    rows = csv_rows(client, "hr", "rhythm")
    groups = by_group(rows, last)
    # Tiny: too few; Acme: the same sixteen people as everyone, not shown twice.
    assert set(groups) == {"Everyone", "Alpha", "Beta"}
    assert groups["Everyone"]["People with a conversation due"] == "7"
    assert groups["Everyone"]["All held in their window"] == "5"
    assert groups["Everyone"]["Share (%)"] == "71"
    alpha = groups["Alpha"]
    assert (alpha["All held in their window"], alpha["Share (%)"]) == ("4", "80")
    assert (groups["Beta"]["People with a conversation due"], groups["Beta"]["Share (%)"]) == (
        "2",
        "50",
    )
    assert by_group(rows, before)["Alpha"]["Share (%)"] == "0"  # a1 skipped it
    assert by_group(rows, acme.today.strftime("%Y-%m"))["Alpha"]["Share (%)"] == ""  # none due
    found = block(client, "hr", "rhythm")
    assert found.snapshot.n == 16
    drawing = found.drawing()
    assert drawing["type"] == "line"
    assert drawing["series"][0]["label"] == "Everyone"
    assert drawing["series"][0]["values"][-2] == 71


def test_rhythm_for_a_manager_is_their_reports(client, login, acme, rhythm):
    last, _before = rhythm
    login(acme.max)
    rows = by_group(csv_rows(client, "team", "rhythm"), last)
    assert set(rows) == {"Your direct reports"}
    assert rows["Your direct reports"]["Share (%)"] == "80"
    assert block(client, "team", "rhythm").snapshot.n == 5
    login(acme.bea)  # four reports: too few
    assert block(client, "team", "rhythm").empty


# --- Goals --------------------------------------------------------------------------------


def test_goals_against_the_ideal_line(client, login, acme, goals):
    login(acme.cleo)
    rows = by_group(csv_rows(client, "organisation", "goals"))
    assert set(rows) == {"Acme", "Alpha", "Beta"}
    alpha = rows["Alpha"]
    assert alpha["Goals"] == "5"
    assert alpha["Mean progress (%)"] == "55"  # (60 + 50 + 45 + 20 + 100) / 5
    assert alpha["Ideal line today (%)"] == "50"  # halfway through every goal's period
    assert alpha["On or near the line (%)"] == "80"  # all but a4
    assert alpha["Stale (%)"] == "20"
    assert alpha["Adjusted (%)"] == "20"
    assert rows["Beta"]["Goals"] == "1" and rows["Beta"]["On or near the line (%)"] == "0"
    assert rows["Acme"]["Goals"] == "6"
    found = block(client, "organisation", "goals")
    assert (found.snapshot.period_start, found.snapshot.period_end) == (
        acme.today - timedelta(days=50),
        acme.today + timedelta(days=50),
    )
    assert found.drawing()["x"] == ["Acme", "Alpha", "Beta"]


def test_goals_by_kind_are_computed_ahead(client, login, acme, goals):
    login(acme.max)
    result = by_group(csv_rows(client, "team", "goals", goals="result"))["Your direct reports"]
    assert result["Goals"] == "4"
    assert result["Mean progress (%)"] == "44"  # (60 + 50 + 45 + 20) / 4
    assert result["On or near the line (%)"] == "75"
    development = by_group(csv_rows(client, "team", "goals", goals="development"))
    assert development["Your direct reports"]["Goals"] == "1"
    assert block(client, "team", "goals", goals="development").variant == "development"


# --- Feedback -----------------------------------------------------------------------------


def test_the_feedback_flow_counts_groups_only(client, login, acme, flow):
    last, this = flow
    login(acme.hana)
    rows = csv_rows(client, "hr", "feedback")
    assert set(by_group(rows)) == {"Everyone", "Alpha", "Beta"}
    counts = ("Praise given", "Constructive given", "Praise received", "Constructive received")

    def of(group, month):
        return tuple(by_group(rows, month)[group][c] for c in counts)

    assert of("Everyone", last) == ("3", "1", "3", "1")
    assert of("Alpha", last) == ("1", "1", "2", "0")
    assert of("Beta", last) == ("1", "0", "1", "1")
    assert of("Alpha", this) == ("1", "0", "1", "0")
    login(acme.max)
    mine = by_group(csv_rows(client, "team", "feedback"), last)
    assert tuple(mine["Your direct reports"][c] for c in counts) == ("1", "1", "2", "0")


# --- Development --------------------------------------------------------------------------


def test_development_plans_actions_and_assessments(client, login, acme, development):
    last, this = development
    login(acme.max)
    rows = csv_rows(client, "team", "development")
    now, before = (
        by_group(rows, this)["Your direct reports"],
        by_group(rows, last)["Your direct reports"],
    )
    assert now["People"] == "5"
    assert now["With an active plan (%)"] == "20"  # a1; a2's ended on the first
    assert before["With an active plan (%)"] == "40"  # a1 and a2 at the end of last month
    assert now["Actions done"] == "1"
    assert now["Assessment up to date (%)"] == "20"  # a1's agreed levels; a2's are too old
    login(acme.cleo)
    alpha = by_group(csv_rows(client, "organisation", "development"), this)["Alpha"]
    assert (alpha["People"], alpha["With an active plan (%)"]) == ("6", "17")


# --- Skills -------------------------------------------------------------------------------


def test_the_skills_summary_adds_up_the_heatmaps_groups(client, login, acme, skills):
    login(acme.cleo)
    rows = {row["Competency"]: row for row in csv_rows(client, "organisation", "skills")}
    assert rows["Python"]["People counted"] == "13"
    assert rows["Python"]["At or above expectation"] == "5"
    assert rows["Python"]["Share (%)"] == "38"
    assert rows["Python"]["Category"] == "Craft"
    assert rows["Care"]["Share (%)"] == "100"
    alpha = csv_rows(client, "organisation", "skills", team=acme.alpha.pk)
    assert [(r["Competency"], r["Share (%)"]) for r in alpha] == [("Python", "60")]
    login(acme.max)  # no role profile expects anything of his reports: nothing counted
    found = block(client, "team", "skills")
    assert found.empty and found.extra == {"team_heatmap": True}


def test_a_managers_skills_are_their_reports_counted_as_the_heatmap_counts(client, login, acme):
    """a1–a5 are software engineers at level 2, whose role profile expects 2 of communication
    and of ownership; Max rates communication 3, 2, 2, 1, 1 and ownership of four of them."""
    from growth import services
    from growth.tests.factories import publish_starter
    from growth.tests.helpers import as_, competency
    from people.models import Role

    engineer = Role.objects.create(name="Software engineer")
    for person in acme.a:
        person.role, person.level = engineer, 2
        person.save()
    publish_starter(roles={"individual-contributor": ["Software engineer"]})
    for person, levels in zip(acme.a, [(3, 2), (2, 2), (2, None), (1, 1), (1, 3)], strict=True):
        assessment = services.start_assessment(as_(acme.max), person.pk)
        for key, level in zip(("communication", "ownership"), levels, strict=True):
            if level is not None:
                target = competency(assessment, key).pk
                services.rate(as_(acme.max), assessment, competency_id=target, level=level)
        services.share(as_(acme.max), assessment)
    compute.compute(timezone.now(), kinds=["skills"])
    login(acme.max)
    rows = {row["Competency"]: row for row in csv_rows(client, "team", "skills")}
    assert set(rows) == {"Communication"}  # ownership: four rated, too few
    assert rows["Communication"]["People counted"] == "5"
    assert rows["Communication"]["At or above expectation"] == "3"
    assert rows["Communication"]["Share (%)"] == "60"
    assert block(client, "team", "skills").extra == {"team_heatmap": True}


# --- 360 participation --------------------------------------------------------------------


def test_360_participation_per_cycle(client, login, acme, reviews):
    login(acme.hana)
    rows = csv_rows(client, "hr", "reviews")
    assert {row["Cycle"] for row in rows} == {"Spring 360"}  # two reviewed in Beta's: too few
    found = by_group(rows)
    assert set(found) == {"Everyone", "Alpha"}  # Acme's reviewed: the same five as everyone
    assert found["Alpha"] == {**found["Everyone"], "Group": "Alpha"}  # and Alpha's too
    everyone = found["Everyone"]
    assert everyone["People reviewed"] == "5"
    assert everyone["Reviewers asked"] == "20"
    assert everyone["Answered (%)"] == "75"  # three of four each: 15 of 20

    assert everyone["Declined (%)"] == "20"
    assert everyone["Reports released (%)"] == "40"
    login(acme.max)
    mine = by_group(csv_rows(client, "team", "reviews"))["Your direct reports"]
    assert mine["Reports released (%)"] == "40"
