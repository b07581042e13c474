"""An assessment's ratings written in Python, byte for byte what growth/_rating.html gives
(`growth/tests/test_rating_html.py` compares them through every branch, in English and Dutch):
the assessment page shows up to three per competency (each side's once shared, the agreed
level), and including the template for each was about half of the page's rendering."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cadence.rows import Words, value

register = template.Library()


def _day(w: Words, moment: Any) -> str:
    """`{{ moment|date:"DATE_FORMAT" }}`, in the current time zone as the filter shows it."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return value(w.date(moment, "DATE_FORMAT"))


def rating_html(rating: Any, w: Words | None = None) -> str:
    """growth/_rating.html for `rating` (its goals and feedback prefetched, `level_name` set by
    the page), with the line end the include gives."""
    w = w or Words()
    if rating.level:
        name = value(getattr(rating, "level_name", ""))
        level = f"<strong>{value(rating.level)} · {name}</strong>"
    else:
        level = value(gettext("Not assessed"))
    out = [f'<p class="rated-level">{level}</p>\n']
    if rating.text:
        out.append(f'<p class="wrap-anywhere">{linebreaksbr(rating.text, autoescape=True)}</p>')
    out.append("\n")
    goals = rating.goals.all()
    if goals:
        said = value(gettext("Goals:"))
        links = "".join(
            f'<li><a href="{value(goal.get_absolute_url())}">{value(goal.title)}</a></li>'
            for goal in goals
        )
        out.append(f'<p class="muted">{said}</p><ul class="plain">{links}</ul>')
    out.append("\n")
    feedback = rating.feedback.all()
    if feedback:
        said = value(gettext("Feedback attached:"))
        links = "".join(
            f'<li><a href="{value(given.get_absolute_url())}">{value(given.giver.name)}, '
            f"{_day(w, given.created_at)}</a></li>"
            for given in feedback
        )
        out.append(f'<p class="muted">{said}</p><ul class="plain">{links}</ul>')
    out.append("\n")
    return "".join(out)


@register.simple_tag
def rating_shown(rating: Any) -> SafeString:
    """`{% include "growth/_rating.html" %}` with `rating`."""
    return mark_safe(rating_html(rating))  # noqa: S308 - every value escaped above
