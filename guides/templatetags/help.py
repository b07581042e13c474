"""`{% help "key" %}`: a module page's "How this works" panel (`guides.panels.PANELS`), a native
<details> closed by default, with links to the sections of the role guides it comes from."""

from __future__ import annotations

from typing import Any

from django import template

from guides.docs import GUIDES
from guides.panels import PANELS

register = template.Library()


@register.inclusion_tag("guides/panel.html", name="help")
def help_panel(key: str) -> dict[str, Any]:
    try:
        panel = PANELS[key]
    except KeyError:
        raise template.TemplateSyntaxError(
            f"No help panel {key!r}: add it to guides/panels.py"
        ) from None
    links = [
        {"label": GUIDES[name].label, "url": GUIDES[name].url(section)}
        for name, section in panel.guides
    ]
    return {"key": key, "points": panel.points, "links": links}
