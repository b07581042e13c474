"""People, joiners and leavers by month: the smallest example of a chart (`insights.charts`),
and the context of retention (who joined and who left)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from insights.charts import Column, Computed, chart
from insights.scopes import MANAGER, ORG, TEAM, PersonRow, Scope

MONTHS = 12


def month_ends(today: date, count: int = MONTHS) -> list[tuple[date, date]]:
    """The last `count` months up to `today`'s: (first day, last day, or today for this one)."""
    found = []
    first = today.replace(day=1)
    end = today
    for _n in range(count):
        found.append((first, end))
        end = first - timedelta(days=1)
        first = end.replace(day=1)
    return list(reversed(found))


def working_on(row: PersonRow, day: date) -> bool:
    """Works here on `day` (the leave date is the last working day; no start date: from
    always)."""
    started = row.start is None or row.start <= day
    return started and (row.leave is None or row.leave >= day)


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
    now = [row for row in people if working_on(row, today)]
    if len(now) < scope.run.min_group:
        return None
    months = month_ends(today)
    rows = []
    for first, last in months:
        rows.append(
            {
                "month": first.strftime("%Y-%m"),
                "people": sum(working_on(row, last) for row in people),
                "joined": sum(
                    row.start is not None and first <= row.start <= last for row in people
                ),
                "left": sum(row.leave is not None and first <= row.leave <= last for row in people),
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
