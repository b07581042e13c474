"""A team heatmap's rows, written in Python: a manager's page has a cell per report and
competency (132 for a dozen reports and eleven competencies). An included template per cell
cost more than the rest of the page; a tag per cell still asked for a URL, two or three
translations and a date's format again in every cell (a third of the page's time). The rows
are now written here, what repeats worked out once per page (`HeatWords`), byte for byte what
the template's loop and its cell tag gave (`talent/tests/test_heat_rows_html.py` keeps them
and compares, in English and Dutch)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cadence.rows import Words
from growth.models import Side
from plans.readiness import STALE_DAYS
from talent.queries import ABOVE, AT, BELOW, NOT_ASSESSED, NOT_EXPECTED, Cell, Row

register = template.Library()

# Each state's symbol, beside its words (never colour alone): the team page's legend too.
_MARKS = {BELOW: "▼", AT: "●", ABOVE: "▲", NOT_ASSESSED: "?", NOT_EXPECTED: "–"}


def _e(value: Any) -> str:
    """`{{ value }}` / a `format_html` argument: escaped unless already safe."""
    return conditional_escape(value)


class HeatWords(Words):
    """What a heatmap's cells say again and again, worked out once per page (in the language
    active while it is written): each state's words for a pair of level names, the dates, the
    URL patterns. The messages are translated where written, outside f-strings, where
    makemessages finds them."""

    def __init__(self) -> None:
        super().__init__()
        self.today = timezone.localdate()
        self.no_profile = _e(gettext("No role profile"))
        self.said: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self.whens: dict[tuple[date, str, bool], str] = {}

    def inner(self, cell: Cell) -> str:
        """What a cell's link holds: the symbol, the level against the expectation, in words."""
        key = (cell.state, cell.level_name, cell.expected_name)
        parts = self.said.get(key)
        if parts is None:
            parts = self.said[key] = self._said_parts(cell)
        if cell.state == NOT_ASSESSED:
            return parts[0]
        if cell.state == NOT_EXPECTED:
            return f"{parts[0]}{f'{cell.level} ' if cell.level else ''}{parts[1]}"
        return f"{parts[0]}{cell.level} / {cell.expected}{parts[1]}"

    def _said_parts(self, cell: Cell) -> tuple[str, ...]:
        """What a cell of this state and these level names says around its numbers."""
        mark = f'<span aria-hidden="true">{_MARKS[cell.state]}</span> '
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
        elif cell.state == NOT_ASSESSED:
            expected = gettext("expected %(expected)s") % {"expected": cell.expected_name}
            not_assessed = gettext("not assessed")
            return (
                f'{mark}{_e(not_assessed)}<span class="visually-hidden">, {_e(expected)}</span>',
            )
        else:
            return (mark, _e(gettext("not expected")))
        return (mark, f'<span class="visually-hidden">: {_e(said)}</span>')

    def when(self, cell: Cell) -> str:
        """The date line under a cell assessed on a day: when, by whom, and whether it is
        stale (as `Cell.stale`, against this page's day)."""
        assert cell.on is not None
        stale = (self.today - cell.on).days > STALE_DAYS
        key = (cell.on, cell.source, stale)
        found = self.whens.get(key)
        if found is None:
            on = date_format(cell.on, "SHORT_DATE_FORMAT")
            said = (
                gettext("agreed %(on)s") % {"on": on}
                if cell.source == Side.AGREED
                else gettext("manager %(on)s") % {"on": on}
            )
            later = " · " + gettext("over a year ago") if stale else ""
            found = self.whens[key] = f'<br><span class="heat-date">{_e(said)}{_e(later)}</span>'
        return found


def cell_html(row: Row, cell: Cell, words: HeatWords) -> str:
    """One cell's content: the level against the expectation, with a symbol and in words
    (never colour alone), linked to the competency's history, and when it was agreed or
    shared."""
    link = words.url("growth:competency_history", row.person.pk, cell.key)
    html = f'<a href="{link}">{words.inner(cell)}</a>'
    if cell.on:
        html += words.when(cell)
    return html


@register.simple_tag
def heat_rows(rows: Iterable[Row]) -> SafeString:
    """The heatmap's body rows: each report, linked, with their role profile, and a cell per
    competency."""
    words = HeatWords()
    out = []
    for row in rows:
        person = row.person
        url = words.url("people:person", person.pk)
        out.append(f'\n      <tr>\n        <th scope="row"><a href="{url}">{_e(person.name)}</a>')
        if row.step:
            out.append(f'<br><span class="muted">{_e(row.step.profile.title)}</span>')
        else:
            out.append(f'<br><span class="muted">{words.no_profile}</span>')
        out.append("</th>\n        ")
        for cell in row.cells:
            out.append(
                f'\n        <td class="heat heat-{_e(cell.state)}">'
                f"{cell_html(row, cell, words)}</td>\n        "
            )
        out.append("\n      </tr>\n    ")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
