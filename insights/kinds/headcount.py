"""People, joiners and leavers by month: the smallest example of a chart (`insights.charts`),
and the context of retention (who joined and who left)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from insights import grouping
from insights.charts import Column, Computed, chart
from insights.scopes import MANAGER, ORG, TEAM, Scope


def within(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


@chart(
    "headcount",
    title=_("People, joiners and leavers by month"),
    definition=_(
        "People working here at the end of each month (today, for this month), and how many "
        "started and left in it. The leave date is the last working day."
    ),
    columns=(
        Column("month", _("Month")),
        Column("people", _("People")),
        Column("joined", _("Joined")),
        Column("left", _("Left")),
    ),
    labels={
        "people": _("People"),
        "joined": _("Joined"),
        "left": _("Left"),
        "count": _("People"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=90,
)
def headcount(scope: Scope) -> Computed | None:
    today = scope.run.today
    people = scope.rows()
    now = [row for row in people if grouping.working_on(row, today)]
    if len(now) < scope.run.min_group:
        return None
    months = grouping.months(today)
    rows = []
    for first, last in months:
        rows.append(
            {
                "month": grouping.month_key(first),
                "people": sum(grouping.working_on(row, last) for row in people),
                "joined": sum(within(row.start, first, last) for row in people),
                "left": sum(within(row.leave, first, last) for row in people),
            }
        )
    return Computed(
        n=len(now),
        period=(months[0][0], today),
        rows=rows,
        chart={
            "type": "bar",
            "x": [row["month"] for row in rows],
            "series": [
                {"key": "joined", "values": [row["joined"] for row in rows]},
                {"key": "left", "values": [row["left"] for row in rows]},
            ],
            "y": {"min": 0, "title_key": "count"},
        },
    )
