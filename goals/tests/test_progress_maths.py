"""The arithmetic of progress, proven with generated numbers, and the model rules built on it."""

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import assume, given
from hypothesis import strategies as st

from goals import progress as maths
from goals.models import KeyResult, Objective, validate_finite
from goals.tests.factories import make_goal

numbers = st.decimals(min_value=-1_000_000, max_value=1_000_000, places=4)
fractions = st.none() | st.floats(min_value=0, max_value=1)
# As stored: a weight has two decimal places (so no subnormal floats underflow to nothing).
weights = st.decimals(min_value=0, max_value=9999, places=2).map(float)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
STATUS_ORDER = ["off_track", "at_risk", "on_track", "done"]


# --- Key results ----------------------------------------------------------------------------


@given(numbers, numbers, numbers)
def test_key_result_progress_is_a_fraction_or_undefined(start, target, current):
    progress = maths.key_result_progress(start, target, current)
    assert progress is None or 0 <= progress <= 1


@given(numbers, numbers, numbers)
def test_key_result_progress_is_undefined_exactly_when_the_target_is_the_start(
    start, target, current
):
    assert (maths.key_result_progress(start, target, current) is None) == (target == start)


@given(numbers, numbers)
def test_key_result_progress_is_undefined_without_a_current_value(start, target):
    assert maths.key_result_progress(start, target, None) is None


def test_an_increasing_metric_halfway_is_half_done():
    assert maths.key_result_progress(Decimal(10), Decimal(30), Decimal(20)) == 0.5


def test_a_decreasing_metric_counts_the_way_down():
    # Churn from 8 % to 5 %: at 6.5 % half of the way is done.
    assert maths.key_result_progress(Decimal("8"), Decimal("5"), Decimal("6.5")) == 0.5
    assert maths.key_result_progress(Decimal("8"), Decimal("5"), Decimal("5")) == 1.0
    assert maths.key_result_progress(Decimal("8"), Decimal("5"), Decimal("8")) == 0.0


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, -20, 0.0),  # went backwards
        (0, 100, 250, 1.0),  # beat the target
        (8, 5, 9, 0.0),  # churn went up
        (8, 5, 2, 1.0),  # churn fell below the target
    ],
)
def test_key_result_progress_is_clamped(start, target, current, expected):
    assert maths.key_result_progress(start, target, current) == expected


@given(numbers, numbers, numbers, numbers)
def test_key_result_progress_moves_with_the_current_value(start, target, low, high):
    assume(start != target)
    low, high = sorted((low, high))
    before = maths.key_result_progress(start, target, low)
    after = maths.key_result_progress(start, target, high)
    if target > start:
        assert before <= after
    else:
        assert before >= after


@given(numbers, numbers)
def test_reaching_the_target_is_done_and_standing_still_is_nothing(start, target):
    assume(start != target)
    assert maths.key_result_progress(start, target, target) == 1.0
    assert maths.key_result_progress(start, target, start) == 0.0


def test_a_milestone_is_nothing_or_everything():
    assert maths.milestone_progress(False) == 0.0
    assert maths.milestone_progress(True) == 1.0


# --- Weighted mean --------------------------------------------------------------------------


@given(st.lists(st.tuples(fractions, weights)))
def test_weighted_mean_ignores_undefined_progress_and_zero_weights(pairs):
    counted = [(p, w) for p, w in pairs if p is not None and w > 0]
    noise = [(None, 3.0), (0.9, 0.0), (0.1, 0.0)]
    mean = maths.weighted_mean(pairs + noise)
    if counted:
        assert mean == pytest.approx(maths.weighted_mean(counted))
    else:
        assert mean is None


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1), weights.filter(lambda w: w > 0))
def test_weighted_mean_with_equal_weights_is_the_plain_mean(values, weight):
    mean = maths.weighted_mean((value, weight) for value in values)
    assert mean == pytest.approx(sum(values) / len(values))


