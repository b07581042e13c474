"""The openings list's rows (`mobility/index.html`), written in Python: byte for byte what its
loop gave with `mobility/_fit.html` included in each row (`mobility/tests/test_opening_rows_html.py`
keeps the loop and renders the include beside them, in English and Dutch). At 10,000 people
the list shows some 65 openings; the loop reversed a URL, translated the same labels and
included a template in every row, about a third of the page's time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from mobility.queries import Fit

register = template.Library()

# An id no page shows, to find where an opening's id goes in its reversed URL.
_SOME_ID = 918273645546372819


def _v(value: Any) -> str:
    """`{{ value }}`: localised and escaped, as a template shows it."""
    value = localize(value)
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


class FitWords:
    """What the rows say again and again, translated once per list (in the language active
    while it is written), where written, outside f-strings, where makemessages finds them. A
    `{% translate %}` is written as it is translated (the template does not escape it), a
    `{% blocktranslate %}`'s values escaped."""

    def __init__(self) -> None:
        self.team = gettext("Team")
        self.level = gettext("Level")
        self.your_fit = gettext("Your fit")
        self.met = gettext("%(met)s of %(total)s met")
        self.stale = ' <span class="muted">(' + gettext("assessed over a year ago") + ")</span>"
        self.no_levels = '<span class="muted">' + gettext("no levels to compare") + "</span>"
        self.no_profile = '<span class="muted">' + gettext("no role profile") + "</span>"
        self.target = ' <span class="badge">' + gettext("your plan's target") + "</span>"
        self.badges: dict[str, str] = {}
        parts = reverse("mobility:opening", args=[_SOME_ID]).split(str(_SOME_ID))
        self.opening_url = parts if len(parts) == 2 else None

    def url(self, pk: Any) -> str:
        """`{% url 'mobility:opening' pk %}`: the pattern reversed once, the id put in it."""
        if self.opening_url is None or type(pk) is not int:
            return conditional_escape(reverse("mobility:opening", args=[pk]))
        return conditional_escape(f"{self.opening_url[0]}{pk}{self.opening_url[1]}")

    def badge(self, words: str) -> str:
        found = self.badges.get(words)
        if found is None:
            found = self.badges[words] = f' <span class="badge">{_v(words)}</span>'
        return found


def fit_html(fit: Fit, words: FitWords) -> str:
    """`mobility/_fit.html` for one fit, as it writes it (with its closing newline)."""
    out = []
    readiness = fit.readiness
    if readiness:
        out.append(words.met % {"met": _v(readiness.met), "total": _v(readiness.total)})
        if readiness.stale:
            out.append(words.stale)
    elif fit.step:
        out.append(words.no_levels)
    else:
        out.append(words.no_profile)
    if fit.target:
        out.append(words.target)
    out.extend(words.badge(said) for said in fit.match_words)
    out.append("\n")
    return "".join(out)


@register.simple_tag
def opening_rows(fits: Iterable[Fit]) -> SafeString:
    """The list's rows: each opening linked, its role, team and level, and the viewer's fit."""
    w = FitWords()
    out = []
    for fit in fits:
        opening = fit.opening
        out.append(
            f'<tr>\n    <td><a href="{w.url(opening.pk)}">{_v(opening.title)}</a> '
            f'<span class="muted">{_v(opening.role.name)}</span></td>\n'
            f'    <td data-label="{w.team}">{_v(opening.team.name)}</td>\n'
            f'    <td data-label="{w.level}">{_v(opening.level)}</td>\n'
            f'    <td data-label="{w.your_fit}">{fit_html(fit, w)}</td>\n  </tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
