"""The periods a goal can cover, as offered on the goal form and used to copy a goal forward."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from goals.models import quarter_of

THIS_QUARTER, NEXT_QUARTER, THIS_YEAR, CUSTOM = (
    "this_quarter",
    "next_quarter",
    "this_year",
    "custom",
)

PERIOD_CHOICES = [
    (THIS_QUARTER, _("This quarter")),
    (NEXT_QUARTER, _("Next quarter")),
    (THIS_YEAR, _("This year")),
    (CUSTOM, _("Other dates")),
]


def period_dates(choice: str, today: date) -> tuple[date, date] | None:
    """The dates of a named period around `today`; None for custom dates."""
    if choice == THIS_QUARTER:
        return quarter_of(today)
    if choice == NEXT_QUARTER:
        return quarter_of(quarter_of(today)[1] + timedelta(days=1))
    if choice == THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None


def is_year(start: date, end: date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
        start.year == end.year
    )


def next_period(start: date, end: date) -> tuple[date, date]:
    """The period after this one: the next quarter, the next year, or as many days again."""
    if (start, end) == quarter_of(start):
        return quarter_of(end + timedelta(days=1))
    if is_year(start, end):
        return date(start.year + 1, 1, 1), date(end.year + 1, 12, 31)
    return end + timedelta(days=1), end + (end - start) + timedelta(days=1)