@given(st.lists(st.tuples(st.floats(min_value=0, max_value=1), weights), min_size=1))
def test_weighted_mean_lies_between_the_smallest_and_the_largest(pairs):
    counted = [p for p, w in pairs if w > 0]
    assume(counted)
    mean = maths.weighted_mean(pairs)
    assert min(counted) - 1e-9 <= mean <= max(counted) + 1e-9


def test_weighted_mean_weighs():
    assert maths.weighted_mean([(1.0, 3), (0.0, 1)]) == 0.75


def test_weighted_mean_of_nothing_is_undefined():
    assert maths.weighted_mean([]) is None
    assert maths.weighted_mean([(None, 1), (None, 2)]) is None


# --- Time and status ------------------------------------------------------------------------


@given(days, st.integers(min_value=1, max_value=400), days)
def test_expected_progress_runs_from_nothing_at_the_start_to_everything_at_the_end(
    start, length, today
):
    end = start + timedelta(days=length)
    expected = maths.expected_progress(start, end, today)
    assert 0 <= expected <= 1
    if today <= start:
        assert expected == 0
    if today >= end:
        assert expected == 1


@given(days, st.integers(min_value=1, max_value=400), days, days)
def test_expected_progress_only_grows_with_time(start, length, one_day, another_day):
    end = start + timedelta(days=length)
    earlier, later = sorted((one_day, another_day))
    assert maths.expected_progress(start, end, earlier) <= maths.expected_progress(
        start, end, later
    )


def test_expected_progress_halfway_through_is_a_half():
    assert maths.expected_progress(date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 6)) == 0.5


@given(days, st.integers(min_value=1, max_value=400), days)
def test_no_status_is_suggested_without_progress(start, length, today):
    assert maths.suggested_status(None, start, start + timedelta(days=length), today) is None


@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    days,
    st.integers(min_value=1, max_value=400),
    days,
)
def test_more_progress_never_suggests_a_worse_status(one, other, start, length, today):
    end = start + timedelta(days=length)
    low, high = sorted((one, other))
    worse = maths.suggested_status(low, start, end, today)
    better = maths.suggested_status(high, start, end, today)
    assert STATUS_ORDER.index(worse) <= STATUS_ORDER.index(better)


@given(st.floats(min_value=1, max_value=10), days, st.integers(min_value=1, max_value=400), days)
def test_reaching_everything_suggests_done(progress, start, length, today):
    assert maths.suggested_status(progress, start, start + timedelta(days=length), today) == "done"


@pytest.mark.parametrize(
    ("progress", "status"),
    [(0.45, "on_track"), (0.35, "at_risk"), (0.15, "off_track"), (0.9, "on_track")],
)
def test_status_compares_progress_with_the_time_gone(progress, status):
    start, end, today = date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 6)  # half the time
    assert maths.suggested_status(progress, start, end, today) == status


def test_at_the_start_nothing_done_is_on_track():
    start = date(2026, 1, 1)
    assert maths.suggested_status(0.0, start, start + timedelta(days=90), start) == "on_track"


def test_a_goal_is_on_track_during_the_first_tenth_of_its_time():
    start = date(2026, 1, 1)
    end = start + timedelta(days=90)
    assert maths.suggested_status(0.0, start, end, start + timedelta(days=8)) == "on_track"
    assert maths.suggested_status(0.0, start, end, start + timedelta(days=40)) == "off_track"


def test_a_goal_set_late_in_its_period_is_measured_from_the_day_it_was_set():
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    set_on = date(2026, 2, 15)  # six weeks into the quarter
    assert maths.suggested_status(0.0, start, end, set_on, set_on) == "on_track"
    assert maths.suggested_status(0.0, start, end, set_on + timedelta(days=3), set_on) == (
        "on_track"
    )
    # Halfway from the day it was set, nothing done is behind.
    assert maths.suggested_status(0.0, start, end, date(2026, 3, 9), set_on) == "off_track"
    assert maths.measured_from(start, set_on) == set_on
    assert maths.measured_from(start, date(2025, 12, 20)) == start  # set ahead of its start


