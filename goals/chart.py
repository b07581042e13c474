"""The series of a goal's progress chart, worked out here and drawn by goal-chart.js.

One line per key result (or one for the objective when it has none), in percent of the way from
start to target, one point per progress update; and the ideal line, straight from 0 % at the
start date to 100 % at the end date. Points are {"x": ISO time, "y": percent or None}; None
(progress undefined) leaves a gap rather than pretending to be 0.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from goals import progress as maths
from goals.models import KeyResult

MAX_POINTS = 1000  # the most recent updates; older ones make no visible difference


def percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 1)


def point(at, y) -> dict:
    return {"x": timezone.localtime(at).isoformat(), "y": y}


def progress_series(goal, key_results, updates) -> dict:
    """`updates`: (key_result_id, value, done, created_at) tuples, oldest first."""
    results = {result.pk: result for result in key_results}
    by_id: dict[int, dict[str, Any]] = {
        pk: {"label": result.title, "points": []} for pk, result in results.items()
    }
    own: dict[str, Any] = {"label": _("Progress"), "points": []}
    for result_id, value, done, at in updates:
        if result_id is None:
            if value is not None:
                own["points"].append(point(at, float(value)))
            continue
        result = results.get(result_id)
        if result is None:
            continue
        y: float | None
        if result.type == KeyResult.Type.MILESTONE:
            y = 100.0 if done else 0.0
        else:
            y = percent(maths.key_result_progress(result.start_value, result.target_value, value))
        by_id[result_id]["points"].append(point(at, y))
    series = list(by_id.values()) if results else [own]
    return {
        "ideal": [
            {"x": goal.start_date.isoformat(), "y": 0},
            {"x": goal.end_date.isoformat(), "y": 100},
        ],
        "series": series,
        "labels": {"ideal": _("Ideal"), "axis": _("Progress (%)")},
    }
