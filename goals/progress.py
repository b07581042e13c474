"""The arithmetic of progress, kept apart from the database so that it can be proven.

All figures are fractions from 0 to 1, or None where progress is undefined (a key result whose
target equals its start): undefined is shown as such, never as 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal


def key_result_progress(start, target, current) -> float | None:
    """(current − start) / (target − start), clamped to 0–1.

    The same formula serves increasing and decreasing metrics: for "churn from 8 % to 5 %" both
    numerator and denominator are negative while churn falls.
    """
    if start is None or target is None or current is None:
        return None
    start, target, current = Decimal(start), Decimal(target), Decimal(current)
    if target == start:
        return None
    fraction = (current - start) / (target - start)
    return float(min(Decimal(1), max(Decimal(0), fraction)))


def milestone_progress(done: bool) -> float:
    return 1.0 if done else 0.0


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of (progress, weight) pairs, skipping undefined progress; None when nothing counts."""
    total = weight_sum = 0.0
    for progress, weight in pairs:
        if progress is None or weight <= 0:
            continue
        total += progress * weight
        weight_sum += weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def expected_progress(start: date, end: date, today: date) -> float:
    """Where a goal would be on a straight line from its start to its end date."""
    if today <= start:
        return 0.0
    if today >= end:
        return 1.0
    return (today - start).days / (end - start).days


# A goal is not judged before it had time: for the first tenth of the time it has (from the
# day it was set, or its start when set before), whatever it shows suggests "on track".
GRACE_SHARE = 0.1


def measured_from(start: date, since: date | None) -> date:
    """Where a goal's ideal line starts: its start date, or the day it was set when that was
    later (a quarter's goal written in its sixth week is not six weeks behind)."""
    return max(start, since) if since is not None else start


def in_grace(start: date, end: date, today: date, since: date | None = None) -> bool:
    begin = measured_from(start, since)
    return (today - begin).days < GRACE_SHARE * max(1, (end - begin).days)


def suggested_status(
    progress: float | None, start: date, end: date, today: date, since: date | None = None
) -> str | None:
    """A suggestion only: the owner decides. Compares progress with the time elapsed since
    `start` or, when later, `since` (the day the goal was set); during the first tenth of that
    time (`GRACE_SHARE`) a goal is on track whatever it shows, so a new goal never opens as
    "off track"."""
    if progress is None:
        return None
    if progress >= 1:
        return "done"
    if in_grace(start, end, today, since):
        return "on_track"
    gap = expected_progress(measured_from(start, since), end, today) - progress
    if gap <= 0.1:
        return "on_track"
    if gap <= 0.3:
        return "at_risk"
    return "off_track"
