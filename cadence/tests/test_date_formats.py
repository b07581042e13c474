"""Dates and times read alike on every page, in each language's one style (cadence/formats):
"9 Dec 2026, 14:30" in English, "9 dec 2026, 14:30" in Dutch; no "Dec. 9, 2026" beside it, no
"p.m." (whose full stop doubles a sentence's). Templates name a format, never spell one out."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import FORMAT_SETTINGS

from conversations.tests.factories import held, make_conversation

ROOT = Path(settings.BASE_DIR)
DAY = date(2026, 12, 9)
MOMENT = datetime(2026, 12, 9, 14, 30)
SHOWN = Template(
    '{{ day|date:"DATE_FORMAT" }} | {{ day|date:"MONTH_DAY_FORMAT" }} | {{ day }} | '
    '{{ moment|date:"DATETIME_FORMAT" }} | {{ moment|time:"TIME_FORMAT" }} | {{ moment }} | '
    '{{ march|date:"DATE_FORMAT" }}'
)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "en",
            "9 Dec 2026 | 9 Dec | 9 Dec 2026 | 9 Dec 2026, 14:30 | 14:30 | 9 Dec 2026, 14:30 | "
            "3 Mar 2026",
        ),
        # Dutch writes month names, and their abbreviations, in lower case.
        (
            "nl",
            "9 dec 2026 | 9 dec | 9 dec 2026 | 9 dec 2026, 14:30 | 14:30 | 9 dec 2026, 14:30 | "
            "3 mrt 2026",
        ),
    ],
)
def test_each_language_writes_dates_in_one_style(language, expected):
    context = Context({"day": DAY, "moment": MOMENT, "march": date(2026, 3, 3)})
    with translation.override(language):
        assert SHOWN.render(context) == expected


# Formats for machines (a <time datetime>, the zone's abbreviation), not for reading.
MACHINE = {"c", "Y-m-d", "T", "U"}


def test_templates_name_their_formats_rather_than_spell_them_out():
    spelled = []
    for path in ROOT.glob("*/templates/**/*"):
        if ".venv" in path.parts or not path.is_file():
            continue
        text = path.read_text()
        for argument in re.findall(r"\|(?:date|time):(?:\"([^\"]*)\"|'([^']*)')", text):
            value = "".join(argument)
            if value not in FORMAT_SETTINGS and value not in MACHINE:
                spelled.append(f"{path.relative_to(ROOT)}: {value}")
    assert not spelled, f"use a named format (cadence/formats): {spelled}"


@pytest.mark.parametrize(
    "language, shown, not_shown",
    [("en", "9 Dec 2026", ["Dec. 9", "December 9"]), ("nl", "9 dec 2026", ["9 Dec", "dec."])],
)
def test_a_page_shows_the_same_style_as_the_formats(
    client, cast, login, language, shown, not_shown
):
    held(make_conversation(cast.alice, due=DAY), on=DAY)
    cast.alice.language = language
    cast.alice.save()
    html = login(cast.alice).get("/conversations/").text
    assert shown in html
    for wrong in not_shown:
        assert wrong not in html
    assert "p.m." not in html and "a.m." not in html
