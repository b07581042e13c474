"""The feedback flow: by month and group, how much feedback the people in it gave and received,
praise and constructive apart. Counts of groups only: never who gave what to whom, never a
person's own count (every group stands for at least the smallest group, and no two shown
groups differ by fewer: `insights.grouping`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
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

# {month: {person id: [given praise, given constructive, received praise, received constr.]}}
Flow = dict[str, dict[int, list[int]]]


def _load(run: Run) -> Flow:
    """Everyone's feedback given and received by month and kind over the months shown: one
    query for the moments of those months (and a day either side of them in UTC), each
    moment's day and month read in the current time zone here, as `created_at__date` and
    `TruncMonth` give them in SQL (on SQLite, a Python function called for every row of the
    table and every use: most of the load at 10,000 people)."""
    first, last = grouping.ended_months(run.today)[0][0], grouping.month_end_before(run.today)
    margin = timedelta(days=2)  # wider than any time zone's offset from UTC
    moments = Feedback.objects.filter(
        everyone_in_scope_q("giver__", "receiver__"),
        created_at__gte=datetime.combine(first, time.min, tzinfo=UTC) - margin,
        created_at__lt=datetime.combine(last, time.min, tzinfo=UTC) + margin,
    ).order_by()
    rows = moments.values_list("giver_id", "receiver_id", "kind", "created_at")
    found: Flow = {}
    for giver, receiver, kind, created_at in rows.iterator(chunk_size=5000):
        day = timezone.localtime(created_at).date()
        if day < first or day > last:
            continue
        people = found.setdefault(grouping.month_key(day), {})
        constructive = kind == CONSTRUCTIVE
        for side, person in ((0, giver), (2, receiver)):
            counts = people.get(person)
            if counts is None:
                counts = people[person] = [0] * 4
            counts[side + constructive] += 1
    return found


def _cells(run: Run, members: frozenset[int], first: date, _last: date) -> dict[str, int]:
    every: Flow = run.once("insights.feedback", lambda: _load(run))
    people = every.get(grouping.month_key(first), {})
    sums = [0] * 4
    # Whichever is smaller: the members, or the people with feedback that month.
    if len(members) <= len(people):
        counted = [counts for person in members if (counts := people.get(person)) is not None]
    else:
        counted = [counts for person, counts in people.items() if person in members]
    for counts in counted:
        for index, count in enumerate(counts):
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
