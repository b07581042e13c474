"""A month's per-group figures do not change once the month has ended: counted again from
today's teams, comparing a past month's figures seen on two days would tell what someone who
left or moved in between did in that month (`insights.monthly`)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from conversations.models import Status
from feedback.models import (
    CycleStatus,
    Feedback,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
)
from feedback.models import Kind as FeedbackKind
from insights import compute
from insights.grouping import month_end_before
from insights.models import ClosedMonth
from insights.tests.acme import (  # noqa: F401 - the fixtures
    acme_fixture,
    at,
    check_in,
    goals_fixture,
    months_back,
    reviews_fixture,
)
from insights.tests.reading import block, html_of
from plans.models import Plan, PlanActivePeriod

pytestmark = pytest.mark.django_db

KINDS = ["rhythm", "development", "feedback"]


@pytest.fixture(name="history")
def history_fixture(acme):
    """Last month: Alpha's a1…a5 and Beta's five had a check-in due, held but for a1's; a1
    alone had an active plan and gave praise to b1."""
    last = months_back(acme.today, 1).replace(day=15)
    for person in [*acme.a, *acme.b, acme.bea]:
        manager = acme.max if person in acme.a else acme.cleo if person == acme.bea else acme.bea
        status = Status.SKIPPED if person == acme.a[0] else Status.HELD
        check_in(person, manager, last, status=status)
    plan = Plan.objects.create(person=acme.a[0])
    PlanActivePeriod.objects.create(
        plan=plan, start=last - timedelta(days=40), end=last + timedelta(days=5)
    )
    Feedback.objects.create(
        giver=acme.a[0],
        receiver=acme.b[0],
        kind=FeedbackKind.PRAISE,
        text="Thanks",
        created_at=at(last),
    )
    return last.strftime("%Y-%m")


def month_figures(client, month):
    """Every chart's rows for `month`, as HR for everyone reads them through the API."""
    charts = client.get("/api/v1/insights/charts", {"audience": "hr"}).json()["charts"]
    return {
        chart["kind"]: [row for row in chart["rows"] if row["month"] == month]
        for chart in charts
        if chart["kind"] in KINDS
    }


def move_out(acme):
    acme.a[0].team, acme.a[0].manager = acme.beta, acme.bea
    acme.a[0].save()


def leave(acme):
    acme.a[0].leave_date = acme.today - timedelta(days=1)
    acme.a[0].save()


@pytest.mark.parametrize("change", [move_out, leave])
def test_a_past_months_figures_do_not_follow_who_moved_or_left(
    client, login, acme, history, change
):
    compute.compute(timezone.now(), kinds=KINDS)
    login(acme.hana)
    before = month_figures(client, history)
    alpha = next(row for row in before["rhythm"] if row["group"] == "Alpha")
    assert (alpha["due"], alpha["held"]) == (5, 4)  # a1 skipped hers
    change(acme)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=KINDS)
    assert month_figures(client, history) == before


def all_figures(client):
    """Every month's rows of the per-group charts, as HR for everyone reads them."""
    charts = client.get("/api/v1/insights/charts", {"audience": "hr"}).json()["charts"]
    return {chart["kind"]: chart["rows"] for chart in charts if chart["kind"] in KINDS}


def test_the_current_month_is_not_shown_so_a_move_changes_no_figure(client, login, acme, history):
    """This month, everyone in Alpha and Beta had a check-in, and a1 gave praise and has a
    plan: counted from today's teams, a1 moving to Beta would change both teams' figures of
    this month by a1's own."""
    for person in acme.a:
        check_in(person, acme.max, acme.today, status=Status.SKIPPED)
    for person in acme.b:
        check_in(person, acme.bea, acme.today)
    check_in(acme.bea, acme.cleo, acme.today)
    Feedback.objects.create(
        giver=acme.a[0], receiver=acme.b[0], kind=FeedbackKind.PRAISE, text="Thanks"
    )
    compute.compute(timezone.now(), kinds=KINDS)
    login(acme.hana)
    before = all_figures(client)
    move_out(acme)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=KINDS)
    assert all_figures(client) == before
    # The twelve months that have ended; this one once it has.
    assert {row["month"] for rows in before.values() for row in rows} == {
        months_back(acme.today, count).strftime("%Y-%m") for count in range(1, 13)
    }


