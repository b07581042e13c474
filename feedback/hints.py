"""Gentle hints while writing feedback: simple, explainable word rules, never a block.

Good feedback describes a situation, the behaviour seen in it and its impact (SBI). `hints()`
reads a draft and returns what to look at, each hint with a stable code:

- judging: a word that labels the person ("lazy", "rude", "attitude") instead of describing
  what they did;
- generalising: "always", "never" and the like turn one moment into a verdict;
- too_short: fewer than MIN_LENGTH characters rarely say what happened and what it led to;
- no_example: no sign of a concrete moment (a day, "yesterday", "during", "in the", a meeting,
  a number such as a date or a time);
- no_impact: nothing says what it led to ("because", "so that", "which meant", "impact").

The word lists are English and Dutch, both always checked: people write in their own language,
whatever the language of the page. Words match whole words only, in any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

MIN_LENGTH = 40

# Words that label the person (character, not behaviour).
JUDGING = (
    # English
    "lazy", "rude", "arrogant", "stupid", "careless", "sloppy", "incompetent", "selfish",
    "useless", "hopeless", "attitude", "aggressive", "annoying", "difficult person",
    "unprofessional", "disrespectful", "bossy", "clueless", "dumb", "idiot", "negative person",
    # Dutch
    "lui", "onbeleefd", "arrogant", "dom", "slordig", "egoïstisch", "egoistisch", "houding",
    "onprofessioneel", "respectloos", "agressief", "irritant", "nutteloos", "onverschillig",
    "bazig", "incompetent",
)  # fmt: skip

# Words that turn one moment into a rule about the person.
GENERALISING = (
    "always", "never", "every time", "constantly", "all the time", "each time",
    "altijd", "nooit", "steeds", "elke keer", "constant", "telkens", "de hele tijd",
)  # fmt: skip

# Signs of a concrete situation.
SITUATION = (
    "when", "during", "in the", "at the", "on the", "yesterday", "today", "this morning",
    "this afternoon", "tonight", "last week", "this week", "last month", "last time",
    "meeting", "demo", "presentation", "call", "stand-up", "standup", "workshop", "review",
    "retro", "retrospective", "sprint", "session", "email", "e-mail", "after", "before",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "monday's", "tuesday's", "wednesday's", "thursday's", "friday's",
    "toen", "tijdens", "in de", "in het", "bij de", "bij het", "op de", "gisteren", "vandaag",
    "vanochtend", "vanmiddag", "vanavond", "vorige week", "deze week", "vorige maand",
    "vergadering", "overleg", "presentatie", "bespreking", "gesprek", "na afloop", "voordat",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
)  # fmt: skip

# Signs of an impact.
IMPACT = (
    "because", "so that", "which meant", "which made", "which helped", "that meant",
    "it meant", "impact", "result", "resulted", "as a result", "led to", "thanks to",
    "therefore", "helped", "helps", "which helps", "saved", "caused", "made it", "made me",
    "made us", "so we", "so i", "meant that", "effect",
    "waardoor", "omdat", "zodat", "daardoor", "hierdoor", "resultaat", "gevolg", "dankzij",
    "hielp", "geholpen", "zorgde", "bespaarde", "effect", "impact",
)  # fmt: skip

DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Hint:
    code: str
    message: str


@cache
def pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def normalise(text: str) -> str:
    # Typographic apostrophes count as plain ones ("you’re" is "you're").
    return (text or "").replace("\u2019", "'").replace("\u2018", "'")


def found_words(words: tuple[str, ...], text: str) -> list[str]:
    """The words of the list in `text`, lower case, each once, in order of appearance."""
    found = []
    for match in pattern(words).finditer(normalise(text)):
        word = match.group(1).lower()
        if word not in found:
            found.append(word)
    return found


def quoted(words: list[str]) -> str:
    return ", ".join(f"“{word}”" for word in words)


def hints(text: str) -> list[Hint]:
    """What to look at before sending `text`. Empty text gets no hints (the form's guidance
    says what to write)."""
    text = (text or "").strip()
    if not text:
        return []
    found = []
    judging = found_words(JUDGING, text)
    if judging:
        found.append(
            Hint(
                "judging",
                _(
                    "%(words)s describes the person, not what they did. Say what you saw or "
                    "heard, so that they can act on it."
                )
                % {"words": quoted(judging)},
            )
        )
    generalising = found_words(GENERALISING, text)
    if generalising:
        found.append(
            Hint(
                "generalising",
                _(
                    "%(words)s turns one moment into a verdict. Describe one situation instead: "
                    "it is easier to hear and to act on."
                )
                % {"words": quoted(generalising)},
            )
        )
    if len(text) < MIN_LENGTH:
        found.append(
            Hint(
                "too_short",
                _("A sentence or two more helps: what happened, and what it led to."),
            )
        )
        return found
    if not found_words(SITUATION, text) and not DIGIT.search(text):
        found.append(
            Hint(
                "no_example",
                _(
                    "Add a concrete example: when and where did it happen (a meeting, a day, "
                    "“yesterday during the demo”)?"
                ),
            )
        )
    if not found_words(IMPACT, text):
        found.append(
            Hint(
                "no_impact",
                _(
                    "Say what it led to: the impact on you, the team or the work (“…, which "
                    "meant…”, “…, so that…”)."
                ),
            )
        )
    return found
