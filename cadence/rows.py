"""What the pages that write their rows in Python share (`conversations`' and `plans`' rows,
an assessment's ratings): a value as `{{ value }}` shows it, `{% csrf_token %}`, and what rows
say again and again looked up once per page (`Words`: dates, URL patterns). Each module that
uses them compares its rows with the templates they replace, byte for byte."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

# An id no page shows, to find where an id goes in a reversed URL (`Words.url`).
_SOME_ID = 918273645546372819


class Words:
    """What rows say again and again, looked up once per page: dates as the `date` filter
    formats them, URL patterns. Translations are asked for where they are used, outside
    f-strings, where makemessages finds them."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], Any] = {}

    def date(self, value: Any, format: str) -> str:
        """`value|date:format`, the format's name (DATE_FORMAT) looked up once, each day
        written once."""
        if value in (None, ""):
            return ""
        key = ("day", value, getattr(value, "tzinfo", None), type(value), format)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = self._date(value, format)
        return found

    def _date(self, value: Any, format: str) -> str:
        key = ("format", format)
        if key not in self.found:
            self.found[key] = get_format(format)
        if type(value) is date:  # the format split into its parts once (`dateformat.format`)
            parts = self._parts(self.found[key])
            if parts is not None:
                formatter = dateformat.DateFormat(value)
                return "".join(
                    str(getattr(formatter, part)()) if letter else part for letter, part in parts
                )
        try:
            return dateformat.format(value, self.found[key])
        except AttributeError:
            return date_filter(value, format)

    def _parts(self, format_string: str) -> tuple[tuple[bool, str], ...] | None:
        """A date format's letters and the text between them, as `dateformat.Formatter` splits
        it; None when it has a time's letter (`dateformat.format` refuses it for a date)."""
        key = ("parts", format_string)
        if key not in self.found:
            parts: list[tuple[bool, str]] = []
            for i, piece in enumerate(dateformat.re_formatchars.split(str(format_string))):
                if i % 2:
                    if hasattr(dateformat.TimeFormat, piece):
                        self.found[key] = None
                        return None
                    parts.append((True, piece))
                elif piece:
                    parts.append((False, dateformat.re_escaped.sub(r"\1", piece)))
            self.found[key] = tuple(parts)
        return self.found[key]

    def path(self, name: str) -> str:
        """`{% url name %}` (no arguments), reversed once."""
        key = ("path", name)
        if key not in self.found:
            self.found[key] = _url(name)
        return self.found[key]

    def url(self, name: str, pk: int, *rest: Any) -> str:
        """`{% url name pk *rest %}`: the pattern reversed once per name and `rest`, the id put
        in it."""
        key = ("url", name, *rest)
        if key not in self.found:
            parts = reverse(name, args=[_SOME_ID, *rest]).split(str(_SOME_ID))
            self.found[key] = parts if len(parts) == 2 else None
        parts = self.found[key]
        if parts is None:
            return _url(name, pk, *rest)
        return conditional_escape(f"{parts[0]}{int(pk)}{parts[1]}")


def value(value: Any) -> str:
    """`{{ value }}`: localised and escaped, as a template shows it."""
    value = localize(value)
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def csrf(token: Any) -> str:
    """`{% csrf_token %}`."""
    if not token:
        return ""
    if token == "NOTPROVIDED":  # noqa: S105 - not a password: as CsrfTokenNode reads it
        return mark_safe("")  # as CsrfTokenNode, without format_html's deprecated empty call
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _url(name: str, *args: Any) -> str:
    return conditional_escape(reverse(name, args=args or None))
