"""Gap and readiness: a person's current levels against what a step of the career tracks
expects (their own role's, the plan's target).

Current levels come from `current_levels`, the one place that asks Growth's assessments for
them (`growth.queries.assessed_levels`: the latest agreed level, else the manager's, never a
self-rating). Readiness for a step
is the share of the step's competencies at or above the level expected, with the date of the
latest assessment behind it; without one in the last `STALE_DAYS` days it is stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from growth.models import Competency
from growth.queries import Assessed, Framework, Step, assessed_levels

if TYPE_CHECKING:
    from access.viewer import Viewer

STALE_DAYS = 365


class Level(Protocol):
    """An assessed level of one competency (`growth.queries.Assessed`)."""

    @property
    def level(self) -> int: ...

    @property
    def on(self) -> date: ...


def current_levels(
    viewer: Viewer, person_ids: Sequence[int], today: date | None = None
) -> Mapping[int, Mapping[str, Assessed]]:
    """{person id: {competency key: assessed level}} of what the viewer may see; a person with
    none is left out. With `today`, its SQL kept per viewer state and day
    (`growth.queries.assessed_levels`)."""
    return assessed_levels(viewer, list(person_ids), today)


@dataclass(frozen=True)
class Gap:
    competency: Competency
    expected: int
    expected_name: str
    current: int | None  # None: not assessed
    current_name: str
    on: date | None

    @property
    def met(self) -> bool:
        return self.current is not None and self.current >= self.expected

    @property
    def short_by(self) -> int:
        return max(self.expected - (self.current or 0), 0)


@dataclass(frozen=True)
class Readiness:
    met: int
    total: int
    evidence_on: date | None  # the latest assessment behind it
    stale: bool

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


def gaps(framework: Framework, step: Step, levels: Mapping[str, Level]) -> list[Gap]:
    """Each competency the step expects, in the framework's order, with the current level."""
    rows = []
    for competency in framework.competencies:
        expected = step.expected.get(competency.key)
        if expected is None:
            continue
        now = levels.get(competency.key)
        rows.append(
            Gap(
                competency,
                expected,
                framework.level_name(expected),
                now.level if now else None,
                framework.level_name(now.level) if now else "",
                now.on if now else None,
            )
        )
    return rows


def readiness(rows: Sequence[Gap], today: date) -> Readiness:
    dates = [row.on for row in rows if row.on is not None]
    latest = max(dates) if dates else None
    stale = latest is None or latest < today - timedelta(days=STALE_DAYS)
    return Readiness(sum(row.met for row in rows), len(rows), latest, stale)


def suggested_focus(rows: Sequence[Gap], limit: int = 3) -> list[str]:
    """The competencies furthest below the target's expectation (not assessed counts as the
    furthest), the keys of at most `limit` of them, in the framework's order among equals."""
    below = [row for row in rows if not row.met]
    below.sort(key=lambda row: -row.short_by)
    return [row.competency.key for row in below[:limit]]
