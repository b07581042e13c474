"""The demo organisation's Insights: computed once everything else of the demo exists (this app
comes after the others in INSTALLED_APPS), so that every Insights page has figures at once, as
the background job would compute them."""

from __future__ import annotations

from django.utils import timezone

from insights import compute
from insights.models import ClosedMonth, Snapshot
from people.demo import DemoOrg, flush_step, history_builder


@history_builder
def insights_snapshots(org: DemoOrg) -> None:
    org.counts["insights snapshots"] = compute.compute(timezone.now()).snapshots


@flush_step
def delete_snapshots() -> None:
    """The snapshots, and the months closed by earlier runs: no key of theirs points to a person
    or a team, so nothing cascades to them, and a new demo would read the old one's months."""
    Snapshot.objects.all().delete()
    ClosedMonth.objects.all().delete()
