"""Goal reads that pages and other modules share, outside any view: the rows a goal list
shows and the goals needing attention (goal lists, Home, a conversation's agenda).

Every read goes through the goals rules (`access.rules.visible`), in a fixed number of queries
whatever the count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, F, OuterRef, Q, When, Window
from django.utils import timezone

from access.rules import allowed_or_404, can, get_visible_or_404, visible
from cadence.waiting import kept_rows
from goals.models import Objective, ObjectiveQuerySet
from organisation import current, scope

if TYPE_CHECKING:
    from access.viewer import Viewer

ATTENTION_SHOWN = 10
# The owner's manager for the "change" rule, the team's lead for team goals.
ROW_RELATED = ("owner_person", "owner_team__lead")
ORDER = ("end_date", "title", "pk")
# What a goal's own page, its adjust page and the API's goal show with it.
GOAL_RELATED = ("owner_person__manager", "owner_person__team", "owner_team__lead")


def in_scope_q() -> Q:
    """SQL condition: goals inside the pilot scope (`organisation.scope`): the company's, and
    those of the people and teams inside it; every goal without a pilot. For the lists and the
    tree: goals outside stay where they are, each on its own page for whoever may see it."""
    if not current.settings().pilot:
        return Q()
    company = Q(owner_person__isnull=True, owner_team__isnull=True)
    return company | scope.in_scope_q("owner_person__") | scope.team_in_scope_q("owner_team__")


def with_visible_parent(goals: ObjectiveQuerySet, viewer: Viewer) -> ObjectiveQuerySet:
    """Goals annotated with `visible_parent_id`: the parent when the viewer may see it, else
    None; in the same query, for lists. A correlated EXISTS is asked for the rows of the page
    only; `parent IN (every visible goal)` made the database build that whole set per list."""
    parent_visible = Exists(visible(viewer, Objective).filter(pk=OuterRef("parent_id")))
    return goals.annotate(
        visible_parent_id=Case(When(parent_visible, then=F("parent_id")), default=None)
    )


def load_goal(
    viewer: Viewer,
    goal_id: int,
    action: str = "view",
    *,
    today: date | None = None,
    key_results: bool = True,
) -> Objective:
    """The one way pages and the API load a goal: with its owner, key results and whether the
    viewer may see its parent (`visible_parent_id`); 404 for whoever may not know the goal
    exists, 403 for whoever may see it but not `action` it. With `today` (the viewer's), its
    SQL is kept per viewer state and day (`cadence.waiting.kept_rows`; for a page, which has
    read the navigation's counts first): building it cost more than running it. Without
    `key_results`, they are the caller's to read (with other goals' key results)."""
    if today is None:
        queryset = goals_to_load(viewer, key_results=key_results)
        return get_visible_or_404(viewer, Objective, goal_id, action, queryset=queryset)
    found = kept_rows(
        viewer,
        today,
        ("goals:goal", goal_id, key_results),
        lambda: goals_to_load(viewer, key_results=key_results).filter(pk=goal_id)[:1],
    )
    return allowed_or_404(viewer, Objective, found[0] if found else None, action)


def goals_to_load(viewer: Viewer, *, key_results: bool = True) -> ObjectiveQuerySet:
    """What `load_goal` reads a goal with (for `cadence.api_kit.loaded`, its API twin)."""
    goals = Objective.objects.select_related(*GOAL_RELATED)
    return with_visible_parent(goals.with_key_results() if key_results else goals, viewer)


def parent_visible(viewer: Viewer, goal: Objective) -> bool:
    """May the viewer see what the goal contributes to (True when it contributes to nothing)?
    Read from `visible_parent_id` when the goal was loaded by `load_goal`."""
    if goal.parent_id is None:
        return True
    if hasattr(goal, "visible_parent_id"):
        return goal.visible_parent_id is not None
    return visible(viewer, Objective).filter(pk=goal.parent_id).exists()


@dataclass
class GoalRow:
    """A goal as a list shows it: its progress in percent (None when undefined, never 0),
    why it needs attention, and whether the viewer may update it."""

    goal: Objective
    percent: int | None
    reasons: list
    can_edit: bool

    @classmethod
    def of(
        cls, goal: Objective, viewer, stale_weeks: int, *, stored_progress: bool = False
    ) -> GoalRow:
        progress = goal.progress
        return cls(
            goal=goal,
            percent=None if progress is None else round(progress * 100),
            reasons=goal.attention_reasons(stale_weeks, stored_progress=stored_progress),
            can_edit=can(viewer, "change", goal),
        )


def attention_goals(viewer, goals, stale_weeks: int, limit: int) -> ObjectiveQuerySet:
    """The first `limit` open goals among `goals` that need attention, each with `matching`:
    how many do in all (a window over the same filter), in one query; without their key
    results (the filter and the reasons read the stored progress)."""
    return (
        visible(viewer, goals)
        .needing_attention(stale_weeks)
        .select_related(*ROW_RELATED)
        .annotate(matching=Window(Count("pk")))
        .order_by(*ORDER)[:limit]
    )


def needing_attention(viewer, goals, stale_weeks: int, limit: int) -> dict:
    """The open goals among `goals` that need attention, with their reasons (the stored
    progress, as the filter reads it): the first `limit` rows and how many more there are.
    One query (`attention_goals`) and one for the rows' key results: only the rows shown are
    loaded, however many goals need attention."""
    goals = attention_goals(viewer, goals, stale_weeks, limit).with_key_results()
    return attention_rows(viewer, list(goals), stale_weeks)


def attention_rows(viewer, goals: list[Objective], stale_weeks: int) -> dict:
    """`needing_attention`'s rows and how many more, for goals `attention_goals` loaded with
    their key results (by whatever runs its SQL: `cadence.waiting.kept_rows`)."""
    rows = [GoalRow.of(goal, viewer, stale_weeks, stored_progress=True) for goal in goals]
    total = getattr(goals[0], "matching", 0) if goals else 0
    return {"rows": rows, "more": max(0, total - len(rows))}


@dataclass
class AttentionRow:
    """A goal needing attention as Home lists it: only why (no progress, no actions)."""

    goal: Objective
    reasons: list


def attention_of(goals: list[Objective], stale_weeks: int) -> dict:
    """`needing_attention`'s rows and how many more, for goals `attention_goals` loaded (by
    whatever runs its SQL): only their reasons, which read no key results."""
    rows = [
        AttentionRow(goal, goal.attention_reasons(stale_weeks, stored_progress=True))
        for goal in goals
    ]
    total = getattr(goals[0], "matching", 0) if goals else 0
    return {"rows": rows, "more": max(0, total - len(rows))}


# Per person at most this many goals are looked at for My team's counts (a figure, not a list).
ATTENTION_PER_PERSON = 20


@dataclass
class Attention:
    """A person's own open goals needing attention, as My team counts them."""

    count: int = 0
    stale: int = 0  # of which not updated for too long: what a reminder to update is for


