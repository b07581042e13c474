"""Filters of Insights' chart partials."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.formats import localize, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def team_options(insights: Any) -> SafeString:
    """The team filter's `<option>`s, one per team the viewer chooses from (HR's: every team,
    some 1,500 at 10,000 people), written in Python rather than by a template loop that tested
    and resolved five variables per team (most of HR's page's rendering). As the loop wrote
    them: the chosen team selected, names escaped."""
    chosen = insights.team.pk if insights.team else None
    return mark_safe(  # noqa: S308 - the ids are integers, every name escaped
        "".join(
            f'<option value="{team.pk}"{" selected" if team.pk == chosen else ""}>'
            f"{escape(team.name)}</option>"
            for team in insights.teams
        )
    )


@register.simple_tag
def table_rows(item: Any) -> SafeString:
    """A chart's table body, `<tr>` by `<tr>`, each cell with its column's words for narrow
    screens (`data-label`) and its value as a template would show it (localised, escaped, "—"
    when there is none). In Python, not in a template loop, and each distinct value shown once:
    HR's page has thousands of cells, whose loop took most of the page's time to render."""
    labels = [escape(str(column.label)) for column in item.chart.columns]
    shown: dict[Any, str] = {}

    def cell_html(value: Any) -> str:
        if value is None:
            return "—"
        key = (type(value), value)
        try:
            return shown[key]
        except KeyError:
            shown[key] = escape(localize(value))
        except TypeError:  # not hashable: shown each time
            return escape(localize(value))
        return shown[key]

    rows = (
        "<tr>"
        + "".join(
            f'<td data-label="{label}">{cell_html(value)}</td>'
            for label, value in zip(labels, cells, strict=True)
        )
        + "</tr>"
        for cells in item.table()
    )
    return mark_safe("".join(rows))  # noqa: S308 - every label and value escaped above
