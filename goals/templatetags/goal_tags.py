"""Template filters for goals: progress as a percentage, undefined shown as such; the rows of
a goal list written in Python (`goal_rows`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from goals.queries import GoalRow

register = template.Library()


@register.filter
def percent(value):
    """0.425 → "43 %"; None (undefined progress) → "—", never 0."""
    if value is None:
        return "—"
    return f"{number_format(round(float(value) * 100))} %"


@register.filter
def percent_value(value):
    """0.425 → 43, for <progress> and <meter> elements; None → empty."""
    return "" if value is None else round(float(value) * 100)


def _text(value: Any) -> str:
    """A value as `{{ value }}` writes it: localised, escaped."""
    return str(conditional_escape(str(localize(value))))


def _avatar(person: Any) -> str:
    """`cadence/avatar.html` with size "sm"."""
    hue = round(float(person.avatar_hue) / 30.0)
    initials = _text(person.initials)
    return f'<span class="avatar avatar-sm hue-{hue}" aria-hidden="true">{initials}</span>\n'


def goal_row_html(row: GoalRow, team_url: str = "", messages: Iterable[Any] | None = None) -> str:
    """One row as `goals/_goal_row.html` writes it, byte for byte (with `messages`: the row
    after a saved update, `saved`): `goals/tests/test_goal_row_html.py` compares the two on
    every kind of row. In Python, as the lists show dozens (the template took a third of
    My team's goals)."""
    goal = row.goal
    title = _text(goal.title)
    if goal.owner_person:
        person = goal.owner_person
        owner = (
            f'<span class="person-cell">{_avatar(person)}'
            f'<a href="{_text(person.get_absolute_url())}">{_text(person.name)}</a></span>\n      '
        )
    elif goal.owner_team:
        only = _text(gettext("Show only this team’s goals"))
        owner = (
            f'<a href="{_text(team_url)}?team={_text(goal.owner_team_id)}" title="{only}">'
            f"{_text(goal.owner_team.name)}</a>\n      "
        )
    else:
        owner = _text(gettext("Company"))
    if row.percent is None:
        undefined = _text(gettext("Progress cannot be worked out yet"))
        progress = f'<span class="muted" title="{undefined}">—</span>'
    else:
        percent = _text(row.percent)
        words = gettext("%(percent)s%%") % {"percent": percent}
        progress = (
            f'<progress max="100" value="{percent}" aria-hidden="true"></progress> '
            f"<span>{words}</span>"
        )
    actions = ""
    if row.can_edit:
        update = _text(reverse("goals:update", args=[goal.pk]))
        label = _text(gettext("Update"))  # outside the f-string, where makemessages finds it
        actions = (
            f'<a class="button small" href="{update}" hx-get="{update}" '
            f'hx-target="closest .goal-row" hx-swap="outerHTML">{label}'
            f'<span class="visually-hidden"> {title}</span></a>'
        )
    attention = ""
    if row.reasons:
        reasons = "; ".join(_text(reason) for reason in row.reasons)
        mark = _text(gettext("Needs attention"))
        attention = f'<p class="attention"><span class="attention-mark">{mark}</span> {reasons}</p>'
    saved = ""
    if messages is not None:
        said = "".join(_text(message) for message in messages)
        saved = f'<p class="goal-saved" role="status">{said}</p>'
    return (
        f'\n<li class="goal-row{" needs-attention" if row.reasons else ""}">\n'
        f'  <div class="goal-main">\n'
        f'    <a class="goal-title" href="{_text(reverse("goals:goal", args=[goal.pk]))}">'
        f"{title}</a>\n"
        f'    <span class="goal-meta">\n'
        f"      {owner}\n"
        f'      <span class="muted"><span class="goal-sep">· </span>'
        f"{_text(goal.get_kind_display())} · {_text(goal.period_label)}</span>\n"
        f"    </span>\n"
        f"  </div>\n"
        f'  <span class="status status-{_text(goal.status)}">'
        f"{_text(goal.get_status_display())}</span>\n"
        f'  <span class="goal-progress">{progress}</span>\n'
        f'  <span class="goal-actions">{actions}</span>\n'
        f"  {attention}\n"
        f"  {saved}\n"
        f"</li>\n\n"
    )


@register.simple_tag(takes_context=True)
def goal_rows(context: template.Context, rows: Iterable[GoalRow]) -> SafeString:
    """`{% for row in rows %}{% include "goals/_goal_row.html" %}{% endfor %}`, written in
    Python (`goal_row_html`)."""
    team_url = context.get("team_url") or ""
    html = "".join(goal_row_html(row, team_url) for row in rows)
    return mark_safe(html)  # noqa: S308 - every value escaped by goal_row_html
