"""The team heatmap's rows are written in Python (`talent.templatetags.heatmap.heat_rows`):
byte for byte what the template's loop and its cell tag gave (both kept beside this file, as
they were), for every state of a cell, dated or not, stale or not, agreed or the manager's,
with and without a role profile, escaped and translated alike."""

import copy
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.template import Context, Engine
from django.utils import timezone, translation

from growth.models import Side
from growth.tests.helpers import as_
from talent import queries
from talent.queries import ABOVE, AT, BELOW, NOT_ASSESSED, NOT_EXPECTED

ENGINE = Engine(
    libraries={
        "i18n": "django.templatetags.i18n",
        "heatmap": "talent.templatetags.heatmap",
        "old_heatmap": "talent.tests.old_heatmap",
    }
)
# The page's loop, as the template had it before `heat_rows`.
OLD = ENGINE.from_string(
    "{% load i18n old_heatmap %}<tbody>\n"
    + (Path(__file__).parent / "heat_loop.html").read_text()
    + "\n    </tbody>"
)
NEW = ENGINE.from_string("{% load heatmap %}<tbody>\n    {% heat_rows rows %}\n    </tbody>")


def _variants(rows):
    """The rows of a real heatmap, and copies of them through every branch a row and a cell
    have: each state, levels and level names with characters to escape, no role profile,
    agreed and manager's dates, a stale one."""
    found = list(rows)
    base = rows[0]
    today = timezone.localdate()
    person = copy.copy(base.person)
    person.name = "O'Brien & <Sons>"
    odd = copy.copy(base)
    odd.person, odd.step = person, None
    cell = base.cells[0]
    odd.cells = [
        replace(cell, state=BELOW, level=1, expected=2, level_name="<b>", expected_name='"x"'),
        replace(cell, state=AT, level=2, expected=2, level_name="Two & co", on=today),
        replace(
            cell,
            state=ABOVE,
            level=3,
            expected=2,
            on=today - timedelta(days=400),
            source=Side.AGREED,
        ),
        replace(cell, state=NOT_ASSESSED, level=None, expected=3, on=None, expected_name="<3>"),
        replace(cell, state=NOT_EXPECTED, level=None, expected=None, on=None),
        replace(cell, state=NOT_EXPECTED, level=4, expected=None, on=today, source="manager"),
        replace(cell, key="leading-teams", state=BELOW, level=1, expected=3, on=today),
    ]
    found.append(odd)
    if base.step is not None:
        titled = copy.copy(base)
        titled.step = copy.copy(base.step)
        titled.step.profile = copy.copy(base.step.profile)
        titled.step.profile.title = "Lead <ops> & 'co'"
        found.append(titled)
    return found


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_rows_are_what_the_template_gave(cast, platform, language):
    heatmap = queries.team_heatmap(as_(cast.bob))
    assert len(heatmap.rows) == 6
    states = {cell.state for row in heatmap.rows for cell in row.cells}
    assert {BELOW, ABOVE, NOT_ASSESSED, NOT_EXPECTED} <= states
    rows = _variants(heatmap.rows)
    with translation.override(language):
        old = OLD.render(Context({"heatmap": {"rows": rows}, "rows": rows}))
        new = NEW.render(Context({"heatmap": {"rows": rows}, "rows": rows}))
    assert new == old
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in new and "&lt;b&gt;" in new
    if language == "nl":
        assert "niet beoordeeld" in new or "not assessed" not in new


def test_no_rows_write_nothing(cast, platform):
    empty = Context({"heatmap": {"rows": []}, "rows": []})
    assert NEW.render(empty) == OLD.render(empty)


def test_the_page_shows_the_rows(login, cast, platform):
    page = login(cast.bob).get("/talent/skills/team/").content.decode()
    heatmap = queries.team_heatmap(as_(cast.bob))
    rows = OLD.render(Context({"heatmap": heatmap}))
    assert rows in page
