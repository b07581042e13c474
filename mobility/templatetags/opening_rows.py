"""The openings list's rows (`mobility/index.html`), written in Python: byte for byte what its
loop gave with `mobility/_fit.html` included in each row (`mobility/tests/test_opening_rows_html.py`
keeps the loop and renders the include beside them, in English and Dutch). At 10,000 people
the list shows some 65 openings; the loop reversed a URL, translated the same labels and
included a template in every row, about a third of the page's time."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cadence.rows import Words, value
from mobility.queries import Fit

register = template.Library()


class FitWords(Words):
    """What the rows say again and again, translated once per list (in the language active
    while it is written), where written, outside f-strings, where makemessages finds them. A
    `{% translate %}` is written as it is translated (the template does not escape it), a
    `{% blocktranslate %}`'s values escaped."""

    def __init__(self) -> None:
        super().__init__()
        self.team = gettext("Team")
        self.level = gettext("Level")
        self.your_fit = gettext("Your fit")
        self.met = gettext("%(met)s of %(total)s met")
        self.stale = ' <span class="muted">(' + gettext("assessed over a year ago") + ")</span>"
        self.no_levels = '<span class="muted">' + gettext("no levels to compare") + "</span>"
        self.no_profile = '<span class="muted">' + gettext("no role profile") + "</span>"
        self.target = ' <span class="badge">' + gettext("your plan's target") + "</span>"
        self.badges: dict[str, str] = {}

    def badge(self, words: str) -> str:
        found = self.badges.get(words)
        if found is None:
            found = self.badges[words] = f' <span class="badge">{value(words)}</span>'
        return found


def fit_html(fit: Fit, words: FitWords) -> str:
    """`mobility/_fit.html` for one fit, as it writes it (with its closing newline)."""
    out = []
    readiness = fit.readiness
    if readiness:
        out.append(words.met % {"met": value(readiness.met), "total": value(readiness.total)})
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
        url = w.url("mobility:opening", opening.pk)
        out.append(
            f'<tr>\n    <td><a href="{url}">{value(opening.title)}</a> '
            f'<span class="muted">{value(opening.role.name)}</span></td>\n'
            f'    <td data-label="{w.team}">{value(opening.team.name)}</td>\n'
            f'    <td data-label="{w.level}">{value(opening.level)}</td>\n'
            f'    <td data-label="{w.your_fit}">{fit_html(fit, w)}</td>\n  </tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
