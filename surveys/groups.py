"""The groups a respondent counts in, as keys: frozen on their invitation when a round opens,
sealed with their answers, and the candidates the round's release chooses from when it
closes (`surveys.disclosure`).

- "all": everyone who answered the round;
- "t:<id>": a team with its sub-teams (a respondent counts in their own team and every team
  above it);
- "b:<band>": a tenure band (time since the start date, when known);
- "t:<id>|b:<band>": a team (with its sub-teams) within a tenure band: the filters' combination.

Candidates are released in this order of priority: the whole round, then the teams from the
top down, then the tenure bands, then the combinations, so that a team's own figure is never
lost to a filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ALL = "all"
# (key, label, from months, to months)
BANDS: tuple[tuple[str, StrOrPromise, int, int | None], ...] = (
    ("0-1", _("Less than a year"), 0, 12),
    ("1-3", _("1 to 3 years"), 12, 36),
    ("3-5", _("3 to 5 years"), 36, 60),
    ("5+", _("5 years or more"), 60, None),
)
BAND_LABELS = {key: label for key, label, _from, _to in BANDS}


def team_key(team_id: int) -> str:
    return f"t:{team_id}"


def band_key(band: str) -> str:
    return f"b:{band}"


def combination(team_id: int, band: str) -> str:
    return f"{team_key(team_id)}|{band_key(band)}"


def band_of(start: date | None, on: date) -> str | None:
    if start is None or start > on:
        return None
    months = (on.year - start.year) * 12 + on.month - start.month - (on.day < start.day)
    for key, _label, low, high in BANDS:
        if months >= low and (high is None or months < high):
            return key
    return None


def team_ids(path: str | None) -> list[int]:
    """The teams of a materialised path ("/1/4/9/"), from the top down."""
    return [int(part) for part in (path or "").split("/") if part]


def groups_of(team_path: str | None, start: date | None, on: date) -> list[str]:
    """Every group a person counts in, on the day the round opens."""
    teams = team_ids(team_path)
    band = band_of(start, on)
    keys = [ALL, *(team_key(team) for team in teams)]
    if band is not None:
        keys.append(band_key(band))
        keys.extend(combination(team, band) for team in teams)
    return keys


def team_of(key: str) -> int | None:
    """The team a group key is about (a team, or a team within a band), or None."""
    if key.startswith("t:"):
        return int(key[2:].split("|", 1)[0])
    return None


def band_in(key: str) -> str | None:
    for part in key.split("|"):
        if part.startswith("b:"):
            return part[2:]
    return None


def priority(keys: Iterable[str], depth: Mapping[int, int]) -> list[str]:
    """`keys` in the order the release considers them (see the module's docstring); `depth`:
    each team's depth in the tree (0 at the top)."""

    def rank(key: str) -> tuple[int, int, str]:
        team, band = team_of(key), band_in(key)
        if key == ALL:
            return (0, 0, key)
        if band is None:
            return (1, depth.get(team or 0, 99), key)
        if team is None:
            return (2, 0, key)
        return (3, depth.get(team, 99), key)

    return sorted(set(keys), key=rank)


def label(key: str, team_names: Mapping[int, str], bands: Mapping[str, str] | None = None) -> str:
    """How a page names the group (`bands`: the bands' labels already translated, when many
    groups are named at once)."""
    if key == ALL:
        return str(_("Everyone"))
    team, band = team_of(key), band_in(key)
    band_label = str((bands or BAND_LABELS).get(band or "", band or ""))
    if team is None:
        return band_label
    name = team_names[team] if team in team_names else str(_("A former team"))
    return f"{name} · {band_label}" if band else name
