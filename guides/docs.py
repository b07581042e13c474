"""The role guides: one short, task-oriented guide per role in `docs/guide-<name>.md`, read from
the repository as it is installed and shown read-only at /guides/<name>/ to anyone signed in
(they hold nothing about anyone). The README links each one from its "Guides" section, and the
help panels link the sections they explain (`guides.panels`).

The files are the single source: edit the Markdown and the page follows. They are in English;
the panels that link them are translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from guides import markup

DOCS = Path(settings.BASE_DIR) / "docs"
# A link from one guide to another (or to a section of it), as written in the Markdown.
GUIDE_LINK = re.compile(r"guide-(?P<name>[a-z]+)\.md(?P<section>#[\w-]+)?")


@dataclass(frozen=True)
class Guide:
    name: str
    label: StrOrPromise  # as a link names it: "Guide for managers"

    @property
    def path(self) -> Path:
        return DOCS / f"guide-{self.name}.md"

    @property
    def file_name(self) -> str:
        return self.path.name

    def url(self, section: str = "") -> str:
        address = reverse("guides:guide", kwargs={"name": self.name})
        return f"{address}#{section}" if section else address


GUIDES = {
    guide.name: guide
    for guide in (
        Guide("employee", _("Guide for employees")),
        Guide("manager", _("Guide for managers")),
        Guide("hr", _("Guide for HR")),
        Guide("administrator", _("Guide for administrators")),
    )
}


def resolve(target: str) -> str | None:
    """Where a guide's link leads in the app: another guide or one of its sections, or a section
    of the same guide; anything else is shown as its words (the guides link nothing outside)."""
    if re.fullmatch(r"#[\w-]+", target):
        return target
    link = GUIDE_LINK.fullmatch(target)
    if link and link["name"] in GUIDES:
        return GUIDES[link["name"]].url((link["section"] or "").lstrip("#"))
    return None


@dataclass(frozen=True)
class Page:
    title: str
    blocks: list[markup.Block]

    @property
    def sections(self) -> list[str]:
        """The anchors of its headings, which a panel or another guide may link to."""
        return [block.anchor for block in self.blocks if block.kind == "heading"]


def read(guide: Guide) -> Page:
    """The guide's blocks, its first heading as the title (and not repeated in the blocks)."""
    blocks = markup.read(guide.path.read_text(encoding="utf-8"), resolve)
    title = str(guide.label)
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title = blocks.pop(0).plain
    return Page(title, blocks)
