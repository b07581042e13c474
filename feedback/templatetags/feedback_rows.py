"""`{% feedback_rows rows tab %}`: the feedback inbox's rows, `<li>` by `<li>`, rendered in
Python, byte for byte what the page's loop gave (`feedback/tests/test_feedback_rows_html.py`
renders that loop beside it, on every tab and shape of row, in English and Dutch). Each row
went through an included avatar, four messages, two choices' names, two dates and a URL
reversal; here what rows repeat (the messages, each kind's and visibility's name, each day's
words, the URL's pattern) is looked up once a page. Who gave what shows exactly as it did:
the giver on "Received", the receiver on "Given", both on "Shared"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from cadence.rows import Words
from cadence.written import Written, local

register = template.Library()


def _avatar(person: Any) -> str:
    """`cadence/avatar.html` with size "sm"."""
    hue = round(float(person.avatar_hue) / 30.0)
    initials = conditional_escape(localize(person.initials))
    return f'<span class="avatar avatar-sm hue-{hue}" aria-hidden="true">{initials}</span>\n'


@register.simple_tag
def feedback_rows(rows: Sequence[Any], tab: str) -> SafeString:
    """The rows (feedback with `unread`, `goal_title` and `reply_count` set by the inbox) of
    the tab ("received", "given" or "shared")."""
    if not rows:
        return mark_safe("")
    # As in the loop, `{% translate %}`'s and `{% blocktranslate %}`'s words are not escaped,
    # the values are.
    said_from, said_to = gettext("From %(name)s"), gettext("To %(name)s")
    from_to = gettext("From %(giver)s to %(receiver)s")
    new = gettext("new")
    badge = f'<span class="badge ok">{new}</span>'
    goal = gettext("Goal: %(title)s")
    shared = gettext("shared with the manager")
    read, not_read = gettext("read"), gettext("not read yet")
    written = Written(get_format("DATE_FORMAT"))
    words = Words()
    found: dict[tuple[str, Any], str] = {}
    out = []
    for f in rows:
        kind = found.get(("kind", f.kind))
        if kind is None:
            kind = found["kind", f.kind] = conditional_escape(f.get_kind_display())
        visibility = found.get(("visibility", f.visibility))
        if visibility is None:
            visibility = found["visibility", f.visibility] = conditional_escape(
                f.get_visibility_display()
            )
        if tab == "received":
            giver = f.giver
            said = said_from % {"name": conditional_escape(giver.name)}
            who = f'\n        <span class="person-cell">{_avatar(giver)}{said}</span>\n        '
        elif tab == "given":
            receiver = f.receiver
            said = said_to % {"name": conditional_escape(receiver.name)}
            who = f'\n        <span class="person-cell">{_avatar(receiver)}{said}</span>\n        '
        else:
            said = from_to % {
                "giver": conditional_escape(f.giver.name),
                "receiver": conditional_escape(f.receiver.name),
            }
            who = f'\n        <span class="person-cell">{said}</span>\n        '
        at = local(f.created_at)
        url = words.url("feedback:detail", f.pk)
        text = conditional_escape(Truncator(f.text).chars(220))
        goal_title = ""
        if f.goal_title:
            goal_title = f"<span>{goal % {'title': conditional_escape(f.goal_title)}}</span>"
        replies = ""
        if f.reply_count:
            counted = found.get(("replies", f.reply_count))
            if counted is None:
                counted = found["replies", f.reply_count] = ngettext(
                    "%(counter)s reply", "%(counter)s replies", f.reply_count
                ) % {"counter": conditional_escape(localize(f.reply_count))}
            replies = f"<span>{counted}</span>"
        given = ""
        if tab == "given":
            given = f"<span>{read if f.read_at else not_read}</span>"
        out.append(
            "\n"
            f'    <li class="feedback-item{" unread" if f.unread else ""}">\n'
            '      <div class="feedback-head">\n'
            f'        <span class="badge kind-{conditional_escape(f.kind)}">{kind}</span>\n'
            f"        {who}\n"
            f"        {badge if f.unread else ''}\n"
            f'        <time class="muted" datetime="{conditional_escape(at.isoformat())}">'
            f"{written.of(at)}</time>\n"
            "      </div>\n"
            f'      <a class="feedback-link" href="{url}">{text}</a>\n'
            '      <p class="muted feedback-meta">\n'
            f"        {goal_title}\n"
            f"        <span>{visibility}</span>\n"
            f"        {'<span>' + shared + '</span>' if f.shared_with_id else ''}\n"
            f"        {given}\n"
            f"        {replies}\n"
            "      </p>\n"
            "    </li>\n"
            "    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
