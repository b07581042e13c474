"""Retention and development: the landmark cohort's conventions, the curves, bounds, numbers at
risk and log-rank test against an independent computation written here (Kaplan–Meier,
Greenwood's variance on the log(−log) scale, the log-rank test), the page, the CSV and the API
from the snapshot; and lifelines kept out of the web workers."""

import math
import subprocess
import sys
from datetime import date, timedelta
from statistics import NormalDist

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import make_person
from insights import compute, scopes
from insights.kinds import retention
from insights.kinds.retention import WITH, WITHOUT, Subject, cohort
from insights.models import ClosedMonth, Snapshot
from insights.scopes import PersonRow
from people.models import Team
from plans.models import Plan, PlanActivePeriod

MONTH = 30.4375
Z = NormalDist().inv_cdf(0.975)

# --- The independent computation ------------------------------------------------------------


def kaplan_meier(durations, events):
    """[(time, survival, lower, upper, at risk, events)]: at 0, at each time with an event, and
    at the last observation; bounds S^exp(±z·√V/|log S|), V Greenwood's sum."""
    times = sorted(set(durations))
    survival, greenwood = 1.0, 0.0
    points = [(0.0, 1.0, 1.0, 1.0, len(durations), 0)]
    for t in times:
        at_risk = sum(d >= t for d in durations)
        died = sum(e and d == t for d, e in zip(durations, events, strict=True))
        if died:
            survival *= 1 - died / at_risk
            greenwood = (
                greenwood + died / (at_risk * (at_risk - died)) if at_risk > died else math.inf
            )
        elif t != times[-1]:
            continue
        if survival == 0:
            lower = upper = None
        elif survival == 1:
            lower = upper = 1.0
        else:
            spread = Z * math.sqrt(greenwood) / abs(math.log(survival))
            lower, upper = survival ** math.exp(spread), survival ** math.exp(-spread)
        points.append((t, survival, lower, upper, at_risk, died))
    return points


def log_rank(first, second):
    """(chi-squared statistic, p-value) of the log-rank test of two (durations, events)."""
    everyone = [(d, e, 0) for d, e in zip(*first, strict=True)]
    everyone += [(d, e, 1) for d, e in zip(*second, strict=True)]
    observed_minus_expected = variance = 0.0
    for t in sorted({d for d, e, _g in everyone if e}):
        at_risk = [(d, e, g) for d, e, g in everyone if d >= t]
        n, n_first = len(at_risk), sum(g == 0 for _d, _e, g in at_risk)
        died = sum(e and d == t for d, e, _g in at_risk)
        died_first = sum(e and d == t and g == 0 for d, e, g in at_risk)
        observed_minus_expected += died_first - died * n_first / n
        if n > 1:
            variance += died * (n_first / n) * (1 - n_first / n) * (n - died) / (n - 1)
    if variance == 0:
        return 0.0, 1.0  # no departure while both groups were at risk: no evidence either way
    statistic = observed_minus_expected**2 / variance
    return statistic, math.erfc(math.sqrt(statistic / 2))


def subjects(days, events, planned=True):
    return [Subject(d / MONTH, bool(e), planned, "1-3") for d, e in zip(days, events, strict=True)]


group = st.lists(st.tuples(st.integers(1, 900), st.booleans()), min_size=2, max_size=40)


@hypothesis_settings(max_examples=25, deadline=None)
@given(group)
def test_the_curve_agrees_with_an_independent_kaplan_meier(rows):
    days, events = [d for d, _e in rows], [e for _d, e in rows]
    found = retention.curve(subjects(days, events))
    expected = kaplan_meier([d / MONTH for d in days], events)
    assert len(found["times"]) == len(expected)
    for index, (t, survival, lower, upper, at_risk, died) in enumerate(expected):
        assert found["times"][index] == pytest.approx(6 + t, abs=1e-4)
        assert found["survival"][index] == pytest.approx(survival, abs=1e-4)
        assert found["at_risk"][index] == at_risk
        assert found["events"][index] == died
        for key, value in (("lower", lower), ("upper", upper)):
            if value is None:
                assert found[key][index] is None
            else:
                assert found[key][index] == pytest.approx(value, abs=1e-4)


@hypothesis_settings(max_examples=25, deadline=None)
@given(group, group)
def test_the_log_rank_test_agrees_with_an_independent_one(first, second):
    days = [[d for d, _e in rows] for rows in (first, second)]
    events = [[e for _d, e in rows] for rows in (first, second)]
    if not any(events[0] + events[1]):
        return  # no departure: no test to compare
    a, b = subjects(days[0], events[0]), subjects(days[1], events[1], planned=False)
    found = retention.logrank(a, b)
    statistic, p = log_rank(
        ([d / MONTH for d in days[0]], events[0]), ([d / MONTH for d in days[1]], events[1])
    )
    assert found["statistic"] == pytest.approx(statistic, abs=1e-4)
    assert found["p"] == pytest.approx(p, abs=1e-6)


