"""The question bank: the questions Cadence ships, in our own words, by stable key. A survey
uses them by key (`surveys.models.Question.key`); their wording is translated from here, so
a Dutch reader answers in Dutch.

- Engagement: five statements on a 1–5 scale (strongly disagree … strongly agree); the
  engagement index is their mean.
- Team psychological safety: seven statements on a 1–7 scale about the respondent's own team,
  three of them worded the other way round and reverse-scored (8 − the answer); the team's
  score is the mean. The construct is the one Amy Edmondson described; the wording is ours.
- eNPS: 0–10; promoters (9–10) minus detractors (0–6), as a percentage of everyone who
  answered, from −100 to 100.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ENGAGEMENT, SAFETY, ENPS, CUSTOM = "engagement", "safety", "enps", "custom"
SCALE, NPS, CHOICE, TEXT = "scale", "enps", "choice", "text"


def net_promoter(value: int) -> int:
    """One 0–10 answer's part in eNPS: 1 for a promoter (9–10), −1 for a detractor (0–6), 0 for
    anyone else. eNPS is their sum over a group, in points of its n: a sum of values, which the
    release rule protects like a mean, where the split of the answers needs more."""
    return 1 if value >= 9 else -1 if value <= 6 else 0


@dataclass(frozen=True)
class Item:
    key: str
    construct: str
    kind: str
    text: StrOrPromise
    points: int | None = None  # a scale's top (its bottom is 1); eNPS: 0–10
    reverse: bool = False


BANK: tuple[Item, ...] = (
    Item("engagement-energy", ENGAGEMENT, SCALE, _("The work I do here gives me energy."), 5),
    Item("engagement-pride", ENGAGEMENT, SCALE, _("I am proud to say where I work."), 5),
    Item(
        "engagement-future",
        ENGAGEMENT,
        SCALE,
        _("I can see myself still working here two years from now."),
        5,
    ),
    Item("engagement-growth", ENGAGEMENT, SCALE, _("I am learning and growing in my work."), 5),
    Item(
        "engagement-noticed",
        ENGAGEMENT,
        SCALE,
        _("When I do good work, someone notices and says so."),
        5,
    ),
    Item(
        "safety-mistakes",
        SAFETY,
        SCALE,
        _("If I get something wrong in this team, it is remembered against me."),
        7,
        reverse=True,
    ),
    Item(
        "safety-problems",
        SAFETY,
        SCALE,
        _("In this team we can bring up problems and hard questions openly."),
        7,
    ),
    Item(
        "safety-different",
        SAFETY,
        SCALE,
        _("This team is slow to accept people who think or work differently."),
        7,
        reverse=True,
    ),
    Item(
        "safety-risk",
        SAFETY,
        SCALE,
        _("I can try something new here without fear of looking foolish if it fails."),
        7,
    ),
    Item(
        "safety-help",
        SAFETY,
        SCALE,
        _("I hesitate to ask my teammates for help."),
        7,
        reverse=True,
    ),
    Item(
        "safety-trust",
        SAFETY,
        SCALE,
        _("I trust my teammates not to work against me behind my back."),
        7,
    ),
    Item(
        "safety-strengths",
        SAFETY,
        SCALE,
        _("My teammates know what I am good at and make use of it."),
        7,
    ),
    Item(
        "enps",
        ENPS,
        NPS,
        _("How likely are you to recommend working here to a friend, from 0 to 10?"),
        10,
    ),
    Item("comment", CUSTOM, TEXT, _("Is there anything you would like to add?")),
)

BY_KEY = {item.key: item for item in BANK}
CONSTRUCTS = {
    ENGAGEMENT: _("Engagement"),
    SAFETY: _("Psychological safety"),
    ENPS: _("eNPS"),
    CUSTOM: _("Your own questions"),
}
