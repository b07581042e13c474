"""The per-group charts against a small hand-built organisation whose figures are known by hand
(`insights.tests.acme`), read as their readers read them: through the page and the CSV.

Every test computes the snapshots as the job does, then reads: HR (Hana) the whole organisation,
Cleo her part (Acme), Max his direct reports. Tiny (three people) is never shown, nor Bea's four
reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Status
from growth.models import Competency, FrameworkVersion
from insights import compute
from insights.grouping import month_end_before
from insights.tests.acme import (  # noqa: F401 - the fixtures
    acme_fixture,
    check_in,
    development_fixture,
    flow_fixture,
    goals_fixture,
    months_back,
    reviews_fixture,
    rhythm_fixture,
    skills_fixture,
)
from insights.tests.reading import block, csv_rows
from talent.models import SkillCell, SkillGroup, SkillRun

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
    assert groups["Everyone"]["People with a conversation due"] == "10"
    assert groups["Everyone"]["All held in their window"] == "7"
    assert groups["Everyone"]["Share (%)"] == "70"
    alpha = groups["Alpha"]
    assert (alpha["All held in their window"], alpha["Share (%)"]) == ("4", "80")
    assert (groups["Beta"]["People with a conversation due"], groups["Beta"]["Share (%)"]) == (
        "5",
        "60",
    )
    # a1 alone had one due: nobody's figure is shown for fewer than five people.
    assert by_group(rows, before)["Alpha"]["People with a conversation due"] == ""
    assert by_group(rows, before)["Everyone"]["Share (%)"] == ""
    # This month is not shown until it has ended: counted from today's teams, one person
    # moving would change two teams' figures by their own.
    assert rows[-1]["Month"] == last
    found = block(client, "hr", "rhythm")
    assert found.snapshot.n == 16
    drawing = found.drawing()
    assert drawing["type"] == "line"
    assert drawing["series"][0]["label"] == "Everyone"
    assert drawing["series"][0]["values"][-1] == 70


def test_rhythm_for_a_manager_is_their_reports(client, login, acme, rhythm):
    last, _before = rhythm
    login(acme.max)
    rows = by_group(csv_rows(client, "team", "rhythm"), last)
    assert set(rows) == {"Your direct reports"}
    assert rows["Your direct reports"]["Share (%)"] == "80"
    assert block(client, "team", "rhythm").snapshot.n == 5
    login(acme.bea)  # four reports: too few
    assert block(client, "team", "rhythm").empty


def test_a_month_is_shown_only_for_groups_of_enough_people_due(client, login, acme):
    """Last month, a1–a5 and b1–b2 had a check-in due: Beta's two are too few, and Alpha's
    five would leave Beta's two as everyone's minus Alpha's: only everyone's is shown."""

    last = months_back(acme.today, 1).replace(day=15)
    for person in acme.a:
        check_in(person, acme.max, last)
    check_in(acme.b[0], acme.bea, last)
    check_in(acme.b[1], acme.bea, last, status=Status.SKIPPED)
    compute.compute(timezone.now(), kinds=["rhythm"])
    login(acme.hana)
    groups = by_group(csv_rows(client, "hr", "rhythm"), last.strftime("%Y-%m"))
    assert groups["Everyone"]["People with a conversation due"] == "7"
    for team in ("Alpha", "Beta"):
        assert groups[team]["People with a conversation due"] == ""
        assert groups[team]["All held in their window"] == ""


# --- Goals --------------------------------------------------------------------------------


def test_goals_against_the_ideal_line(client, login, acme, goals):
    login(acme.cleo)
    rows = by_group(csv_rows(client, "organisation", "goals"))
    assert set(rows) == {"Acme", "Alpha", "Beta"}
    alpha = rows["Alpha"]
    assert alpha["Goals"] == "5"
    assert alpha["Mean progress (%)"] == "55"  # (60 + 50 + 45 + 20 + 100) / 5
    assert alpha["Ideal line (%)"] == "50"  # halfway through every goal's period then
    assert alpha["On or near the line (%)"] == "80"  # all but a4
    assert alpha["Stale (%)"] == "20"
    assert alpha["Adjusted (%)"] == "20"
    assert rows["Beta"]["Goals"] == "5" and rows["Beta"]["On or near the line (%)"] == "80"
    assert rows["Acme"]["Goals"] == "10"
    found = block(client, "organisation", "goals")
    reference = month_end_before(acme.today)
    assert (found.snapshot.period_start, found.snapshot.period_end) == (
        reference - timedelta(days=50),
        reference + timedelta(days=50),
    )
    assert found.extra["reference"] == reference.isoformat()
    assert found.drawing()["x"] == ["Acme", "Alpha", "Beta"]


def test_goals_by_kind_stand_for_enough_people(client, login, acme, goals):
    """Of Max's reports, four have result goals and one (a5) a learning goal: too few for
    either kind's figures; with Beta's five, everyone's result goals are shown, but neither
    team's (everyone's minus Beta's would be Alpha's four)."""
    login(acme.max)
    assert by_group(csv_rows(client, "team", "goals"))["Your direct reports"]["Goals"] == "5"
    assert block(client, "team", "goals", goals="result").empty
    development = block(client, "team", "goals", goals="development")
    assert development.variant == "development" and development.empty
    login(acme.hana)
    result = by_group(csv_rows(client, "hr", "goals", goals="result"))
    assert set(result) == {"Everyone"}
    assert result["Everyone"]["Goals"] == "9"
    assert by_group(csv_rows(client, "hr", "goals", goals="development")) == {}


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
    assert this not in {row["Month"] for row in rows}  # a1's praise this month: not yet
    login(acme.max)
    mine = by_group(csv_rows(client, "team", "feedback"), last)
    assert tuple(mine["Your direct reports"][c] for c in counts) == ("1", "1", "2", "0")


# --- Development --------------------------------------------------------------------------


def test_development_plans_actions_and_assessments(client, login, acme, development):
    before, last = development
    login(acme.max)
    rows = csv_rows(client, "team", "development")
    then, earlier = (
        by_group(rows, last)["Your direct reports"],
        by_group(rows, before)["Your direct reports"],
    )
    assert then["People"] == "5"
    assert then["With an active plan (%)"] == "20"  # a1; a2's ended on last month's first
    assert earlier["With an active plan (%)"] == "40"  # a1 and a2 at the end of that month
    assert then["Actions done"] == "1"
    assert then["Assessment up to date (%)"] == "20"  # a1's agreed levels; a2's are too old
    assert rows[-1]["Month"] == last  # this month: not until it has ended
    login(acme.cleo)
    alpha = by_group(csv_rows(client, "organisation", "development"), last)["Alpha"]
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


# --- No figure stands for fewer than the smallest group -----------------------------------


def test_a_month_when_fewer_had_started_shows_no_development_figures(client, login, acme):
    """Max and a1, a2 had started ten months ago, the rest of Alpha last month: Alpha's
    development figures of then would be three people's."""
    for person in acme.a[2:]:
        person.start_date = months_back(acme.today, 1)
        person.save()
    for person in acme.a[:2]:
        person.start_date = months_back(acme.today, 11)
        person.save()
    compute.compute(timezone.now(), kinds=["development"])
    login(acme.hana)
    rows = csv_rows(client, "hr", "development")
    then = by_group(rows, months_back(acme.today, 10).strftime("%Y-%m"))
    assert then["Alpha"]["People"] == "" and then["Alpha"]["With an active plan (%)"] == ""
    last = by_group(rows, months_back(acme.today, 1).strftime("%Y-%m"))
    assert last["Alpha"]["People"] == "6"


