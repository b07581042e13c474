"""Reads of key positions and succession plans, as the viewer may see them: the positions and
their bench strength, a plan's candidates with their readiness (suggested from the gap to the
position's role profile where the viewer may see the candidate's levels), the development plans
behind them where the viewer may see those, and a plan's history. Each costs a fixed number of
queries whatever the number of positions or candidates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from access.rules import shown, visible
from growth import queries as growth_queries
from growth.rules import sees_levels_of
from organisation import scope
from plans.models import OPEN_STATUSES, Plan, PlanAction
from plans.readiness import Gap, gaps, readiness
from succession.models import (
    EXPIRES_DAYS,
    CandidacyChange,
    KeyPosition,
    Readiness,
    SuccessionCandidate,
)

if TYPE_CHECKING:
    from access.viewer import Viewer

LIST_MAX = 500  # key positions on one page: an organisation has tens, not thousands
HISTORY_SHOWN = 30


def positions(viewer: Viewer, *, team_id: int | None = None) -> QuerySet[KeyPosition]:
    """The key positions the viewer may see (not archived, in the pilot scope), by title."""
    found = visible(viewer, KeyPosition.objects.filter(archived_at__isnull=True))
    found = found.filter(scope.team_in_scope_q("team__"))
    if team_id is not None:
        found = found.filter(team_id=team_id)
    return found.select_related("team", "role", "incumbent").order_by("title", "pk")


@dataclass
class Bench:
    """A position's bench strength: its candidates by readiness (an expired readiness counts
    as not ready, apart), and whether it has an emergency successor."""

    now: int = 0
    one_two: int = 0
    three_plus: int = 0
    expired: int = 0
    emergency: bool = False

    @property
    def total(self) -> int:
        return self.now + self.one_two + self.three_plus + self.expired

    @property
    def has_ready(self) -> bool:
        return self.now > 0


def expired(readiness_on: date, today: date) -> bool:
    return (today - readiness_on).days > EXPIRES_DAYS


def bench(viewer: Viewer, position_ids: Sequence[int], today: date) -> dict[int, Bench]:
    """Each position's bench strength, in one query, counted from the candidacies the viewer
    may see (counts name no one, but a candidate may not learn of their own candidacy from
    them: the rules hide it from them, so these counts leave it out too)."""
    found = {pk: Bench() for pk in position_ids}
    candidacies = visible(viewer, SuccessionCandidate).filter(position__in=position_ids)
    rows = candidacies.values_list("position_id", "readiness", "readiness_on", "emergency")
    for position_id, ready, on, emergency in rows:
        strength = found[position_id]
        strength.emergency |= emergency
        if expired(on, today):
            strength.expired += 1
        elif ready == Readiness.NOW:
            strength.now += 1
        elif ready == Readiness.ONE_TWO:
            strength.one_two += 1
        else:
            strength.three_plus += 1
    return found


@dataclass
class Suggestion:
    """A readiness suggested from the gap to the position's role profile."""

    readiness: str
    met: int
    total: int
    evidence_on: date | None
    stale: bool
    gaps: list[Gap] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Readiness(self.readiness).label)

    @property
    def short(self) -> list[Gap]:
        return [gap for gap in self.gaps if not gap.met]


def suggested(rows: list[Gap], today: date) -> Suggestion | None:
    """Ready now when every expected level is met, in 1–2 years from half of them, else in 3+
    years; None without any assessed level to rest on."""
    if not rows or all(row.current is None for row in rows):
        return None
    found = readiness(rows, today)
    share = found.met / found.total
    ready = (
        Readiness.NOW if share >= 1 else Readiness.ONE_TWO if share >= 0.5 else Readiness.THREE_PLUS
    )
    return Suggestion(ready, found.met, found.total, found.evidence_on, found.stale, list(rows))


@dataclass
class Candidate:
    """A candidacy as a page shows it."""

    candidacy: SuccessionCandidate
    expired: bool
    # Why there is no suggestion, when there is none: "profile" (no role profile for the
    # position), "levels" (the viewer may not see the candidate's levels), "none" (no level
    # assessed).
    suggestion: Suggestion | None = None
    no_suggestion: str = ""
    plan: Plan | None = None  # their development plan, where the viewer may see it
    actions: list[PlanAction] = field(default_factory=list)


