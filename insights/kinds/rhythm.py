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
from insights.monthly import Monthly, monthly_table
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope

# {person id: {month "YYYY-MM": (counted, held in their window)}}
Months = dict[int, dict[str, tuple[int, int]]]


def _load(run: Run) -> Months:
    """Every person's counted rhythm conversations by month of their due date, over the months
    shown: one query, a row per person and month."""
    today = run.today
    first = grouping.ended_months(today)[0][0]
    rows = (
        Conversation.objects.rhythm()
        .in_scope()
        .filter(
            counted_q(today), due_date__gte=first, due_date__lte=grouping.month_end_before(today)
        )
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


def _cells(run: Run, members: frozenset[int], first: date, last: date) -> dict[str, Any]:
    """People with a conversation due in the month, of whom every one held in its window."""
    every: Months = run.once("insights.rhythm", lambda: _load(run))
    month = grouping.month_key(first)
    due = held = 0
    for person in members:
        found = every.get(person, {}).get(month)
        if found is not None:
            counted, on_time = found
            due += 1
            held += counted == on_time
    return {"due": due, "held": held, "share": grouping.share(held, due)}


def _due(run: Run, first: date, _last: date) -> tuple[str, frozenset[int]]:
    """The month's people: those with a conversation due in it."""
    every: Months = run.once("insights.rhythm", lambda: _load(run))
    month = grouping.month_key(first)
    return f"rhythm.{month}", frozenset(pk for pk, months in every.items() if month in months)


RHYTHM = Monthly("rhythm", ("due", "held", "share"), _due, _cells)


@chart(
    "rhythm",
    title=_("People whose conversations were held in their window, by month"),
    definition=_(
        "Of the people in the group who had a check-in, quarterly "
        "review or development conversation due in the month, the share whose every such "
        "conversation was held within its window. A conversation counts when it was held, "
        "skipped, or is still open after its window; one still open within its window does "
        "not count yet. A group's month is shown only when enough of its people had one due. "
        "Only months that have ended are shown, this month once it has ended: a month's "
        "figures are counted just after it ended, with the teams of then, and never change. "
        "n: people working here today in the group."
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
    table = monthly_table(scope, RHYTHM)
    if table is None:
        return None
    return Computed(
        n=table.n,
        period=table.period,
        rows=table.rows(),
        chart={
            "type": "line",
            "x": table.keys,
            "series": [
                {**grouping.series_label(group, scope), "values": table.values(group, "share")}
                for group in table.groups[: grouping.SERIES]
            ],
            "y": {"min": 0, "max": 100, "title_key": "share"},
        },
    )
