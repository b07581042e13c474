"""Goal reads that pages and other modules share, outside any view: the rows a goal list
shows and the goals needing attention (goal lists, Home, a conversation's agenda).

Every read goes through the goals rules (`access.rules.visible`), in a fixed number of queries
whatever the count.
"""

from __future__ import annotations

from dataclasses import dataclass

from access.rules import can, visible
from goals.models import Objective

ATTENTION_SHOWN = 10
# Progress is not a column, so "ends soon with little done" is decided in Python: look at this
# many candidates at most, so that a very neglected organisation still costs one bounded query.
ATTENTION_SCAN = 100
# The owner's manager for the "change" rule, the team's lead for team goals.
ROW_RELATED = ("owner_person", "owner_team__lead")
ORDER = ("end_date", "title", "pk")


@dataclass
class GoalRow:
    """A goal as a list shows it: its progress in percent (None when undefined, never 0),
    why it needs attention, and whether the viewer may update it."""

    goal: Objective
    percent: int | None
    reasons: list
    can_edit: bool

    @classmethod
    def of(cls, goal: Objective, viewer, stale_weeks: int) -> GoalRow:
        progress = goal.progress
        return cls(
            goal=goal,
            percent=None if progress is None else round(progress * 100),
            reasons=goal.attention_reasons(stale_weeks),
            can_edit=can(viewer, "change", goal),
        )


def needing_attention(viewer, goals, stale_weeks: int, limit: int) -> dict:
    """The open goals among `goals` that need attention, with their reasons: the first `limit`
    rows, how many more there are, and whether that count stopped at the scan limit."""
    candidates = list(
        visible(viewer, goals)
        .needing_attention(stale_weeks)
        .select_related(*ROW_RELATED)
        .with_key_results()
        .order_by(*ORDER)[:ATTENTION_SCAN]
    )
    rows = [GoalRow.of(goal, viewer, stale_weeks) for goal in candidates]
    rows = [row for row in rows if row.reasons]
    return {
        "rows": rows[:limit],
        "more": max(0, len(rows) - limit),
        "at_least": len(candidates) == ATTENTION_SCAN,
    }
