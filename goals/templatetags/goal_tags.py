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

from goals.models import Objective
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


# An id no page shows, to find where an id goes in a reversed URL (`RowWords.url`).
_SOME_ID = 918273645546372819


class RowWords:
    """What a list's rows say again and again, worked out once per list (in the language
    active while it is written): the messages, each kind's and status's name, the periods,
    the URL patterns. Thirty-five rows asked for some 450 translations and 100 URLs."""

    def __init__(self) -> None:
        self.urls: dict[str, list[str]] = {}
        self.goals: dict[tuple[Any, ...], tuple[str, str, str]] = {}
        # Translated where written, outside f-strings, where makemessages finds them.
        self.only_team = _text(gettext("Show only this team’s goals"))
        self.company = _text(gettext("Company"))
        self.undefined = _text(gettext("Progress cannot be worked out yet"))
        self.percent = gettext("%(percent)s%%")
        self.update = _text(gettext("Update"))
        self.attention = _text(gettext("Needs attention"))

    def url(self, name: str, pk: Any) -> str:
        """`reverse(name, args=[pk])`, escaped: the pattern reversed once, the id put in it."""
        parts = self.urls.get(name)
        if parts is None:
            parts = self.urls[name] = reverse(name, args=[_SOME_ID]).split(str(_SOME_ID))
        if len(parts) != 2 or type(pk) is not int:
            return _text(reverse(name, args=[pk]))
        return _text(f"{parts[0]}{pk}{parts[1]}")

    def of(self, goal: Objective) -> tuple[str, str, str]:
        """The goal's kind, period and status as the row writes them."""
        key = (goal.kind, goal.start_date, goal.end_date, goal.status)
        found = self.goals.get(key)
        if found is None:
            found = self.goals[key] = (
                _text(goal.get_kind_display()),
                _text(goal.period_label),
                _text(goal.get_status_display()),
            )
        return found


def goal_row_html(
    row: GoalRow,
    team_url: str = "",
    messages: Iterable[Any] | None = None,
    words: RowWords | None = None,
) -> str:
    """One row as `goals/_goal_row.html` writes it, byte for byte (with `messages`: the row
    after a saved update, `saved`): `goals/tests/test_goal_row_html.py` compares the two on
    every kind of row. In Python, as the lists show dozens (the template took a third of
    My team's goals); `words` shared by a list's rows (`goal_rows`)."""
    w = words or RowWords()
    goal = row.goal
    title = _text(goal.title)
    if goal.owner_person:
        person = goal.owner_person
        owner = (
            f'<span class="person-cell">{_avatar(person)}'
            f'<a href="{w.url("people:person", person.pk)}">{_text(person.name)}</a></span>\n      '
        )
    elif goal.owner_team:
        owner = (
            f'<a href="{_text(team_url)}?team={_text(goal.owner_team_id)}" title="{w.only_team}">'
            f"{_text(goal.owner_team.name)}</a>\n      "
        )
    else:
        owner = w.company
    if row.percent is None:
        progress = f'<span class="muted" title="{w.undefined}">—</span>'
    else:
        percent = _text(row.percent)
        progress = (
            f'<progress max="100" value="{percent}" aria-hidden="true"></progress> '
            f"<span>{w.percent % {'percent': percent}}</span>"
        )
    actions = ""
    if row.can_edit:
        update = w.url("goals:update", goal.pk)
        actions = (
            f'<a class="button small" href="{update}" hx-get="{update}" '
            f'hx-target="closest .goal-row" hx-swap="outerHTML">{w.update}'
            f'<span class="visually-hidden"> {title}</span></a>'
        )
    attention = ""
    if row.reasons:
        reasons = "; ".join(_text(reason) for reason in row.reasons)
        attention = (
            f'<p class="attention"><span class="attention-mark">{w.attention}</span> {reasons}</p>'
        )
    saved = ""
    if messages is not None:
        said = "".join(_text(message) for message in messages)
        saved = f'<p class="goal-saved" role="status">{said}</p>'
    kind, period, status = w.of(goal)
    return (
        f'\n<li class="goal-row{" needs-attention" if row.reasons else ""}">\n'
        f'  <div class="goal-main">\n'
        f'    <a class="goal-title" href="{w.url("goals:goal", goal.pk)}">'
        f"{title}</a>\n"
        f'    <span class="goal-meta">\n'
        f"      {owner}\n"
        f'      <span class="muted"><span class="goal-sep">· </span>'
        f"{kind} · {period}</span>\n"
        f"    </span>\n"
        f"  </div>\n"
        f'  <span class="status status-{_text(goal.status)}">'
        f"{status}</span>\n"
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
    words = RowWords()
    html = "".join(goal_row_html(row, team_url, words=words) for row in rows)
    return mark_safe(html)  # noqa: S308 - every value escaped by goal_row_html
