"""`{% my_data_kinds module.kinds %}`: My data's kinds of one module, `<article>` by `<article>`:
the kind, how many items, its description and who can see them (`access.who.WhoSees`).

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
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from access.templatetags.who_sees import who_sees_html

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