def test_closed_months_are_stored_once_and_forgotten_past_the_window(acme, history):
    compute.compute(timezone.now(), kinds=["rhythm"])
    stored = ClosedMonth.objects.filter(kind="rhythm").count()
    # Each of the twelve months shown (all ended): its mark; last month's five groups too
    # (everyone, Acme, Alpha, Beta and Max's reports; not Bea's four, nor Cleo's one, Bea):
    # the others had nobody due.
    assert stored == 12 + 5
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["rhythm"])
    assert ClosedMonth.objects.filter(kind="rhythm").count() == stored
    old = ClosedMonth.objects.create(kind="rhythm", period="2000-01", computed_at=timezone.now())
    compute.compute(timezone.now() + timedelta(minutes=10), kinds=["rhythm"])
    assert not ClosedMonth.objects.filter(pk=old.pk).exists()


def test_a_closed_360_cycles_figures_do_not_follow_who_left(client, login, acme, reviews):
    login(acme.hana)
    url = "/api/v1/insights/charts"

    def rows():
        charts = client.get(url, {"audience": "hr"}).json()["charts"]
        return next(chart["rows"] for chart in charts if chart["kind"] == "reviews")

    before = rows()
    assert before
    leave(acme)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["reviews"])
    assert rows() == before


def test_a_larger_smallest_group_hides_the_months_kept_with_a_smaller_one(
    client, login, acme, history
):
    from surveys.models import SurveySettings

    compute.compute(timezone.now(), kinds=KINDS)
    settings = SurveySettings.load()
    settings.anonymity_threshold = 6
    settings.save()
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=KINDS)
    login(acme.hana)
    for kind, rows in month_figures(client, history).items():
        assert rows, kind
        for row in rows:  # every figure of that month is hidden, none counted again
            assert {key: value for key, value in row.items() if key not in ("group", "month")}
            assert all(v is None for k, v in row.items() if k not in ("group", "month")), kind


# --- Goals: as of the end of the last month, kept until the next has ended -------------------


def goals_seen(client, acme):
    """What HR (everyone's page) and Max (his reports) read of the goals chart, every kind,
    through the page and through the API, the time of computing aside."""
    found = []
    for reader, page, audience in ((acme.hana, "hr", "hr"), (acme.max, "team", "team")):
        client.force_login(reader)
        for variant in ("", "result", "development"):
            seen = block(client, page, "goals", goals=variant)
            answer = client.get(
                "/api/v1/insights/charts", {"audience": audience, "goals": variant}
            ).json()
            chart = next(c for c in answer["charts"] if c["kind"] == "goals")
            chart.pop("computed_at")
            found.append((seen.table(), seen.snapshot.n, seen.extra, chart))
    return found


@pytest.mark.parametrize("change", [move_out, leave])
def test_the_goals_chart_does_not_follow_who_moved_or_left(client, acme, goals, change):
    """Counted again from today's teams, a1 moving to Beta (or leaving) would take their goal
    out of Alpha's figures (and into Beta's): comparing two days would tell its progress."""
    before = goals_seen(client, acme)
    alpha = next(row for row in before[0][0] if row[0] == "Alpha")
    assert alpha[1:3] == [5, 55]  # five goals, a1's 60 among them
    change(acme)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["goals"])
    assert goals_seen(client, acme) == before


def test_the_goals_chart_says_which_day_it_is_of(client, login, acme, goals):
    login(acme.hana)
    reference = month_end_before(acme.today)
    body = html_of(client, "hr")
    section = body[body.index('id="chart-goals"') :]
    section = section[: section.index("</section>")]
    assert f"{date_format(reference)}, the end of the last month that has ended" in section
    chart = next(
        c
        for c in client.get("/api/v1/insights/charts", {"audience": "hr"}).json()["charts"]
        if c["kind"] == "goals"
    )
    assert chart["extra"]["reference"] == reference.isoformat()