def test_the_skills_summary_keeps_to_insights_smallest_group(client, login, acme):
    """Talent kept a cell of four (its own smallest group is 3): Insights adds up only cells of
    at least its own, five."""
    now = timezone.now()
    version = FrameworkVersion.objects.get_or_create(number=1, defaults={"published_at": now})[0]
    Competency.objects.create(version=version, key="python", name="Python", category="craft")
    run = SkillRun.objects.create(computed_at=now, version=version, min_group=3)
    alpha = SkillGroup.objects.create(run=run, team=acme.alpha, people=6)
    SkillCell.objects.create(group=alpha, competency_key="python", n=4, at_or_above=1)
    rest = SkillGroup.objects.create(run=run, team=acme.acme, smaller_teams=2, people=10)
    SkillCell.objects.create(group=rest, competency_key="python", n=8, at_or_above=2)
    compute.compute(now, kinds=["skills"])
    login(acme.cleo)
    rows = {row["Competency"]: row for row in csv_rows(client, "organisation", "skills")}
    assert rows["Python"]["People counted"] == "8"
    assert rows["Python"]["At or above expectation"] == "2"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Amsterdam", "Pacific/Kiritimati", "Pacific/Niue"])
def test_the_feedback_flow_counts_each_moment_in_the_month_of_its_day_here(acme, zone):
    """The flow reads each piece of feedback's day and month in the current time zone, as
    `created_at__date` and `TruncMonth` do in SQL: moments either side of every month's
    boundaries (and of the months shown), in zones far ahead of and behind UTC, counted as the
    database counts them."""
    from datetime import UTC, datetime

    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from feedback.models import Feedback
    from feedback.models import Kind as FeedbackKind
    from insights import grouping, scopes
    from insights.kinds import feedback

    a1, b1 = acme.a[0], acme.b[0]
    kinds = [FeedbackKind.PRAISE, FeedbackKind.CONSTRUCTIVE]
    made = 0
    for back in range(14):
        first = months_back(acme.today, back)
        for hours in (-15, -13, -11, -1, 0, 1, 11, 13, 15):
            moment = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
            Feedback.objects.create(
                giver=a1 if made % 3 else b1,
                receiver=b1 if made % 3 else a1,
                kind=kinds[made % 2],
                text="Thanks",
                created_at=moment + timedelta(hours=hours),
            )
            made += 1
    with timezone.override(zone):
        run = scopes.Run(timezone.now(), 5)
        found = feedback._load(run)
        months = grouping.ended_months(run.today)
        expected: dict = {}
        rows = (
            Feedback.objects.filter(
                created_at__date__gte=months[0][0], created_at__date__lte=months[-1][1]
            )
            .annotate(month=TruncMonth("created_at"))
            .order_by()
        )
        for side, field in ((0, "giver_id"), (2, "receiver_id")):
            for row in rows.values(field, "month", "kind").annotate(n=Count("pk")):
                people = expected.setdefault(grouping.month_of(row["month"]), {})
                counts = people.setdefault(row[field], [0] * 4)
                counts[side + (row["kind"] == feedback.CONSTRUCTIVE)] += row["n"]
    assert found == expected
    assert len(found) == 12
