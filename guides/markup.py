"""The little Markdown the role guides (`docs/guide-*.md`) are written in, read into blocks that
a template renders (`guides/guide.html`). Nothing here builds HTML: the template escapes every
word like any other text, so a guide cannot put markup on a page.

What is understood, and all the guides use: headings `#` to `###` (each with the anchor GitHub
gives it, so that a link to a section works here and on GitHub alike), paragraphs, lists (`- `
and `1. `, an item going on over the lines below it), fenced code blocks, and inside text
`code`, **strong**, *emphasis* and [links](target). What a link leads to is the caller's
decision (`resolve`): a target it does not know is shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

HEADING = re.compile(r"(#{1,3}) +(.+?) *#*$")
ITEM = re.compile(r"(?:(?P<bullet>[-*])|(?P<number>\d+)\.) +(?P<text>.*)")
INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<strong>[^*]+)\*\*"
    r"|\*(?P<em>[^*\s][^*]*)\*"
    r"|\[(?P<label>[^\]]+)\]\((?P<target>[^)\s]+)\)"
)


@dataclass(frozen=True)
class Span:
    """A piece of text: plain ("text"), "code", "strong", "em", or a "link" to `href`."""

    kind: str
    text: str
    href: str = ""


@dataclass
class Block:
    """A heading (`level`, `anchor`), a paragraph ("p"), a list ("ul", "ol": `items`) or a code
    block ("pre": `text`)."""

    kind: str
    spans: list[Span] = field(default_factory=list)
    items: list[list[Span]] = field(default_factory=list)
    level: int = 0
    anchor: str = ""
    text: str = ""

    @property
    def plain(self) -> str:
        """The words of a heading or paragraph, without their markup."""
        return "".join(span.text for span in self.spans)


def anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, spaces as hyphens, other punctuation gone."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def spans(text: str, resolve: Callable[[str], str | None]) -> list[Span]:
    found: list[Span] = []
    at = 0
    for match in INLINE.finditer(text):
        if match.start() > at:
            found.append(Span("text", text[at : match.start()]))
        if match["target"] is not None:
            href = resolve(match["target"])
            label = match["label"]
            found.append(Span("link", label, href) if href else Span("text", label))
        else:
            kind = next(k for k in ("code", "strong", "em") if match[k] is not None)
            found.append(Span(kind, match[kind]))
        at = match.end()
    if at < len(text):
        found.append(Span("text", text[at:]))
    return found


def read(text: str, resolve: Callable[[str], str | None]) -> list[Block]:
    """The blocks of a guide. `resolve(target)` gives the address a link leads to, or None to
    show its words only."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    listing: Block | None = None
    items: list[list[str]] = []
    fence: list[str] | None = None

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block("p", spans=spans(" ".join(paragraph), resolve)))
            paragraph.clear()

    def end_list() -> None:
        nonlocal listing
        if listing is not None:
            listing.items = [spans(" ".join(lines), resolve) for lines in items]
            blocks.append(listing)
            listing = None
            items.clear()

    for line in text.splitlines():
        if fence is not None:
            if line.startswith("```"):
                blocks.append(Block("pre", text="\n".join(fence)))
                fence = None
            else:
                fence.append(line)
            continue
        if line.startswith("```"):
            end_paragraph()
            end_list()
            fence = []
            continue
        if not line.strip():
            end_paragraph()
            end_list()
            continue
        heading = HEADING.match(line)
        if heading:
            end_paragraph()
            end_list()
            words = heading.group(2)
            level = len(heading.group(1))
            blocks.append(
                Block("heading", spans=spans(words, resolve), level=level, anchor=anchor(words))
            )
            continue
        item = ITEM.match(line)
        if item and not paragraph:
            kind = "ul" if item["bullet"] else "ol"
            if listing is not None and listing.kind != kind:
                end_list()
            if listing is None:
                listing = Block(kind)
            items.append([item["text"]])
            continue
        if listing is not None:  # an item goes on over the lines below it
            items[-1].append(line.strip())
            continue
        paragraph.append(line.strip())
    if fence is not None:  # a code block left open runs to the end, as on GitHub
        blocks.append(Block("pre", text="\n".join(fence)))
    end_paragraph()
    end_list()
    return blocks