def candidacies_of(viewer: Viewer, position_id: int) -> QuerySet[SuccessionCandidate]:
    """The position's candidacies the viewer may see, inside the pilot scope, by rank (a
    queryset of its own, not the position's related manager's: its SQL may be kept,
    `cadence.waiting.kept_rows`)."""
    return (
        visible(viewer, SuccessionCandidate.objects.filter(position_id=position_id))
        .filter(scope.in_scope_q("person__"))
        .select_related("person__team", "position__team", "position__role")
        .order_by("rank", "person__name", "pk")
    )


def candidates(
    viewer: Viewer,
    position: KeyPosition,
    today: date,
    found: list[SuccessionCandidate] | None = None,
) -> list[Candidate]:
    """The position's candidates the viewer may see, by rank, with what the viewer may see
    behind them; shown (the access log). `found`: `candidacies_of`'s rows, already read."""
    if found is None:
        found = list(candidacies_of(viewer, position.pk))
    return described(viewer, found, today)


def described(
    viewer: Viewer, found: list[SuccessionCandidate], today: date, *, listed: bool = True
) -> list[Candidate]:
    """Candidacies (already narrowed by the rules, with their person and position) with their
    expiry, suggestion and development plan: four queries at most, however many. `listed`:
    shown as a list (False: one candidacy, already read by `get_visible_or_404`)."""
    if listed:
        shown(viewer, found)
    rows = [Candidate(c, expired(c.readiness_on, today)) for c in found]
    _suggest(viewer, rows, today)
    _plans(viewer, rows)
    return rows


def _suggest(viewer: Viewer, rows: list[Candidate], today: date) -> None:
    framework = growth_queries.current() if rows else None
    readable = {
        row.candidacy.person_id for row in rows if sees_levels_of(viewer, row.candidacy.person)
    }
    levels = growth_queries.assessed_levels(viewer, readable)
    used = []
    for row in rows:
        position = row.candidacy.position
        step = framework.step_of(position.role_id, position.level) if framework else None
        if step is None or framework is None:
            row.no_suggestion = "profile"
            continue
        if row.candidacy.person_id not in readable:
            row.no_suggestion = "levels"
            continue
        theirs = levels.get(row.candidacy.person_id, {})
        row.suggestion = suggested(gaps(framework, step, theirs), today)
        if row.suggestion is None:
            row.no_suggestion = "none"
            continue
        used += [theirs[key] for key in step.expected if key in theirs]
    shown(viewer, [assessed.as_rating() for assessed in used])


def _plans(viewer: Viewer, rows: list[Candidate]) -> None:
    """Each candidate's development plan and its open actions, where the viewer may see the
    plan (its owner's and their manager's, mostly): linked, never copied."""
    ids = [row.candidacy.person_id for row in rows]
    if not ids:
        return
    plans = {plan.person_id: plan for plan in visible(viewer, Plan.objects.filter(person__in=ids))}
    if not plans:
        return
    open_actions = PlanAction.objects.filter(plan__in=plans.values(), status__in=OPEN_STATUSES)
    actions = list(visible(viewer, open_actions).select_related("plan"))
    shown(viewer, [*plans.values(), *actions])
    for row in rows:
        row.plan = plans.get(row.candidacy.person_id)
        if row.plan is not None:
            row.actions = [a for a in actions if a.plan_id == row.plan.pk]


def others(viewer: Viewer) -> QuerySet[SuccessionCandidate]:
    """Candidacies the viewer sees without managing their position: as the candidate's
    manager or above, or HR covering them."""
    managed = visible(viewer, KeyPosition.objects.all()).values("pk")
    return (
        visible(viewer, SuccessionCandidate.objects.filter(position__archived_at__isnull=True))
        .exclude(position__in=managed)
        .filter(scope.in_scope_q("person__"))
        .select_related("person__team", "position__team", "position__role")
        .order_by("person__name", "pk")
    )


def history(
    viewer: Viewer,
    changes: QuerySet[CandidacyChange],
    found: list[CandidacyChange] | None = None,
) -> list[CandidacyChange]:
    """The newest changes of a plan or candidacy the viewer may see; shown. `found`:
    `newest_changes(viewer, changes)`'s rows, already read."""
    if found is None:
        found = list(newest_changes(viewer, changes))
    shown(viewer, found)
    return found


def newest_changes(viewer: Viewer, changes: QuerySet[CandidacyChange]) -> QuerySet[CandidacyChange]:
    """The newest `HISTORY_SHOWN` of `changes` the viewer may see, with who and by whom."""
    return visible(viewer, changes).select_related("person", "by")[:HISTORY_SHOWN]


def without_ready(benches: Iterable[tuple[KeyPosition, Bench]]) -> list[KeyPosition]:
    return [position for position, strength in benches if not strength.has_ready]
