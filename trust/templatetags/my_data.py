"""`{% my_data_kinds module.kinds %}`: My data's kinds of one module, `<article>` by `<article>`:
the kind, how many items, its description and who can see them (`access.who.WhoSees`);
`{% access_log_rows rows %}`: the rows of its "Who looked" tab.

Built in Python, not in a template loop, as `{% who_sees %}` is (about 40 kinds a page, whose
loop took a fifth of the page's time), giving byte for byte what the loop gave, with the same
messages to translate (`trust/tests/test_my_data_kinds_html.py` renders that loop beside it):
`{% translate %}` messages and the words around a `{% blocktranslate %}`'s values unescaped,
names and numbers escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from access.templatetags.who_sees import who_sees_html
from cadence.written import Written, local

register = template.Library()

# A kind's key as its elements' ids have it ("goals.public" -> "goalspublic"), per key.
_SLUGS: dict[str, str] = {}


@register.simple_tag
def my_data_kinds(kinds: Sequence[Any]) -> SafeString:
    """The kinds (`trust.data.KindSeen`s) of one module of My data."""
    return mark_safe("".join(_kind(item) for item in kinds))  # noqa: S308 - escaped in _kind


def _kind(item: Any) -> str:
    kind = item.kind
    slug = _SLUGS.get(kind.key)
    if slug is None:
        slug = _SLUGS[kind.key] = conditional_escape(slugify(kind.key))
    if item.count:
        counted = ngettext("%(counter)s item", "%(counter)s items", item.count) % {
            "counter": conditional_escape(localize(item.count))
        }
    else:
        counted = gettext("none yet")
    description = ""
    if kind.description:
        description = f'<p class="muted">{conditional_escape(kind.description)}</p>'
    who_words = gettext("Who would see it:") if item.from_example else gettext("Who can see it:")
    return (
        f'\n  <article class="my-data-kind" aria-labelledby="kind-{slug}-h">\n'
        f'    <h3 id="kind-{slug}-h">{conditional_escape(kind.label)} '
        f'<span class="badge">{counted}</span></h3>\n'
        f"    {description}\n"
        f'    <p class="my-data-who">{who_words}</p>\n'
        f"    {who_sees_html(item.who)}\n"
        "  </article>\n  "
    )


@register.simple_tag
def access_log_rows(rows: Sequence[Any]) -> SafeString:
    """The rows of "Who looked" (`trust.who_looked.Row`s), `<tr>` by `<tr>`: when, who and
    their role, what, how. Built here, not in the page's loop, as `my_data_kinds` is: thirty
    rows through the loop (a date written twice, three messages, a label and a channel's name
    each) took more than half the page's rendering; what rows repeat (the messages, labels,
    each day's words) is looked up once a page (`trust/tests/test_access_log_rows_html.py`
    renders that loop beside it)."""
    if not rows:
        return mark_safe("")
    # The cells' labels and the messages every row may say, translated once; as in the loop,
    # `{% translate %}`'s and `{% blocktranslate %}`'s words are not escaped, the values are.
    when, who, what, how = gettext("When"), gettext("Who"), gettext("What"), gettext("How")
    named = gettext("%(name)s, %(role)s")
    gone = gettext("Someone no longer in Cadence")
    one_item = gettext("(one item)")
    written = Written(get_format("DATETIME_FORMAT"))
    found: dict[tuple[str, Any], str] = {}
    out = []
    for row in rows:
        entry = row.entry
        at = local(entry.at)
        viewer = entry.viewer
        if viewer is not None:
            looked = named % {
                "name": conditional_escape(viewer.name),
                "role": conditional_escape(row.role),
            }
        else:
            looked = gone
        if entry.item is None:
            items = found.get(("count", entry.count))
            if items is None:
                items = found["count", entry.count] = ngettext(
                    "(in a list, %(counter)s item)", "(in a list, %(counter)s items)", entry.count
                ) % {"counter": conditional_escape(localize(entry.count))}
        else:
            items = one_item
        label = found.get(("kind", entry.kind))
        if label is None:
            label = found["kind", entry.kind] = conditional_escape(row.kind_label)
        channel = found.get(("channel", entry.channel))
        if channel is None:
            channel = found["channel", entry.channel] = conditional_escape(
                entry.get_channel_display()
            )
        path = ""
        if entry.path:
            path = f' <span class="muted wrap-anywhere">{conditional_escape(entry.path)}</span>'
        out.append(
            "\n      <tr>\n"
            f'        <td data-label="{when}">'
            f'<time datetime="{conditional_escape(at.isoformat())}">{written.of(at)}</time></td>\n'
            f'        <td data-label="{who}">{looked}</td>\n'
            f'        <td data-label="{what}">{label}\n'
            f'          <span class="muted">{items}</span></td>\n'
            f'        <td data-label="{how}">{channel}{path}</td>\n'
            "      </tr>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
