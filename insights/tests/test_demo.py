"""The demo organisation's Insights: computed with the demo, and its retention reads true:
leavers exist, and people with an active plan at 6 months of tenure leave less often."""

import pytest

from insights import scopes
from insights.kinds.retention import WITH, WITHOUT
from insights.models import Snapshot
from people.demo import build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_insights_and_a_retention_signal():
    build_demo(people=300, years=3, seed=1)
    snapshot = Snapshot.objects.get(kind="retention", scope=scopes.ORG, variant="")
    groups = {g["key"]: g for g in snapshot.data["extra"]["groups"]}
    assert groups[WITH]["shown"] and groups[WITHOUT]["shown"]
    assert groups[WITH]["events"] > 0 and groups[WITHOUT]["events"] > 0
    share = {key: g["events"] / g["n"] for key, g in groups.items()}
    assert share[WITH] < share[WITHOUT]
    curves = {c["key"]: c for c in snapshot.data["chart"]["groups"]}
    at_two_years = {
        key: [s for t, s in zip(c["times"], c["survival"], strict=True) if t <= 24][-1]
        for key, c in curves.items()
    }
    assert at_two_years[WITH] > at_two_years[WITHOUT]
    assert snapshot.data["extra"]["logrank"]["p"] < 0.05
    assert Snapshot.objects.filter(kind="headcount", scope=scopes.ORG).exclude(data={}).exists()


def test_flushing_the_demo_forgets_its_closed_months():
    """`--flush` deletes the months closed by the old demo's runs: their groups name no team
    or person, so nothing cascades to them, and the new demo would read them as its own."""
    from django.utils import timezone

    from insights.models import ClosedMonth
    from people.demo import flush_demo

    ClosedMonth.objects.create(
        kind="rhythm",
        group="team:1",
        period="2026-01",
        values={"held": 3},
        computed_at=timezone.now(),
    )
    Snapshot.objects.create(kind="headcount", scope=scopes.ORG, computed_at=timezone.now())
    flush_demo()
    assert not ClosedMonth.objects.exists() and not Snapshot.objects.exists()
