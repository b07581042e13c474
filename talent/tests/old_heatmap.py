"""The team heatmap's cell tag as it was before the rows were written in Python
(`talent.templatetags.heatmap.heat_rows`), kept beside the loop that called it
(`heat_loop.html`) for `test_heat_rows_html` to compare them, as it was."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from growth.models import Side
from talent.queries import ABOVE, AT, BELOW, NOT_ASSESSED, NOT_EXPECTED, Cell, Row

register = template.Library()

# Each state's symbol, beside its words (never colour alone): the team page's legend too.
_MARKS = {BELOW: "▼", AT: "●", ABOVE: "▲", NOT_ASSESSED: "?", NOT_EXPECTED: "–"}


@register.simple_tag
def heat_cell(row: Row, cell: Cell) -> SafeString:
    """The level against the expectation, with a symbol and in words (never colour alone),
    linked to the competency's history, and when it was agreed or shared."""
    link = reverse("growth:competency_history", args=[row.person.pk, cell.key])
    if cell.state == BELOW:
        said = gettext("%(level)s, below the expected %(expected)s") % {
            "level": cell.level_name,
            "expected": cell.expected_name,
        }
    elif cell.state == AT:
        said = gettext("%(level)s, as expected") % {"level": cell.level_name}
    elif cell.state == ABOVE:
        said = gettext("%(level)s, above the expected %(expected)s") % {
            "level": cell.level_name,
            "expected": cell.expected_name,
        }
    else:
        said = ""
    if said:
        inner = format_html(
            '<span aria-hidden="true">{}</span> {} / {}<span class="visually-hidden">: {}</span>',
            _MARKS[cell.state],
            cell.level,
            cell.expected,
            said,
        )
    elif cell.state == NOT_ASSESSED:
        inner = format_html(
            '<span aria-hidden="true">{}</span> {}<span class="visually-hidden">, {}</span>',
            _MARKS[NOT_ASSESSED],
            gettext("not assessed"),
            gettext("expected %(expected)s") % {"expected": cell.expected_name},
        )
    else:
        inner = format_html(
            '<span aria-hidden="true">{}</span> {}{}',
            _MARKS[NOT_EXPECTED],
            f"{cell.level} " if cell.level else "",
            gettext("not expected"),
        )
    html = format_html('<a href="{}">{}</a>', link, inner)
    if cell.on:
        on = date_format(cell.on, "SHORT_DATE_FORMAT")
        when = (
            gettext("agreed %(on)s") % {"on": on}
            if cell.source == Side.AGREED
            else gettext("manager %(on)s") % {"on": on}
        )
        stale = " · " + gettext("over a year ago") if cell.stale else ""
        html = format_html('{}<br><span class="heat-date">{}{}</span>', html, when, stale)
    return html
