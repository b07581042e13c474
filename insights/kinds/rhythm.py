"""Rhythm health over time: by month and group, the share of people whose rhythm
conversations (check-ins, quarterly reviews, development conversations) due that month were
all held within their window (`conversations.adherence`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from conversations.adherence import counted_q, on_time_q
from conversations.models import Conversation
from insights import grouping
from insights.charts import Column, Computed, chart
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope

# {person id: {month "YYYY-MM": (counted, held in their window)}}
Months = dict[int, dict[str, tuple[int, int]]]


def _load(run: Run) -> Months:
    """Every person's counted rhythm conversations by month of their due date, over the months
    shown: one query, a row per person and month."""
    today = run.today
    first = grouping.months(today)[0][0]
    rows = (
        Conversation.objects.rhythm()
        .in_scope()
        .filter(counted_q(today), due_date__gte=first)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("employee_id", "month")
        .annotate(counted=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    )
    found: Months = {}
    for row in rows.iterator(chunk_size=5000):
        month: date = row["month"]
        found.setdefault(row["employee_id"], {})[grouping.month_key(month)] = (
            row["counted"],
            row["on_time"],
        )
    return found


def _count(run: Run, members: frozenset[int]) -> dict[str, tuple[int, int]]:
    """{month: (people with a conversation due, of whom every one held in its window)}."""
    every: Months = run.once("insights.rhythm", lambda: _load(run))
    sums: dict[str, list[int]] = {}
    for person in members:
        for month, (counted, on_time) in every.get(person, {}).items():
            found = sums.setdefault(month, [0, 0])
            found[0] += 1
            found[1] += counted == on_time
    return {month: (people, kept) for month, (people, kept) in sums.items()}


@chart(
    "rhythm",
    title=_("People whose conversations were held in their window, by month"),
    definition=_(
        "Of the people working here today (in today's teams) who had a check-in, quarterly "
        "review or development conversation due in the month, the share whose every such "
        "conversation was held within its window. A conversation counts when it was held, "
        "skipped, or is still open after its window; one still open within its window does "
        "not count yet. n: people working here today in the group."
    ),
    columns=(
        grouping.GROUP_COLUMN,
        Column("month", _("Month")),
        Column("due", _("People with a conversation due")),
        Column("held", _("All held in their window")),
        Column("share", _("Share (%)")),
    ),
    labels={**grouping.GROUP_LABELS, "share": _("Share held in their window (%)")},
    audiences=(MANAGER, TEAM, ORG),
    order=10,
)
def rhythm(scope: Scope) -> Computed | None:
    groups = grouping.shown(scope)
    if not groups:
        return None
    run = scope.run
    spans = grouping.months(run.today)
    keys = [grouping.month_key(first) for first, _last in spans]
    rows = []
    series: list[dict[str, Any]] = []
    for group in groups:
        counts = grouping.per_group(run, "insights.rhythm", group, lambda m: _count(run, m))
        values = []
        for month in keys:
            due, held = counts.get(month, (0, 0))
            values.append(grouping.share(held, due))
            rows.append(
                {
                    "group": grouping.label_of(group, scope),
                    "month": month,
                    "due": due,
                    "held": held,
                    "share": grouping.share(held, due),
                }
            )
        if len(series) < grouping.SERIES:
            series.append({**grouping.series_label(group, scope), "values": values})
    return Computed(
        n=len(groups[0].members),
        period=(spans[0][0], run.today),
        rows=rows,
        chart={
            "type": "line",
            "x": keys,
            "series": series,
            "y": {"min": 0, "max": 100, "title_key": "share"},
        },
    )
