"""SMART hints: what a goal's draft is missing, in a few plain words. Advice only, never a block.

`hints()` takes the draft as plain values (so the goal form, the adjust form and the API can all
ask), and returns short messages, each with a code that tests and styles can rely on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MAX_TITLE = 80
MAX_DAYS = 366
# Words that make a goal sound done before anyone can tell whether it is. Translators give their
# language's words; the English ones are always checked too.
VAGUE_WORDS = gettext_noop(
    # Translators: vague words in a goal, separated by commas; not a sentence.
    "improve, better, more, try, some, various, etc, asap, maximize, maximise, optimize, "
    "optimise, enhance, as much as possible, a lot, several, good"
)


def vague_pattern() -> re.Pattern:
    words = {w.strip() for text in (VAGUE_WORDS, _(VAGUE_WORDS)) for w in text.split(",")}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Hint:
    code: str
    message: str


def vague_words(text: str) -> list[str]:
    """The vague words in `text`, lower case, each once, in order of appearance."""
    found = []
    for match in vague_pattern().finditer(text or ""):
        word = match.group(1).lower()
        if word not in found:
            found.append(word)
    return found


def same_number(a, b) -> bool:
    return Decimal(str(a)) == Decimal(str(b))


def hints(
    *,
    title: str = "",
    kind: str = "result",
    start: date | None = None,
    end: date | None = None,
    key_results: Sequence[dict] = (),
) -> list[Hint]:
    """What to look at before saving. `key_results` are dicts with "title", "type" ("metric" or
    "milestone"), "start" and "target" (numbers or None)."""
    found = []
    title = (title or "").strip()
    words = vague_words(" ".join([title, *(kr.get("title") or "" for kr in key_results)]))
    if words:
        found.append(
            Hint(
                "vague",
                _("Vague words: %(words)s. Say what will be different, and by how much.")
                % {"words": ", ".join(f"“{word}”" for word in words)},
            )
        )
    if len(title) > MAX_TITLE:
        found.append(
            Hint(
                "long_title",
                _("The title is long: keep it short and put the detail in “why it matters”."),
            )
        )
    measurable = [kr for kr in key_results if kr.get("type", "metric") == "metric"]
    if kind == "result" and not measurable:
        found.append(
            Hint(
                "not_measurable",
                _(
                    "No measurable key result: add a number to move, so that anyone can tell "
                    "when the goal is reached."
                ),
            )
        )
    for kr in measurable:
        start_value, target = kr.get("start"), kr.get("target")
        if start_value is not None and target is not None and same_number(start_value, target):
            found.append(
                Hint(
                    "target_is_start",
                    _("“%(title)s”: the target equals the start, so progress cannot be measured.")
                    % {"title": kr.get("title") or _("A key result")},
                )
            )
    if end is None:
        found.append(Hint("no_end", _("No end date: a goal needs a moment to look back at it.")))
    elif start is not None and (end - start).days > MAX_DAYS:
        found.append(
            Hint(
                "long_period",
                _("The period is longer than a year: shorter goals are easier to revisit."),
            )
        )
    return found
