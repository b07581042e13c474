"""The demo's key positions: a handful, each held by its team's lead, with candidates from
within its part (never the incumbent), of every readiness, some expired, at most one emergency
successor each; HR for the whole organisation sees them all, and a flush takes them."""

import pytest
from django.utils import timezone

from access.viewer import Viewer
from conftest import demo_for_the_module
from people.demo import build_demo
from succession import queries
from succession.models import KeyPosition, SuccessionCandidate

pytestmark = pytest.mark.django_db


# Built once for the module's tests (each still runs in its own savepoint).
module_org, org = demo_for_the_module(people=200, years=2, seed=3)


def test_a_handful_of_positions_held_by_their_leads(org):
    positions = list(KeyPosition.objects.select_related("team"))
    assert 3 <= len(positions) == org.counts["key positions"] <= 8
    assert all(p.incumbent_id == p.team.lead_id for p in positions)


def test_candidates_come_from_within_the_part_and_are_not_the_incumbent(org):
    for candidacy in SuccessionCandidate.objects.select_related("person__team", "position__team"):
        assert candidacy.person_id != candidacy.position.incumbent_id
        assert candidacy.person.team.path.startswith(candidacy.position.team.path)


def test_readiness_of_every_kind_some_expired_and_a_position_without_anyone_ready(org):
    today = timezone.localdate()
    ids = list(KeyPosition.objects.values_list("pk", flat=True))
    hr = Viewer(person=org.hr)  # HR for the whole organisation, named in no plan
    benches = queries.bench(hr, ids, today)
    assert any(b.expired for b in benches.values())
    assert any(not b.has_ready for b in benches.values())
    assert any(b.has_ready for b in benches.values())
    assert {c.readiness for c in SuccessionCandidate.objects.all()} == {"now", "1-2", "3+"}


def test_hr_sees_them_all(org):
    assert queries.positions(Viewer(person=org.hr)).count() == KeyPosition.objects.count()


def test_a_flush_takes_them_and_builds_them_again(org):
    count = KeyPosition.objects.count()
    build_demo(people=200, years=2, seed=3, flush=True)
    assert KeyPosition.objects.count() == count