def lifelines_fit(followups, left):
    """lifelines' own fit, as the curves were computed before `retention.kaplan_meier`."""
    from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]  # no stubs

    fitter = KaplanMeierFitter(alpha=retention.ALPHA).fit(followups, left)
    bounds = fitter.confidence_interval_survival_function_
    return {
        "times": fitter.survival_function_.index.to_numpy(),
        "survival": fitter.survival_function_.iloc[:, 0].to_numpy(),
        "lower": bounds.iloc[:, 0].to_numpy(),
        "upper": bounds.iloc[:, 1].to_numpy(),
        "observed": fitter.event_table["observed"].to_numpy(),
        "at_risk": fitter.event_table["at_risk"].to_numpy(),
    }


def same_bits(first, second):
    """Equal arrays to the last bit (NaN included), of the same shape and kind."""
    import numpy as np

    if first.shape != second.shape or first.dtype.kind != second.dtype.kind:
        return False
    if first.dtype.kind == "f":
        return np.array_equal(first.view(np.uint64), second.view(np.uint64))
    return np.array_equal(first, second)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(0, 40), st.integers(1, 900).map(lambda d: d / MONTH)),
            st.booleans(),
        ),
        min_size=1,
        max_size=300,
    )
)
def test_kaplan_meier_is_lifelines_to_the_last_bit(rows):
    """The curves' numbers are lifelines' own: every time, departure, number at risk, survival
    and bound, whole months (as the cohort has them) or not, ties, no departure, everyone."""
    followups, left = [f for f, _e in rows], [e for _f, e in rows]
    found, expected = retention.kaplan_meier(followups, left), lifelines_fit(followups, left)
    for key, value in expected.items():
        assert same_bits(found[key], value), key


def test_kaplan_meier_is_lifelines_to_the_last_bit_for_large_groups():
    """Groups of the sizes of a large organisation's (thousands, many ties), as the demo's."""
    import random

    rng = random.Random(13)
    for size in (500, 2000, 8000):
        for share in (0.0, 0.05, 0.3, 1.0):
            followups = [rng.randint(1, 36) for _ in range(size)]
            left = [rng.random() < share for _ in range(size)]
            found, expected = (
                retention.kaplan_meier(followups, left),
                lifelines_fit(followups, left),
            )
            for key, value in expected.items():
                assert same_bits(found[key], value), (size, share, key)


def test_a_log_rank_test_is_run_once_per_run_for_the_same_follow_ups(monkeypatch):
    """`tested_once`: the same pair of sets of follow-ups (whoever they are, in any order) is
    tested once per run, and each caller gets the same figures in a dict of its own."""
    calls = []
    real = retention.logrank
    monkeypatch.setattr(retention, "logrank", lambda a, b: calls.append(1) or real(a, b))
    run = scopes.Run(timezone.now(), 5)
    test = retention.tested_once(run)
    a = subjects([400, 500, 600, 900], [1, 0, 1, 0])
    b = subjects([200, 300, 800, 850], [1, 1, 0, 0], planned=False)
    first = test(a, b)
    again = test(list(reversed(a)), [Subject(s.followup, s.left, False, "5+", pk=9) for s in b])
    assert first == again == real(a, b)
    assert first is not again
    assert len(calls) == 1
    test(b, a)  # the other way round is another test
    assert len(calls) == 2


def test_a_known_example():
    """Six and six people, a textbook-sized case worked by hand: with a plan, one departure at
    18 months of tenure (12 of follow-up) among six; without, departures at 9, 12 and 18."""
    a = subjects([365, 500, 600, 700, 800, 900], [1, 0, 0, 0, 0, 0])
    b = subjects([91, 183, 365, 500, 600, 700], [1, 1, 1, 0, 0, 0], planned=False)
    found = retention.curve(b)
    assert found["survival"][:4] == [1.0, pytest.approx(5 / 6, abs=1e-4), 0.6667, 0.5]
    assert found["at_risk"][:4] == [6, 6, 5, 4]
    statistic, _p = log_rank(
        ([s.followup for s in a], [s.left for s in a]),
        ([s.followup for s in b], [s.left for s in b]),
    )
    assert retention.logrank(a, b)["statistic"] == pytest.approx(statistic, abs=1e-4)