def attention_by_owner(viewer: Viewer, person_ids: list[int], stale_weeks: int) -> dict:
    """{person id: Attention} for the goals of these people that the viewer may see and that
    need attention; in one query whatever the count (progress as stored, no key results)."""
    if not person_ids:
        return {}
    return attention_by_owner_of(
        owners_attention_goals(viewer, person_ids, stale_weeks), stale_weeks
    )


def owners_attention_goals(
    viewer: Viewer, person_ids: list[int], stale_weeks: int
) -> ObjectiveQuerySet:
    """`attention_by_owner`'s query: the goals it counts (for whoever runs it: My team, with
    its SQL kept)."""
    return (
        visible(viewer, Objective.objects.filter(owner_person_id__in=person_ids))
        .needing_attention(stale_weeks)
        .only("pk", "owner_person_id", "status", "end_date", "last_activity_at", "progress_cache")
        .order_by(*ORDER)[: ATTENTION_PER_PERSON * len(person_ids)]
    )


def attention_by_owner_of(goals: Iterable[Objective], stale_weeks: int) -> dict:
    """`attention_by_owner` from the goals its query (`owners_attention_goals`) loaded."""
    since = timezone.now() - timedelta(weeks=stale_weeks)
    found: dict[int, Attention] = {}
    for goal in goals:
        if not goal.attention_reasons(stale_weeks, stored_progress=True):
            continue
        assert goal.owner_person_id is not None  # the filter above
        attention = found.setdefault(goal.owner_person_id, Attention())
        attention.count += 1
        attention.stale += goal.last_activity_at < since
    return found
