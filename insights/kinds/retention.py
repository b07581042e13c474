"""Retention and development: how long people stay, for those with and without an active
development plan, as Kaplan–Meier curves (lifelines) with 95 % confidence bands, numbers at
risk, events and a log-rank test.

Method: a landmark analysis. A plan's status changes over time, so comparing people by whether
they *ever* had a plan would credit the plan with the time before it existed (whoever stays
long has more time to make one: immortal-time bias). Instead, everyone still here at the
landmark — 6 months of tenure — is grouped by whether their plan was active on that day
(`plans.models.PlanActivePeriod`), and followed from there; what happens to plans later does
not move anyone between groups.

Conventions: time is in months of 30.4375 days, from the start date; the leave date is the
last working day, and a leave date on or before the reference date (the last day of the last
month that has ended) is a departure then; whoever is still employed, a leave date after the
reference date included, is censored at the reference date (or earlier, below); each curve
stops at its group's last observation. Only people whose landmark falls on or after the
first day plan history was kept (the earliest active period of any plan), and on or before
the reference date, are in the analysis: before that, "no plan" would only mean "no record".
People without a start date are left out.

Filters: the scope (a team and the teams within it; the whole organisation) and a tenure band
computed ahead (time since the start date at the reference date, as Surveys' bands).

What is shown keeps to the aggregate rule of Surveys (`surveys.disclosure`), decided once per
run for every curve anyone may read: the organisation's and every team's, for every tenure and
each band, with and without a plan, are candidates released together (the whole before the
bands, the organisation and the teams from the top down), so that no curve is of fewer than
the smallest group (`Run.min_group`) and none can be subtracted from others (a team minus its
sub-teams, every tenure minus the bands) to leave fewer; a group not released is hidden, and
then there is no test. A curve says when people left too, so two more rules keep a departure
from pointing at a person: times are whole months of follow-up (a departure or the reference
date within the 4th month after the landmark is at 10 months of tenure), and everyone is
followed only as long as their atom (the people in exactly the same released curves: what
subtracting curves can isolate) still has the smallest group at risk, and censored then: in
every atom, and so in every curve and every difference of curves, the number at risk is at
least the smallest group or none, and no departure is shown among fewer.

The curves are counted once a month: as of the end of the last month that has ended, by the
first run after it ended, with the teams of then, stored (`insights.monthly.kept`) and only
read until the next month has ended. Counted again at every run from today's teams, a team's
numbers with and without a plan would change by one when someone moved in or out, or reached
the landmark, and comparing two days would tell that person's plan status; once a month, the
changes of a whole month come together.

lifelines (with pandas and scipy) is imported inside `analyse` only: it runs in the job or the
command that computes the snapshots, never in a web worker.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from insights import grouping
from insights.charts import Column, Computed, Variant, chart
from insights.monthly import kept
from insights.scopes import ORG, TEAM, PersonRow, Run, Scope
from people.models import ids_in
from plans.activity import active_on
from surveys.disclosure import Candidate, atoms, release
from surveys.groups import BANDS, band_of  # the tenure bands, as Surveys' filters name them

MONTH_DAYS = 30.4375
LANDMARK_MONTHS = 6
# The landmark's day: the first day at or after 6 months of tenure (182.6 days).
LANDMARK_DAYS = math.ceil(LANDMARK_MONTHS * MONTH_DAYS)
# The tenures (months) the table gives survival, numbers at risk and events at.
SUMMARY_MONTHS = (6, 12, 18, 24, 30, 36, 48, 60, 72, 84, 96, 108, 120)
WITH, WITHOUT = "with_plan", "without_plan"
ALPHA = 0.05
METHOD = "landmark"


@dataclass(frozen=True)
class Subject:
    """One person of the landmark cohort."""

    followup: float  # whole months from the landmark to leaving or to the reference date
    left: bool  # True: left (an event); False: censored
    planned: bool  # an active plan on the landmark's day
    band: str  # tenure band at the reference date
    pk: int = 0
    team_path: str = ""


def months_between(start: date, end: date) -> float:
    return (end - start).days / MONTH_DAYS


def cohort(
    people: Iterable[PersonRow],
    periods: Mapping[int, Sequence[tuple[date, date | None]]],
    reference: date,
    history_start: date | None,
) -> list[Subject]:
    """The landmark cohort of `people`: whoever was still here at 6 months of tenure, on or
    after `history_start` (the first day plan history was kept) and on or before the reference
    date; with their follow-up from the landmark, whether they left, and their plan's status
    on the landmark's day."""
    if history_start is None:
        return []
    found = []
    for person in people:
        if person.start is None:
            continue
        landmark = person.start + timedelta(days=LANDMARK_DAYS)
        if landmark < history_start or landmark > reference:
            continue
        left = person.leave is not None and person.leave <= reference
        end = person.leave if left and person.leave is not None else reference
        if end < landmark:
            continue  # left before the landmark
        # Whole months, rounded up: a departure is placed in its month, not on its day.
        followup = math.ceil(months_between(person.start, end) - LANDMARK_MONTHS)
        planned = active_on(periods.get(person.pk, ()), landmark)
        band = band_of(person.start, reference) or BANDS[-1][0]
        found.append(Subject(followup, left, planned, band, person.pk, person.team_path))
    return found


