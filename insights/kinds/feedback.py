"""The feedback flow: by month and group, how much feedback the people in it gave and received,
praise and constructive apart. Counts of groups only: never who gave what to whom, never a
person's own count (every group stands for at least the smallest group, and no two shown
groups differ by fewer: `insights.grouping`)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from feedback.models import Feedback, Kind
from insights import grouping
from insights.charts import Column, Computed, chart
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
    first = grouping.months(run.today)[0][0]
    feedback = Feedback.objects.filter(
        everyone_in_scope_q("giver__", "receiver__"),
        created_at__date__gte=first,
        created_at__date__lte=run.today,
    ).annotate(month=TruncMonth("created_at"))
    found: Flow = {}
    for side, field in ((0, "giver_id"), (2, "receiver_id")):
        rows = feedback.order_by().values(field, "month", "kind").annotate(n=Count("pk"))
        for row in rows.iterator(chunk_size=5000):
            month = grouping.month_of(row["month"])
            counts = found.setdefault(row[field], {}).setdefault(month, [0] * 4)
            counts[side + (row["kind"] == CONSTRUCTIVE)] += row["n"]
    return found


def _count(run: Run, members: frozenset[int]) -> dict[str, list[int]]:
    every: Flow = run.once("insights.feedback", lambda: _load(run))
    sums: dict[str, list[int]] = {}
    for person in members:
        for month, counts in every.get(person, {}).items():
            found = sums.setdefault(month, [0] * 4)
            for index, count in enumerate(counts):
                found[index] += count
    return sums


@chart(
    "feedback",
    title=_("Feedback given and received by month, praise and constructive"),
    definition=_(
        "How many pieces of feedback the people working here today (in today's teams) gave "
        "and received each month, praise and constructive apart, 360 reviews not included. "
        "Feedback between two people of a group counts as given and as received. Counts of "
        "groups only: never who gave feedback to whom, nor any one person's count. n: people "
        "working here today in the group."
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
    groups = grouping.shown(scope)
    if not groups:
        return None
    run = scope.run
    spans = grouping.months(run.today)
    keys = [grouping.month_key(first) for first, _last in spans]
    rows = []
    own: dict[str, list[int]] = {}
    for group in groups:
        counts = grouping.per_group(run, "insights.feedback", group, lambda m: _count(run, m))
        if group.own:
            own = counts
        for month in keys:
            found = counts.get(month, [0] * 4)
            rows.append(
                {
                    "group": grouping.label_of(group, scope),
                    "month": month,
                    **dict(zip(COUNTS, found, strict=True)),
                }
            )
    return Computed(
        n=len(groups[0].members),
        period=(spans[0][0], run.today),
        rows=rows,
        chart={
            "type": "bar",
            "x": keys,
            "series": [
                {"key": key, "values": [own.get(month, [0] * 4)[index] for month in keys]}
                for index, key in enumerate(COUNTS)
            ],
            "y": {"min": 0, "title_key": "count", "integer": True},
        },
    )
