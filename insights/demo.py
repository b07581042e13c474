"""The demo organisation's Insights: computed once everything else of the demo exists (this app
comes after the others in INSTALLED_APPS), so that every Insights page has figures at once, as
the background job would compute them."""

from __future__ import annotations

from django.utils import timezone

from insights import compute
from insights.models import Snapshot
from people.demo import DemoOrg, flush_step, history_builder


@history_builder
def insights_snapshots(org: DemoOrg) -> None:
    org.counts["insights snapshots"] = compute.compute(timezone.now()).snapshots


@flush_step
def delete_snapshots() -> None:
    Snapshot.objects.all().delete()