def test_the_goals_chart_is_counted_again_once_the_next_month_has_ended(client, acme, goals):
    client.force_login(acme.hana)
    assert {row[0] for row in block(client, "hr", "goals").table()} == {"Everyone", "Alpha", "Beta"}
    move_out(acme)
    today = acme.today
    later = (today.replace(day=1) + timedelta(days=32)).replace(day=2)
    compute.compute(timezone.now() + (later - today), kinds=["goals"])
    client.force_login(acme.hana)
    rows = {row[0]: row for row in block(client, "hr", "goals").table()}
    # Counted again with a1 in Beta: Alpha's four left with goals (Max has none) are too few,
    # and so is Beta beside everyone (the rest would be those four).
    assert set(rows) == {"Everyone"} and rows["Everyone"][1] == 10
    reference = later.replace(day=1) - timedelta(days=1)
    assert block(client, "hr", "goals").extra["reference"] == reference.isoformat()
    # Only the newest month's figures are kept.
    assert set(ClosedMonth.objects.filter(kind="goals").values_list("period", flat=True)) == {
        reference.strftime("%Y-%m")
    }


# --- A 360 cycle still open: the whole organisation's figures alone ----------------------------


@pytest.fixture(name="open_cycle")
def open_cycle_fixture(acme):
    """A cycle whose reviews are open, reviewing Alpha's six (Max and a1…a5) and Beta's five
    (Bea and b1…b4): each asked two reviewers, who both answered, but a1's, who both declined;
    a1's report alone is released. Counted from today's teams, both teams would be shown, and
    a1 moving from one to the other would change both by their own."""
    today = acme.today
    cycle = ReviewCycle.objects.create(
        name="Autumn 360",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=20),
        nominations_due=today - timedelta(days=20),
        answers_due=today + timedelta(days=10),
        status=CycleStatus.REVIEWING,
    )
    for person in [acme.max, *acme.a, acme.bea, *acme.b]:
        participant = ReviewParticipant.objects.create(
            cycle=cycle, person=person, manager=person.manager
        )
        declined = person == acme.a[0]
        for reviewer, group in ((person, RaterGroup.SELF), (acme.cleo, RaterGroup.PEER)):
            ReviewInvitation.objects.create(
                participant=participant,
                reviewer=reviewer,
                group=group,
                answered=not declined,
                declined=declined,
            )
    ReviewParticipant.objects.filter(cycle=cycle, person=acme.a[0]).update(
        released_at=timezone.now()
    )
    compute.compute(timezone.now(), kinds=["reviews"])
    return cycle


def reviews_seen(client, acme):
    """What HR (everyone), Cleo (Acme) and Max (his reports) read of 360 participation, through
    the page's table and through the API, the time of computing aside."""
    found = []
    for reader, page in ((acme.hana, "hr"), (acme.cleo, "organisation"), (acme.max, "team")):
        client.force_login(reader)
        seen = block(client, page, "reviews")
        answer = client.get("/api/v1/insights/charts", {"audience": page}).json()
        chart = next(c for c in answer["charts"] if c["kind"] == "reviews")
        chart.pop("computed_at")
        found.append((seen.table(), chart))
    return found


@pytest.mark.parametrize("change", [move_out, leave])
def test_an_open_360_cycles_figures_do_not_follow_who_moved_or_left(
    client, acme, open_cycle, change
):
    before = reviews_seen(client, acme)
    everyone = next(row for row in before[0][1]["rows"] if row["group"] == {"key": "everyone"})
    assert (everyone["reviewed"], everyone["declined"]) == (11, 9)  # a1's two of 22 declined
    change(acme)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["reviews"])
    assert reviews_seen(client, acme) == before


def test_an_open_cycle_is_shown_for_the_whole_organisation_only_until_it_closes(
    client, acme, open_cycle
):
    (hr, _api), (cleo, _), (max_, _) = reviews_seen(client, acme)
    assert [row[:2] for row in hr] == [["Autumn 360", "Everyone"]]
    assert cleo == [] and max_ == []
    leave(acme)  # a1 leaves before it closes: still among everyone it reviewed
    ReviewCycle.objects.filter(pk=open_cycle.pk).update(status=CycleStatus.CLOSED)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["reviews"])
    (hr, _api), (cleo, _), (max_, _) = reviews_seen(client, acme)
    rows = {row[1]: row for row in hr}
    # Closed: the groups of then too, with everyone as while it was open, so that closing
    # does not tell what a1 did: Alpha (Max and a2…a5) is shown, but not Beta beside it
    # (everyone minus both would be a1 alone).
    assert set(rows) == {"Everyone", "Alpha"}
    assert rows["Everyone"][2:] == [11, 22, 91, 9, 9]
    assert rows["Alpha"][2:] == [5, 10, 100, 0, 0]