# --- The cohort's conventions ---------------------------------------------------------------

REFERENCE = date(2026, 6, 30)
HISTORY = date(2023, 1, 1)


def person(pk, start, leave=None):
    return PersonRow(pk, "/1/", None, start, leave)


def test_the_landmark_cohort_follows_the_stated_conventions():
    start = date(2024, 1, 1)
    landmark = start + timedelta(days=183)  # 6 months of 30.4375 days, to the next day
    people = [
        person(1, start),  # still here: censored at the reference date
        person(2, start, leave=date(2025, 1, 1)),  # left: an event
        person(3, start, leave=REFERENCE + timedelta(days=1)),  # leaves later: still here
        person(4, start, leave=REFERENCE),  # leaves on the reference date: a departure
        person(5, start, leave=landmark - timedelta(days=1)),  # left before the landmark
        person(6, date(2022, 1, 1)),  # landmark before plan history: out
        person(7, REFERENCE - timedelta(days=100)),  # not at the landmark yet: out
        person(8, None),  # no start date: out
        person(9, start),  # a plan active on the landmark's day
        person(10, start),  # a plan that only started after the landmark
    ]
    periods = {
        9: [(landmark - timedelta(days=30), landmark + timedelta(days=1))],
        10: [(landmark + timedelta(days=1), None)],
    }
    found = {
        row.pk: subject
        for row, subject in zip(
            [p for p in people if p.pk in (1, 2, 3, 4, 9, 10)],
            cohort(people, periods, REFERENCE, HISTORY),
            strict=True,
        )
    }
    # Whole months of follow-up, rounded up: 23.93 months after the landmark is the 24th.
    assert found[1] == Subject(24, False, False, "1-3", 1, "/1/")
    assert found[2].left and found[2].followup == math.ceil(366 / MONTH - 6) == 7
    assert not found[3].left and found[3].followup == found[1].followup
    assert found[4].left and found[4].followup == found[1].followup
    assert found[9].planned and not found[10].planned
    assert cohort(people, periods, REFERENCE, None) == []


# --- Computed, shown and served -------------------------------------------------------------


@pytest.fixture
def cohort_world(cast):
    """Engineering: 16 people who joined 1 to 3 years ago, 8 with an active plan at 6 months
    (of whom 1 left) and 8 without (of whom 5 left); Sales: 3 with a plan, 3 without; and Ops:
    2 with, 2 without (so that the rest of the organisation, 5 of each, lets Engineering's
    curves be shown beside the organisation's)."""
    today = timezone.localdate()
    made = []
    planned_ones = {0, 3, 4, 7, 8, 11, 12, 15}  # joined at every time of the three years
    for number in range(16):
        planned = number in planned_ones
        start = today - timedelta(days=400 + 40 * number)
        left = number == 3 if planned else number in (1, 2, 5, 6, 9)
        leave = start + timedelta(days=300 + 10 * number) if left else None
        who = make_person(
            f"r{number}@example.com",
            f"R {number}",
            team=cast.platform if number % 2 else cast.engineering,
            start_date=start,
            leave_date=leave,
        )
        made.append(who)
        plan = Plan.objects.create(person=who)
        landmark = start + timedelta(days=183)
        if planned:
            PlanActivePeriod.objects.create(
                plan=plan, start=landmark - timedelta(days=60), end=landmark + timedelta(days=90)
            )
        else:  # a plan made later is no plan at the landmark
            PlanActivePeriod.objects.create(
                plan=plan, start=landmark + timedelta(days=20), end=landmark + timedelta(days=40)
            )
    ops = Team.objects.create(name="Ops")
    for number in range(10):
        who = make_person(
            f"s{number}@example.com",
            f"S {number}",
            team=cast.sales if number < 6 else ops,
            start_date=today - timedelta(days=500),
        )
        if number in (0, 1, 2, 6, 7):
            plan = Plan.objects.create(person=who)
            PlanActivePeriod.objects.create(plan=plan, start=today - timedelta(days=400))
    compute.compute(timezone.now())
    return cast