@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    days,
    st.integers(min_value=1, max_value=400),
    days,
    days,
)
def test_more_progress_never_suggests_a_worse_status_whenever_it_was_set(
    one, other, start, length, today, set_on
):
    end = start + timedelta(days=length)
    low, high = sorted((one, other))
    worse = maths.suggested_status(low, start, end, today, set_on)
    better = maths.suggested_status(high, start, end, today, set_on)
    assert STATUS_ORDER.index(worse) <= STATUS_ORDER.index(better)


# --- The models -----------------------------------------------------------------------------


def test_objective_progress_is_the_weighted_mean_of_its_prefetched_key_results(
    cast, django_assert_num_queries
):
    goal = make_goal(cast.alice, key_results=[(0, 100, 50), (0, 10, 10), (5, 5, 5)])
    KeyResult.objects.filter(objective=goal, position=1).update(weight=3)
    goal = Objective.objects.with_key_results().get(pk=goal.pk)
    with django_assert_num_queries(0):
        # 0.5 × 1 and 1.0 × 3; the third has no defined progress and does not count.
        assert goal.progress == pytest.approx((0.5 + 3.0) / 4)


def test_a_milestone_counts_in_the_objective_progress(cast):
    goal = make_goal(cast.alice, key_results=[(0, 10, 0)])
    KeyResult.objects.create(objective=goal, title="Ship it", type="milestone", done=True)
    goal = Objective.objects.with_key_results().get(pk=goal.pk)
    assert goal.progress == 0.5


def test_objective_progress_is_the_manual_figure_without_key_results(cast):
    goal = make_goal(cast.alice, kind="learning", manual_progress=Decimal("40"))
    assert Objective.objects.with_key_results().get(pk=goal.pk).progress == 0.4
    assert make_goal(cast.alice).progress is None


def test_the_stored_progress_follows_key_results_and_manual_progress(cast):
    goal = make_goal(cast.alice, key_results=[(0, 4, 1)])
    goal.refresh_from_db()
    assert goal.progress_cache == 0.25
    learning = make_goal(cast.alice, kind="learning", manual_progress=Decimal("60"))
    learning.refresh_from_db()
    assert learning.progress_cache == 0.6


def test_a_goal_cannot_support_a_goal_that_supports_it(cast):
    company = make_goal(title="Grow")
    team = make_goal(team=cast.platform, parent=company)
    personal = make_goal(cast.alice, parent=team)
    assert personal.path == f"/{company.pk}/{team.pk}/{personal.pk}/"
    company.parent = personal
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "parent" in error.value.message_dict


def test_a_goal_cannot_support_itself(cast):
    goal = make_goal(cast.alice)
    goal.parent = goal
    with pytest.raises(ValidationError):
        goal.full_clean()


def test_a_goal_cannot_end_before_it_starts(cast):
    goal = make_goal(cast.alice)
    goal.end_date = goal.start_date - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        goal.full_clean()
    assert "end_date" in error.value.message_dict


def test_the_database_refuses_a_goal_that_ends_before_it_starts(cast):
    goal = make_goal(cast.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.filter(pk=goal.pk).update(end_date=goal.start_date - timedelta(days=1))


@pytest.mark.parametrize(
    "value",
    [
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        float("nan"),
        float("inf"),
        Decimal("1e12"),
        Decimal("-1e13"),
    ],
)
def test_numbers_must_be_finite(value):
    with pytest.raises(ValidationError):
        validate_finite(value)


@pytest.mark.parametrize("value", [None, 0, Decimal("-5.5"), Decimal("999999999999.9999"), 1e11])
def test_finite_numbers_pass(value):
    validate_finite(value)


def test_a_key_result_with_an_infinite_target_is_invalid(cast):
    goal = make_goal(cast.alice)
    result = KeyResult(
        objective=goal, title="Revenue", start_value=Decimal(0), target_value=Decimal("Infinity")
    )
    with pytest.raises(ValidationError) as error:
        result.full_clean()
    assert "target_value" in error.value.message_dict
    assert not math.isfinite(result.target_value)
