"""A plan's actions rendered in Python, byte for byte what the loop including plans/_action.html
gave (`plans/tests/test_plan_action_rows.py` compares them through every branch): on a
conversation's agenda each action, with its status form, its coaching form and their CSRF
tokens, cost more to render through the included template (a new context, some 60 variable
lookups and three URLs reversed per action) than the rest of the agenda."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cadence.rows import Words as _Words
from cadence.rows import csrf as _csrf
from cadence.rows import value as _v

register = template.Library()


def _action(w: _Words, action: Any, shared: tuple[Any, ...]) -> str:
    today, currency, may_change, coaching, next_, csrf = shared
    pk, title = _v(action.pk), _v(action.title)
    is_open, due = action.is_open, action.due_date
    overdue = " overdue" if is_open and due and due < today else ""
    out = [
        f'\n<li class="plan-action{overdue}" id="plan-action-{pk}">\n'
        f'  <p class="plan-action-title"><strong>{title}</strong> '
        f'<span class="muted">{_v(action.get_kind_display())}</span>\n'
        f'    <span class="status status-{_v(action.status)}">'
        f"{_v(action.get_status_display())}</span>\n    "
    ]
    if due:
        words = gettext("due %(due)s") % {"due": _v(w.date(due, "DATE_FORMAT"))}
        out.append(f'<span class="muted">{words}</span>')
        if is_open and due < today:
            past_due = gettext("past due")
            out.append(f' <span class="badge warn">{past_due}</span>')
    out.append("</p>\n  ")
    if action.support:
        support_needed = gettext("Support needed:")
        out.append(
            f'<p class="plan-support"><span class="muted">{support_needed}</span> '
            f"{_v(action.support)}"
        )
        if action.support_confirmed_at:
            confirmed = gettext("support confirmed")
            out.append(f' <span class="badge ok">{confirmed}</span>')
        out.append("</p>")
    out.append("\n  ")
    if action.cost is not None:
        cost = gettext("Cost:")
        out.append(
            f'<p class="muted">{cost} {_v(floatformat(action.cost, "2g"))} {_v(currency)}</p>'
        )
    out.append("\n  ")
    if action.manager_comment:
        comment = gettext("Manager’s comment:")
        out.append(
            f'<p class="plan-comment"><span class="muted">{comment}</span> '
            f"{_v(action.manager_comment)}</p>"
        )
    out.append("\n  ")
    if may_change or coaching:
        back = f'<input type="hidden" name="next" value="{_v(next_)}">' if next_ else ""
        status_url = w.url("plans:action_status", action.pk)
        status_words, set_status = gettext("Status"), gettext("Set status")
        options = "".join(
            f'<option value="{_v(value)}"{" selected" if value == action.status else ""}>'
            f"{_v(label)}</option>"
            for value, label in action.status_choices
        )
        out.append(
            '\n  <div class="plan-action-forms">\n'
            f'    <form method="post" action="{status_url}" hx-post="{status_url}" '
            f'hx-target="#plan-action-{pk}" hx-swap="outerHTML" class="inline-form">{csrf}\n'
            f"      {back}\n"
            f'      <label for="status-{pk}" class="visually-hidden">{status_words}: '
            f"{title}</label>\n"
            f'      <select name="status" id="status-{pk}">{options}</select>\n'
            f'      <button class="button">{set_status}</button>\n'
            "    </form>\n    "
        )
        if may_change:
            edit = gettext("Edit")
            out.append(
                f'<a href="{w.url("plans:edit_action", action.pk)}">{edit}'
                f'<span class="visually-hidden">: {title}</span></a>'
            )
        out.append("\n    ")
        if coaching:
            coach_url = w.url("plans:coach_action", action.pk)
            summary = gettext("Comment and confirm support")
            your_comment = gettext("Your comment")
            checked = " checked" if action.support_confirmed_at else ""
            confirm = gettext("I confirm the support asked for")
            save = gettext("Save")
            out.append(
                f'\n    <details><summary>{summary}<span class="visually-hidden">: {title}'
                "</span></summary>\n"
                f'      <form method="post" action="{coach_url}" hx-post="{coach_url}" '
                f'hx-target="#plan-action-{pk}" hx-swap="outerHTML">{csrf}\n'
                f"        {back}\n"
                f'        <div class="field"><label for="comment-{pk}">{your_comment}</label>'
                f'<textarea name="comment" id="comment-{pk}" rows="2">'
                f"{_v(action.manager_comment)}</textarea></div>\n"
                '        <div class="field"><input type="checkbox" name="confirm_support" '
                f'id="confirm-{pk}"{checked}> <label for="confirm-{pk}">{confirm}</label></div>\n'
                f'        <button class="button">{save}</button>\n'
                "      </form>\n    </details>\n    "
            )
        out.append("\n  </div>\n  ")
    out.append("\n</li>\n")
    return "".join(out)


@register.simple_tag(takes_context=True)
def plan_action_rows(
    context: Any,
    actions: list[Any],
    today: Any,
    currency: Any,
    may_change: Any,
    coaching: Any,
    next: Any = "",
) -> SafeString:
    """A plan's actions, each as plans/_action.html showed it (given its context's values)."""
    w = _Words()
    csrf = _csrf(context.get("csrf_token")) if actions and (may_change or coaching) else ""
    shared = (today, currency, may_change, coaching, next, csrf)
    html = "".join(_action(w, action, shared) for action in actions)
    return mark_safe(html)  # noqa: S308 - every value escaped above
