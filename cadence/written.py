"""Dates written as the `date` template filter writes them, for rows rendered in Python
(`Written`), tested against the filter in `trust/tests/test_access_log_rows_html.py`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape


def local(value: datetime) -> datetime:
    """A datetime as a template has it (`template_localtime`): in the current time zone."""
    if settings.USE_TZ and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


# A datetime's letters that are not the time's (`dateformat.TimeFormat`) yet not the day's alone.
_OF_THE_MOMENT = frozenset("crUI")


class Written:
    """`value|date:format` for datetimes (in the current time zone, as a template
    has them), escaped, for the rows of a list: the format split into its letters once and
    what a letter of the day says (a month's name, translated) worked out once per day; the
    `date` filter splits the format and translates the month again for every value.

        written = Written(get_format("DATE_FORMAT"))  # in the language of the page
        written.of(local(feedback.created_at))
    """

    def __init__(self, format_string: str) -> None:
        self.parts: list[tuple[str, bool, str]] = []  # (letter, of the day?, text)
        for i, piece in enumerate(dateformat.re_formatchars.split(str(format_string))):
            if i % 2:
                of_day = piece not in _OF_THE_MOMENT and not hasattr(dateformat.TimeFormat, piece)
                self.parts.append((piece, of_day, ""))
            elif piece:
                self.parts.append(("", False, dateformat.re_escaped.sub(r"\1", piece)))
        self.days: dict[tuple[Any, str], str] = {}

    def of(self, value: datetime | date) -> str:
        formatter = dateformat.DateFormat(value)
        said = []
        for letter, of_day, text in self.parts:
            if not letter:
                said.append(text)
            elif of_day:
                key = (value.date() if isinstance(value, datetime) else value, letter)
                day = self.days.get(key)
                if day is None:
                    day = self.days[key] = str(getattr(formatter, letter)())
                said.append(day)
            else:
                said.append(str(getattr(formatter, letter)()))
        return conditional_escape("".join(said))