def test_the_snapshot_holds_both_curves_and_the_test(cohort_world):
    snapshot = Snapshot.objects.get(
        kind="retention", scope=scopes.team_scope(cohort_world.engineering.pk), variant=""
    )
    extra = snapshot.data["extra"]
    assert extra["method"] == "landmark"
    # Without a plan, the fifth departure came when fewer than five were still followed: the
    # curve stops before it.
    assert [(g["key"], g["n"], g["events"]) for g in extra["groups"]] == [
        (WITH, 8, 1),
        (WITHOUT, 8, 4),
    ]
    assert snapshot.n == 16
    curves = snapshot.data["chart"]["groups"]
    assert [c["key"] for c in curves] == [WITH, WITHOUT]
    assert curves[0]["times"][0] == 6.0 and curves[0]["survival"][0] == 1.0
    assert extra["logrank"]["statistic"] > 0
    assert 0 < extra["logrank"]["p"] < 1
    # Every row of the table is of a shown group, at 6, 12, 18… months.
    assert {row["group"] for row in snapshot.data["rows"]} == {WITH, WITHOUT}
    assert snapshot.data["rows"][0]["months"] == 6


def test_groups_below_the_smallest_are_hidden(cohort_world):
    snapshot = Snapshot.objects.get(
        kind="retention", scope=scopes.team_scope(cohort_world.sales.pk), variant=""
    )
    extra = snapshot.data["extra"]
    assert [(g["shown"], g["n"]) for g in extra["groups"]] == [(False, None), (False, None)]
    assert extra["logrank"] is None
    assert snapshot.data["rows"] == [] and snapshot.data["chart"]["groups"] == []
    # A tenure band narrows below the smallest group too.
    band = Snapshot.objects.get(kind="retention", scope=scopes.ORG, variant="0-1")
    assert band.data["chart"]["groups"] == []


def test_the_page_states_the_method_and_shows_the_table(client, login, cohort_world):
    login(cohort_world.carol)
    body = client.get(reverse("insights:organisation")).content.decode()
    assert "Landmark analysis" in body
    assert "months of 30.4375 days" in body
    assert "Log-rank test" in body
    assert "Active plan at 6 months: 8 people, 1 of whom left" in body
    assert "association, not cause" in body.lower()
    assert 'id="chart-retention-data"' in body
    assert "Every tenure" in body
    assert "the end of the last month that has ended (counted again once a month)" in body
    response = client.get(reverse("insights:organisation_csv", args=["retention"]))
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Group,Months of tenure,Share still here")
    assert lines[1].startswith("Active plan at 6 months,6,1.0")


def test_the_api_serves_the_curves(client, login, cohort_world):
    login(cohort_world.erin)
    found = client.get("/api/v1/insights/retention", {"team": cohort_world.engineering.pk}).json()
    snapshot = Snapshot.objects.get(
        kind="retention", scope=scopes.team_scope(cohort_world.engineering.pk), variant=""
    )
    assert found["method"] == "landmark"
    assert found["landmark_months"] == 6
    assert found["logrank"] == snapshot.data["extra"]["logrank"]
    with_plan = found["groups"][0]
    curve = snapshot.data["chart"]["groups"][0]
    assert with_plan["key"] == WITH and with_plan["n"] == 8 and with_plan["departures"] == 1
    for key in ("times", "survival", "lower", "upper", "at_risk", "events"):
        assert with_plan[key] == curve[key]
    banded = client.get("/api/v1/insights/retention", {"band": "1-3"}).json()
    assert banded["band"] == "1-3"
    login(cohort_world.bob)  # leads Platform: not Engineering
    answer = client.get("/api/v1/insights/retention", {"team": cohort_world.engineering.pk})
    assert answer.status_code == 404
    login(cohort_world.alice)
    assert client.get("/api/v1/insights/retention").status_code == 403


@pytest.mark.parametrize(
    ("url", "who", "most"),
    [
        ("/api/v1/insights/retention", "erin", 5),
        ("/api/v1/insights/retention?audience=organisation&band=1-3", "carol", 5),
    ],
)
def test_the_api_costs_a_fixed_number_of_queries(
    client, login, cohort_world, django_assert_max_num_queries, url, who, most
):
    login(getattr(cohort_world, who))
    client.get(url)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


# --- lifelines stays out of the web workers ---------------------------------------------------

HEAVY = ("lifelines", "pandas", "scipy", "matplotlib")