def followed_to(subject: Subject, horizon: float) -> Subject:
    """The subject as if followed up to `horizon` months at most: still followed then, censored
    then."""
    return replace(
        subject,
        followup=min(subject.followup, horizon),
        left=subject.left and subject.followup <= horizon,
    )


def _number(value: Any, digits: int = 4) -> float | None:
    """A float for JSON: None for NaN or infinity."""
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, digits)


def _cumulative(steps: Any) -> Any:
    """A running sum as pandas' `cumsum` gives it followed by a forward fill, as lifelines
    reads its estimates (a NaN step adds nothing: the sum so far; NaN before any number)."""
    import numpy as np

    missing = np.isnan(steps)
    total = np.cumsum(np.where(missing, 0.0, steps))
    if missing.any():
        first = np.flatnonzero(~missing)
        total[: first[0] if first.size else total.size] = np.nan
    return total


@cache
def _z() -> float:
    """The normal quantile of the 95 % bands (lifelines' `inv_normal_cdf`), computed once per
    process (scipy's `ppf` takes longer than a whole fit)."""
    from scipy import stats  # type: ignore[import-untyped]  # no stubs

    return float(stats.norm.ppf(1 - ALPHA / 2))


def kaplan_meier(followups: Sequence[float], left: Sequence[bool]) -> dict[str, Any]:
    """lifelines' `KaplanMeierFitter(alpha=ALPHA).fit(followups, left)` (no entry, no
    weights), the same operations on the same numbers in numpy, without its pandas tables
    (most of a fit's time): the event table's times, departures (`observed`) and numbers at
    risk, and the survival and its exponential Greenwood bounds at each time. Equal to
    lifelines' to the last bit (`insights/tests/test_retention.py` fits both)."""
    import numpy as np

    durations = np.asarray(followups)
    events = np.asarray(left).astype(bool)
    times, index = np.unique(durations, return_inverse=True)
    removed = np.bincount(index, minlength=times.size)
    observed = np.bincount(index[events], minlength=times.size)
    birth = min(0, durations.min())  # everyone enters then: the table's first row
    if birth < times[0]:
        times = np.concatenate(([birth], times))
        removed = np.concatenate(([0], removed))
        observed = np.concatenate(([0], observed))
    # Everyone enters at the first row; then the people still here just before each time.
    at_risk = durations.size - np.concatenate(([0], np.cumsum(removed)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_estimate = _cumulative(np.log(at_risk - observed) - np.log(at_risk))
        people, deaths = at_risk.astype(float), observed.astype(float)
        steps = deaths / (people * (people - deaths))
        variance = _cumulative(np.where(steps == np.inf, 0.0, steps))
        survival = np.exp(log_estimate)
        logged = np.log(survival)
        spread = _z() * np.sqrt(variance) / logged
        lower = np.exp(-np.exp(np.log(-logged) - spread))
        upper = np.exp(-np.exp(np.log(-logged) + spread))
    return {
        "times": times.astype(float),
        "observed": observed,
        "at_risk": at_risk,
        "survival": survival,
        "lower": np.where(np.isnan(lower), 1.0, lower),
        "upper": np.where(np.isnan(upper), 1.0, upper),
    }


def curve(subjects: Sequence[Subject]) -> dict[str, Any]:
    """The Kaplan–Meier estimate (lifelines' estimator and bounds, in numpy: `kaplan_meier`)
    of a group: at time 0 and each time with an event, and at its last observation; each
    point's survival, 95 % bounds (exponential Greenwood, as lifelines computes them),
    numbers at risk (just before it) and events (at it). Times in months of tenure (the
    landmark is 6)."""
    fitted = kaplan_meier([s.followup for s in subjects], [s.left for s in subjects])
    times = fitted["times"].tolist()
    values, lower, upper = (fitted[key].tolist() for key in ("survival", "lower", "upper"))
    observed, at_risk = fitted["observed"].tolist(), fitted["at_risk"].tolist()
    last = times[-1]
    points: dict[str, list[Any]] = {
        key: [] for key in ("times", "survival", "lower", "upper", "at_risk", "events")
    }
    for index, at in enumerate(times):
        events = observed[index]
        if index and not events and at != last:
            continue  # the curve does not move at a censoring: no point of its own
        value = values[index]
        points["times"].append(round(LANDMARK_MONTHS + at, 4))
        points["survival"].append(_number(value))
        # Where no one is left (survival 0) the bounds are undefined (lifelines writes 1).
        points["lower"].append(_number(lower[index]) if value > 0 else None)
        points["upper"].append(_number(upper[index]) if value > 0 else None)
        points["at_risk"].append(at_risk[index])
        points["events"].append(events)
    return points


def fitted_once(run: Run) -> Callable[[Sequence[Subject]], dict[str, Any]]:
    """`curve`, fitted once per run for each set of follow-ups: a curve depends on nothing
    else, and a team's is often another's (its only sub-team's, a band's that has everyone)."""
    fitted: dict[tuple[tuple[float, bool], ...], dict[str, list[Any]]] = run.once(
        "retention.fitted", dict
    )

    def fit(subjects: Sequence[Subject]) -> dict[str, Any]:
        key = tuple(sorted((s.followup, s.left) for s in subjects))
        if key not in fitted:
            fitted[key] = curve(subjects)
        return {name: list(points) for name, points in fitted[key].items()}

    return fit


def logrank(first: Sequence[Subject], second: Sequence[Subject]) -> dict[str, float | None]:
    """The log-rank test of two groups (lifelines): its chi-squared statistic (1 degree of
    freedom) and p-value."""
    from lifelines.statistics import logrank_test  # type: ignore[import-untyped]  # no stubs

    result = logrank_test(
        [s.followup for s in first],
        [s.followup for s in second],
        event_observed_A=[s.left for s in first],
        event_observed_B=[s.left for s in second],
        alpha=1 - ALPHA,
    )
    return {
        "statistic": _number(result.test_statistic),
        "p": _number(result.p_value, 6),
        "df": 1,
    }


def tested_once(
    run: Run,
) -> Callable[[Sequence[Subject], Sequence[Subject]], dict[str, float | None]]:
    """`logrank`, tested once per run for each pair of sets of follow-ups: the test depends on
    nothing else (the groups' departures and censorings counted at each time), and the same
    pair comes back (a team and its only sub-team, every tenure and a band that has
    everyone, groups that differ only in who is in them)."""
    Followups = tuple[tuple[float, bool], ...]
    tested: dict[tuple[Followups, Followups], dict[str, float | None]] = run.once(
        "retention.tested", dict
    )

    def test(first: Sequence[Subject], second: Sequence[Subject]) -> dict[str, float | None]:
        key = (
            tuple(sorted((s.followup, s.left) for s in first)),
            tuple(sorted((s.followup, s.left) for s in second)),
        )
        if key not in tested:
            tested[key] = logrank(first, second)
        return dict(tested[key])

    return test


def value_at(points: Mapping[str, list[Any]], key: str, months: float) -> Any:
    """The step function's value at `months` of tenure (the last point at or before it)."""
    index = bisect_right(points["times"], months) - 1
    return points[key][index] if index >= 0 else None


def summary_rows(
    key: str, subjects: Sequence[Subject], points: Mapping[str, list[Any]]
) -> list[dict[str, Any]]:
    """The table: at each of `SUMMARY_MONTHS` up to the group's last observation, the
    survival and its bounds, the people still at risk and the departures so far."""
    last = points["times"][-1]
    rows = []
    for months in SUMMARY_MONTHS:
        if months > last:
            break
        followup = months - LANDMARK_MONTHS
        rows.append(
            {
                "group": key,
                "months": months,
                "at_risk": sum(s.followup >= followup for s in subjects),
                "events": sum(s.left and s.followup <= followup for s in subjects),
                "survival": value_at(points, "survival", months),
                "lower": value_at(points, "lower", months),
                "upper": value_at(points, "upper", months),
            }
        )
    return rows


def analyse(
    groups: Mapping[str, Sequence[Subject] | None],
    min_group: int,
    reference: date,
    history_start: date | None,
    fit: Callable[[Sequence[Subject]], dict[str, Any]] = curve,
    test: Callable[[Sequence[Subject], Sequence[Subject]], dict[str, float | None]] = logrank,
) -> Computed:
    """The curves, table and test of the groups with and without a plan (`groups`: each
    group's subjects as released and followed to its horizon; None: not released; `fit` and
    `test`: `curve` and `logrank`, or the same once per run)."""
    drawn: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for key in (WITH, WITHOUT):
        members = groups.get(key)
        shown = members is not None
        facts.append(
            {
                "key": key,
                "shown": shown,
                "n": len(members) if members is not None else None,
                "events": sum(s.left for s in members) if members is not None else None,
            }
        )
        if members is None:
            continue
        points = fit(members)
        drawn.append({"key": key, **points})
        rows.extend(summary_rows(key, members, points))
    first, second = groups.get(WITH), groups.get(WITHOUT)
    tested = test(first, second) if first is not None and second is not None else None
    n = sum(len(members) for members in groups.values() if members is not None)
    return Computed(
        n=n,
        period=(history_start, reference) if history_start and drawn else None,
        rows=rows,
        chart={
            "type": "survival",
            "groups": drawn,
            "x": {"title_key": "months"},
            "y": {"title_key": "staying"},
        },
        extra={
            "method": METHOD,
            "landmark_months": LANDMARK_MONTHS,
            "month_days": MONTH_DAYS,
            "reference": reference.isoformat(),
            "history_start": history_start.isoformat() if history_start else None,
            "groups": facts,
            "logrank": tested,
            "min_group": min_group,
        },
    )


def _periods() -> dict[int, list[tuple[date, date | None]]]:
    from plans.models import PlanActivePeriod

    found: dict[int, list[tuple[date, date | None]]] = {}
    rows = PlanActivePeriod.objects.values_list("plan__person_id", "start", "end")
    for person_id, start, end in rows.iterator(chunk_size=2000):
        found.setdefault(person_id, []).append((start, end))
    return found


def _history_start(run: Run) -> date | None:
    """The first day plan history was kept (once per run)."""

    def load() -> date | None:
        from django.db.models import Min

        from plans.models import PlanActivePeriod

        first: date | None = PlanActivePeriod.objects.aggregate(first=Min("start"))["first"]
        return first

    found: date | None = run.once("retention.history_start", load)
    return found


# A curve: (group key: "all" or "t:<id>", band: "" for every tenure, WITH or WITHOUT)
Key = tuple[str, str, str]


@dataclass
class Released:
    """The run's landmark cohort, the curves released (`Key` -> the people in it), and how far
    each person's atom keeps the smallest group at risk (months of follow-up)."""

    subjects: dict[int, Subject]
    curves: dict[Key, frozenset[int]]
    horizon: dict[int, float]

    def group(self, key: Key) -> list[Subject] | None:
        """A released curve's subjects, each followed to their horizon (None: not released)."""
        members = self.curves.get(key)
        if members is None:
            return None
        return [followed_to(self.subjects[pk], self.horizon[pk]) for pk in sorted(members)]


def candidates(
    subjects: Iterable[Subject], teams: Mapping[int, grouping.TeamRow]
) -> list[Candidate]:
    """Every curve anyone may read, in the order of priority the release keeps: every tenure
    before the bands; within each, the organisation, then the teams from the top down; with a
    plan, then without."""
    found: dict[Key, set[int]] = {}
    for subject in subjects:
        status = WITH if subject.planned else WITHOUT
        places = [
            grouping.ALL,
            *(grouping.team_key(t) for t in ids_in(subject.team_path) if t in teams),
        ]
        for band in ("", subject.band):
            for place in places:
                found.setdefault((place, band, status), set()).add(subject.pk)
    order = {grouping.ALL: (-1, "")} | {
        grouping.team_key(pk): (team.depth, team.path) for pk, team in teams.items()
    }
    bands = ["", *(key for key, _label, _low, _high in BANDS)]
    ranked = sorted(
        found, key=lambda k: (bands.index(k[1]) > 0, bands.index(k[1]), order[k[0]], k[2] != WITH)
    )
    return [Candidate(key, frozenset(found[key])) for key in ranked]


def horizons(
    kept: Iterable[frozenset[int]], subjects: Mapping[int, Subject], k: int
) -> dict[int, float]:
    """Each person's horizon: the longest follow-up at which their atom (the people in exactly
    the same released curves) still has `k` at risk: its k-th longest follow-up."""
    found: dict[int, float] = {}
    for atom in atoms(kept):
        followups = sorted((subjects[pk].followup for pk in atom), reverse=True)
        horizon = followups[min(k, len(followups)) - 1]
        for pk in atom:
            found[pk] = horizon
    return found


def reference_of(run: Run) -> date:
    """The run's reference date: the last day of the last month that has ended."""
    return grouping.month_end_before(run.today)


def released(run: Run) -> Released:
    """The run's cohort as of the reference date and its release (once per run)."""

    def load() -> Released:
        periods = _periods()
        people = grouping.everyone(run)
        reference = reference_of(run)
        subjects = {s.pk: s for s in cohort(people, periods, reference, _history_start(run))}
        teams = grouping.organisation(run).teams
        kept = release(candidates(subjects.values(), teams), run.min_group)
        curves: dict[Key, frozenset[int]] = {c.key: c.members for c in kept}  # type: ignore[misc]
        return Released(subjects, curves, horizons(curves.values(), subjects, run.min_group))

    found: Released = run.once("retention.released", load)
    return found


BAND_KEYS = ("", *(key for key, _label, _low, _high in BANDS))


def _stored(found: Computed) -> dict[str, Any]:
    period = [day.isoformat() for day in found.period] if found.period else None
    return {"n": found.n, "period": period, **found.as_data()}


def _restored(values: Mapping[str, Any]) -> Computed:
    period = values["period"]
    return Computed(
        n=values["n"],
        period=(date.fromisoformat(period[0]), date.fromisoformat(period[1])) if period else None,
        rows=values["rows"],
        chart=values["chart"],
        extra=values["extra"],
    )


def _curves(run: Run, band: str) -> dict[str, dict[str, Any]]:
    """The band's curves, table and test as of the reference date, for the organisation and
    every team with a curve released ({group key: what `_stored` keeps})."""
    found = released(run)
    places = sorted({key[0] for key in found.curves if key[1] == band})
    fit, test = fitted_once(run), tested_once(run)
    return {
        place: _stored(
            analyse(
                {status: found.group((place, band, status)) for status in (WITH, WITHOUT)},
                run.min_group,
                reference_of(run),
                _history_start(run),
                fit,
                test,
            )
        )
        for place in places
    }


@chart(
    "retention",
    title=_("Retention and development: how long people stay, with and without an active plan"),
    definition=_(
        "Kaplan–Meier curves of time in the organisation from 6 months of tenure on, for people "
        "whose development plan was active on that day and for those whose was not, with "
        "confidence bands (95 %); the table gives the share still here, the people still "
        "followed (at risk) and the departures so far, at each tenure. Times in whole months; "
        "a curve stops where fewer than the smallest group would be at risk. n: people in the "
        "analysis. As of the end of the last month that has ended: the curves are counted "
        "once a month, just after it ends, with the teams of then, and kept as they are until "
        "the next month has ended."
    ),
    columns=(
        Column("group", _("Group"), worded=True),
        Column("months", _("Months of tenure")),
        Column("survival", _("Share still here")),
        Column("lower", _("Lower bound (95 %)")),
        Column("upper", _("Upper bound (95 %)")),
        Column("at_risk", _("At risk")),
        Column("events", _("Departures so far")),
    ),
    labels={
        WITH: _("Active plan at 6 months"),
        WITHOUT: _("No active plan at 6 months"),
        "months": _("Months in the organisation"),
        "staying": _("Share still here"),
    },
    audiences=(TEAM, ORG),
    order=80,
    template="insights/charts/retention.html",
    variants=Variant(
        "band",
        _("Tenure band (time since the start date)"),
        (("", _("Every tenure")), *((key, label) for key, label, _low, _high in BANDS)),
    ),
)
def retention(scope: Scope) -> dict[str, Computed]:
    """The scope's curves of every band, as stored for the last month that has ended (counted
    now only when that month has none yet); a group with none stored then has its curves
    hidden until the next month has ended."""
    run = scope.run
    reference = reference_of(run)
    own = grouping.own_key(scope)
    found = {}
    for band in BAND_KEYS:
        month = kept(
            run,
            "retention",
            band,
            grouping.month_key(reference),
            True,
            partial(_curves, run, band),
            latest=True,
        )
        stored = month.get(own)
        found[band] = (
            _restored(stored)
            if stored is not None
            else analyse({}, run.min_group, reference, _history_start(run))
        )
    return found
