"""What erasure (`trust.erasure`) does to Insights' data: nothing to replace. A snapshot holds
counts of groups of at least the smallest group (and the scope and chart they are of), never a
person's name, text or answer; it is computed again from what erasure left by the next run of
the `insights` job. A closed month's figures are counts of such groups too, kept as they were
so that they cannot be compared with a later count (`insights.monthly`)."""

from __future__ import annotations

from insights.models import ClosedMonth, Snapshot
from trust.erasure import keep

keep(
    Snapshot,
    ("kind", "scope", "variant", "data"),
    "counts of groups of at least the smallest group, computed again from the data that remains",
)
keep(
    ClosedMonth,
    ("kind", "variant", "group", "period", "values"),
    "counts of groups of at least the smallest group for a month that has ended, never "
    "computed again: a later count would tell what changed",
)
