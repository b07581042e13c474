"""The series of a goal's progress chart, worked out here and drawn by goal-chart.js.

One line per key result (or one for the objective when it has none), in percent of the way from
start to target, one point per progress update; and the ideal line, straight from 0 % at the
start date to 100 % at the end date. Points are {"x": ISO time, "y": percent or None}; None
(progress undefined) leaves a gap rather than pretending to be 0.

Two key results often stand at the same figure (both at 0 % at the start, both done): each
series gets its own `style` (`styles`), a point shape, a size, a line width and dash, so that
lines and points drawn on top of each other stay visible: earlier series have larger, hollow
points and thicker lines and are drawn underneath; the last one is thin with small filled
points, on top.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from goals import progress as maths
from goals.models import KeyResult

MAX_POINTS = 1000  # the most recent updates; older ones make no visible difference
POINT_SHAPES = ("circle", "rect", "triangle", "rectRot", "crossRot", "star")
DASHES: tuple[list[int], ...] = ([], [8, 4], [2, 3], [12, 3, 2, 3])
SMALLEST_POINT, POINT_STEP, LARGEST_POINT = 4, 3, 13
THINNEST_LINE, LINE_STEP, THICKEST_LINE = 2, 2, 8


def styles(count: int) -> list[dict]:
    """How each of `count` series is drawn: a distinct shape (and dash), points larger and
    lines thicker the earlier the series, drawn first (`order`: Chart.js draws the highest
    first)."""
    return [
        {
            "point": POINT_SHAPES[index % len(POINT_SHAPES)],
            "radius": min(LARGEST_POINT, SMALLEST_POINT + POINT_STEP * (count - 1 - index)),
            "width": min(THICKEST_LINE, THINNEST_LINE + LINE_STEP * (count - 1 - index)),
            "hollow": index < count - 1,
            "dash": DASHES[index % len(DASHES)],
            "order": count - index,
        }
        for index in range(count)
    ]


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
    for one, style in zip(series, styles(len(series)), strict=True):
        one["style"] = style
    # From the start, or from the day the goal was set when later (as "expected by now").
    begin = maths.measured_from(goal.start_date, goal.set_on)
    ideal = [{"x": day.isoformat(), "y": 0} for day in dict.fromkeys([goal.start_date, begin])]
    return {
        "ideal": [*ideal, {"x": goal.end_date.isoformat(), "y": 100}],
        "series": series,
        "labels": {"ideal": _("Ideal"), "axis": _("Progress (%)")},
    }