def test_the_web_app_never_imports_the_statistics_libraries():
    """Loading the URLconf (every app's views and API), the charts' registry and a page's reads
    imports none of them: only the job and the command do, inside the computation."""
    code = (
        "import sys, django; django.setup();"
        "import cadence.urls, cadence.api, insights.views, insights.api, insights.queries;"
        "from insights import charts; charts.registered();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "cadence.settings",
            "SECRET_KEY": "x",
            "DEBUG": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert found.stdout.strip() == "[]", found.stdout + found.stderr


# --- What the curves may not give away ------------------------------------------------------


def test_no_curve_shows_fewer_than_the_smallest_group_at_risk_nor_a_day(
    client, login, cohort_world
):
    login(cohort_world.erin)
    for band in ("", "1-3"):
        for params in ({}, {"team": cohort_world.engineering.pk}):
            found = client.get("/api/v1/insights/retention", {"band": band, **params}).json()
            for group in found["groups"]:
                assert all(at_risk >= found["min_group"] for at_risk in group["at_risk"])
                assert all(time == int(time) for time in group["times"])


def test_a_team_whose_rest_is_too_small_is_hidden_beside_the_organisation(
    client, login, cohort_world
):
    """Without Ops' four, the organisation's curves less Engineering's would be Sales' three
    with a plan and three without: Engineering's are hidden, the organisation's shown."""
    from people.models import Person

    Person.objects.filter(email__in=[f"s{n}@example.com" for n in range(6, 10)]).update(
        start_date=None
    )
    ClosedMonth.objects.filter(kind="retention").delete()  # as if a month had ended since
    compute.compute(timezone.now(), kinds=["retention"])
    login(cohort_world.erin)
    whole = client.get("/api/v1/insights/retention").json()
    assert [(g["key"], g["shown"], g["n"]) for g in whole["groups"]] == [
        (WITH, True, 11),
        (WITHOUT, True, 11),
    ]
    team = client.get("/api/v1/insights/retention", {"team": cohort_world.engineering.pk}).json()
    assert [g["shown"] for g in team["groups"]] == [False, False]
    assert team["logrank"] is None


def test_a_band_whose_rest_is_too_small_is_hidden():
    """Every tenure, with a plan: seven people, two of them in their first year: the band of
    the other five is not shown beside every tenure (the two would be the difference)."""
    people = [Subject(3, False, True, "0-1", pk, "") for pk in (1, 2)]
    people += [Subject(20, False, True, "1-3", pk, "") for pk in (3, 4, 5, 6, 7)]
    kept = {c.key for c in retention.release(retention.candidates(people, {}), 5)}
    assert ("all", "", WITH) in kept
    assert ("all", "1-3", WITH) not in kept


# --- The curves change once a month, not with each person ------------------------------------


def retention_seen(client, cohort_world):
    """What HR reads of the organisation's and Engineering's curves, every tenure and a band,
    the time of computing aside."""
    found = []
    for params in ({}, {"team": cohort_world.engineering.pk}, {"band": "1-3"}):
        answer = client.get("/api/v1/insights/retention", params).json()
        answer.pop("computed_at")
        found.append(answer)
    return found


def move_and_plan(cohort_world):
    """R 0 (a plan at 6 months, in Engineering) moves to Sales; R 1's plan (only active after
    the landmark) turns out to have been active on the landmark's day too."""
    from people.models import Person

    moved = Person.objects.get(email="r0@example.com")
    moved.team = cohort_world.sales
    moved.save()
    planned = Person.objects.get(email="r1@example.com")
    landmark = planned.start_date + timedelta(days=183)
    PlanActivePeriod.objects.create(
        plan=Plan.objects.get(person=planned),
        start=landmark - timedelta(days=10),
        end=landmark + timedelta(days=10),
    )


def test_the_curves_do_not_follow_a_move_or_a_new_plan_within_the_month(
    client, login, cohort_world
):
    """Counted again from today's teams, Engineering's curve with a plan would lose R 0 and
    the organisation's gain R 1: comparing the two days would tell their plan status."""
    login(cohort_world.erin)
    before = retention_seen(client, cohort_world)
    assert [g["n"] for g in before[1]["groups"]] == [8, 8]
    move_and_plan(cohort_world)
    compute.compute(timezone.now() + timedelta(minutes=5), kinds=["retention"])
    assert retention_seen(client, cohort_world) == before
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert before[0]["reference"] == last_month_end.isoformat()


def test_the_curves_are_counted_again_once_the_next_month_has_ended(client, login, cohort_world):
    move_and_plan(cohort_world)
    today = timezone.localdate()
    later = (today.replace(day=1) + timedelta(days=32)).replace(day=2)
    compute.compute(timezone.now() + (later - today), kinds=["retention"])
    login(cohort_world.erin)
    team = client.get("/api/v1/insights/retention", {"team": cohort_world.engineering.pk}).json()
    assert team["reference"] == (later.replace(day=1) - timedelta(days=1)).isoformat()
    # With a plan: R 0 moved out, R 1 (in Platform, within Engineering) came in.
    assert [g["n"] for g in team["groups"]] == [8, 7]
    # Only the newest month's curves are kept: no one reads the older ones again.
    assert set(ClosedMonth.objects.filter(kind="retention").values_list("period", flat=True)) == {
        (later.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    }
