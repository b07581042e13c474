"""Filters of Insights' chart partials."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def worded(key: Any, chart: Any) -> str:
    """The words of a key of the chart's stored data, in the reader's language."""
    return str(chart.label(str(key)))


@register.filter
def isodate(value: Any) -> date | None:
    """A date stored as an ISO string, as a date (for `|date`)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def pvalue(value: Any) -> str:
    """A p-value as "= 0.034", or "< 0.001" when smaller."""
    if value is None:
        return "—"
    number = float(value)
    if number < 0.001:
        return f"< {number_format(0.001, 3)}"
    return f"= {number_format(number, 3)}"
