"""`{% who_sees who %}`: who can see an item, or any of several (`who`, an
`access.who.WhoSees`), as every item page's "who can see this" and My data show it.

Built in Python, not in a template: My data shows it for every kind of data (about 40 times a
page), and the template's loops, lookups and includes took about half the page's time. The HTML
is what the template `cadence/who_sees.html` (with `cadence/who_names.html`) gave before, byte
for byte, with the same messages to translate (`access/tests/test_who_sees_html.py` renders that
template beside it). As there, `{% translate %}` messages and the words around a
`{% blocktranslate %}`'s values are not escaped (they are the translator's); names, roles and
numbers are. Messages are asked for outside f-strings, where makemessages finds them.
"""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from access.who import Seen, WhoSees
from people.models import Person

register = template.Library()


@register.simple_tag
def who_sees(who: Any) -> SafeString:
    """Who can see it (`who`; anything else, as a missing variable: "Nobody.")."""
    return who_sees_html(who if isinstance(who, WhoSees) else None)


def who_sees_html(who: WhoSees | None) -> SafeString:
    """The HTML of "who can see this": "Only you.", "Nobody." or a list of roles and people."""
    if who is not None and who.only_reader:
        only = gettext("Only you.")
        body = f'<p class="who-only">{only}</p>\n'
    elif who is None or not who.lines:
        nobody = gettext("Nobody.")
        body = f'<p class="who-only">{nobody}</p>\n'
    else:
        numbers: dict[int, str] = {}

        def number(value: int) -> str:  # as a template shows it: localised, escaped
            try:
                return numbers[value]
            except KeyError:
                shown = numbers[value] = _escaped(localize(value))
                return shown

        reader = who.reader.pk if who.reader is not None else None
        items = "".join(_line(line, reader, number) for line in who.lines)
        body = f'<ul class="plain who-sees">\n{items}\n</ul>'
    return mark_safe(f"\n{body}\n")  # noqa: S308 - every name, role and number escaped


def _line(line: Seen, reader: int | None, number: Any) -> str:
    """One `<li>`: the role, and who is in it (`reader`: their id)."""
    if line.everyone or line.example:
        out = f"<strong>{_escaped(_capfirst(line.label))}</strong>"
        if line.example:
            whoever = gettext("(whoever that is)")
            out += f' <span class="muted">{whoever}</span>'
        out += "\n"
    elif line.count == 1:
        person: Any = line.people[0] if line.people else ""
        is_reader = _is(person, reader)
        if is_reader and line.mine:
            out = f"<strong>{_escaped(_capfirst(line.label))}</strong>"
        elif is_reader:
            you = gettext("You")
            out = f"<strong>{you}</strong> — {_escaped(line.label)}"
        else:
            name = _escaped(getattr(person, "name", ""))
            out = f"<strong>{name}</strong> — {_escaped(line.label)}"
        out += "\n"
    else:
        people = ngettext("%(counter)s person", "%(counter)s people", line.count) % {
            "counter": number(line.count)
        }
        out = f"<strong>{_escaped(_capfirst(line.label))}</strong>: {people}\n"
        names = _names(line, reader, number)
        if line.count <= 5:
            out += f'<span class="who-names">({names})</span>\n'
        else:
            who_they_are = gettext("Who they are")
            out += (
                f'<details class="audience"><summary>{who_they_are}</summary>'
                f'<p class="who-names">{names}</p></details>'
            )
        out += "\n"
    partial = ""
    if line.partial:
        of = gettext("(%(items)s of %(total)s)") % {
            "items": number(line.items),
            "total": number(line.total),
        }
        partial = f'<span class="muted">{of}</span>'
    return f"<li>\n{out}\n{partial}\n</li>"


def _names(line: Seen, reader: int | None, number: Any) -> str:
    """The people of a line, each with how many of the items where not all, and how many more."""
    parts = []
    for person, items in line.each:
        part = _escaped(person.name)
        if _is(person, reader):
            part += " " + gettext("(you)")
        if items:
            counted = ngettext("%(counter)s item", "%(counter)s items", items) % {
                "counter": number(items)
            }
            part += f' <span class="muted">{counted}</span>'
        parts.append(part)
    out = ", ".join(parts)
    if line.more:
        out += " " + gettext("and %(more)s more") % {"more": number(line.more)}
    return out


def _is(person: Person | str, reader: int | None) -> bool:
    """Whether `person` is the reader (by id): as `person == reader` is for saved people, without
    Django's model comparison through the lazy `request.user` (thousands of times a page)."""
    return reader is not None and getattr(person, "pk", None) == reader


def _capfirst(text: str) -> str:
    """As the filter `capfirst`: the first letter in capitals."""
    return text[:1].upper() + text[1:]


def _escaped(text: Any) -> str:
    """As a template shows a value (`conditional_escape`): escaped unless already safe; without
    Django's wrapper for lazy text, which cost more than the escaping."""
    as_html = getattr(text, "__html__", None)
    return as_html() if as_html is not None else html.escape(str(text))
