"""The feedback flow: by month and group, how much feedback the people in it gave and received,
praise and constructive apart. Counts of groups only: never who gave what to whom, never a
person's own count (every group stands for at least the smallest group, and no two shown
groups differ by fewer: `insights.grouping`)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from feedback.models import Feedback, Kind
from insights import grouping
from insights.charts import Column, Computed, chart
from insights.monthly import Monthly, monthly_table, started
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope
from organisation.scope import everyone_in_scope_q

GIVEN, RECEIVED = "given", "received"
PRAISE, CONSTRUCTIVE = str(Kind.PRAISE), str(Kind.CONSTRUCTIVE)
# The four counts of a month, in this order.
COUNTS = (
    f"{GIVEN}_{PRAISE}",
    f"{GIVEN}_{CONSTRUCTIVE}",
    f"{RECEIVED}_{PRAISE}",
    f"{RECEIVED}_{CONSTRUCTIVE}",
)

# {person id: {month: [given praise, given constructive, received praise, received constr.]}}
Flow = dict[int, dict[str, list[int]]]


def _load(run: Run) -> Flow:
    """Every person's feedback given and received by month and kind over the months shown: two
    queries, a row per person, month and kind."""
    first = grouping.ended_months(run.today)[0][0]
    feedback = Feedback.objects.filter(
        everyone_in_scope_q("giver__", "receiver__"),
        created_at__date__gte=first,
        created_at__date__lte=grouping.month_end_before(run.today),
    ).annotate(month=TruncMonth("created_at"))
    found: Flow = {}
    for side, field in ((0, "giver_id"), (2, "receiver_id")):
        rows = feedback.order_by().values(field, "month", "kind").annotate(n=Count("pk"))
        for row in rows.iterator(chunk_size=5000):
            month = grouping.month_of(row["month"])
            counts = found.setdefault(row[field], {}).setdefault(month, [0] * 4)
            counts[side + (row["kind"] == CONSTRUCTIVE)] += row["n"]
    return found


def _cells(run: Run, members: frozenset[int], first: date, _last: date) -> dict[str, int]:
    every: Flow = run.once("insights.feedback", lambda: _load(run))
    month = grouping.month_key(first)
    sums = [0] * 4
    for person in members:
        for index, count in enumerate(every.get(person, {}).get(month, ())):
            sums[index] += count
    return dict(zip(COUNTS, sums, strict=True))


FLOW = Monthly("feedback", COUNTS, started, _cells)


@chart(
    "feedback",
    title=_("Feedback given and received by month, praise and constructive"),
    definition=_(
        "How many pieces of feedback the people in the group gave "
        "and received each month, praise and constructive apart, 360 reviews not included. "
        "Feedback between two people of a group counts as given and as received. Counts of "
        "groups only: never who gave feedback to whom, nor any one person's count; a group's "
        "month is shown only when enough of its people had started by then. Only months that "
        "have ended are shown, this month once it has ended: a month's figures are counted "
        "just after it ended, with the teams of then, and never change. n: people working "
        "here today in the group."
    ),
    columns=(
        grouping.GROUP_COLUMN,
        Column("month", _("Month")),
        Column(COUNTS[0], _("Praise given")),
        Column(COUNTS[1], _("Constructive given")),
        Column(COUNTS[2], _("Praise received")),
        Column(COUNTS[3], _("Constructive received")),
    ),
    labels={
        **grouping.GROUP_LABELS,
        COUNTS[0]: _("Praise given"),
        COUNTS[1]: _("Constructive given"),
        COUNTS[2]: _("Praise received"),
        COUNTS[3]: _("Constructive received"),
        "count": _("Pieces of feedback"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=30,
)
def feedback(scope: Scope) -> Computed | None:
    table = monthly_table(scope, FLOW)
    if table is None:
        return None
    own = table.groups[0]
    return Computed(
        n=table.n,
        period=table.period,
        rows=table.rows(),
        chart={
            "type": "bar",
            "x": table.keys,
            "series": [{"key": key, "values": table.values(own, key)} for key in COUNTS],
            "y": {"min": 0, "title_key": "count", "integer": True},
        },
    )
