"""What erasure (`trust.erasure`) does to Insights' data: nothing to replace. A snapshot holds
counts of groups of at least the smallest group (and the scope and chart they are of), never a
person's name, text or answer; it is computed again from what erasure left by the next run of
the `insights` job."""

from __future__ import annotations

from insights.models import Snapshot
from trust.erasure import keep

keep(
    Snapshot,
    ("kind", "scope", "variant", "data"),
    "counts of groups of at least the smallest group, computed again from the data that remains",
)
