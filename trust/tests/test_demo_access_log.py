"""The demo's access log: managers reading their reports' goals and conversations, HR reading
employment details, 360 reports read once a cycle closes; every read one the rules allow, none
of one's own data, within the last year; the same for the same seed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access import catalogue
from access.rules import can
from access.viewer import Viewer
from conftest import demo_for_the_module
from people.demo import build_demo
from people.models import Person
from trust import demo_access_log as demo
from trust.models import AccessLogEntry

pytestmark = pytest.mark.django_db


# Built once for the module's tests (each still runs in its own savepoint).
module_org, org = demo_for_the_module(people=60, years=2, seed=3)


def fingerprint():
    return sorted(
        AccessLogEntry.objects.values_list(
            "viewer__email", "subject__email", "kind", "count", "channel", "path", "at"
        )
    )


def test_the_log_tells_the_demos_story(org):
    kinds = set(AccessLogEntry.objects.values_list("kind", flat=True))
    assert {
        "goals.team",
        "goals.private",
        "conversations.record",
        "people.employment",
        "feedback.review_reports",
    } <= kinds
    assert org.counts["access-log entries"] == AccessLogEntry.objects.count() > 500
    hr_reads = AccessLogEntry.objects.filter(kind="people.employment")
    assert hr_reads.filter(viewer=org.hr).exists()
    assert AccessLogEntry.objects.filter(channel="api").exists()


def test_nobody_reads_their_own_data_and_all_is_within_the_last_year(org):
    from django.db.models import F

    assert not AccessLogEntry.objects.filter(viewer_id=F("subject_id")).exists()
    oldest = AccessLogEntry.objects.order_by("at").values_list("at", flat=True).first()
    assert oldest >= timezone.now() - timedelta(days=demo.DAYS + 1)
    assert not AccessLogEntry.objects.filter(at__gt=timezone.now()).exists()


def test_every_item_read_is_one_the_rules_allow(org):
    entries = AccessLogEntry.objects.filter(item__isnull=False).order_by("pk")
    viewers = {}
    for entry in entries[:: max(1, entries.count() // 300)]:
        kind = catalogue.get(entry.kind)
        obj = kind.model._default_manager.get(pk=entry.item)
        assert kind.matches(obj) and kind.subject_of(obj) == entry.subject_id
        viewer = viewers.setdefault(entry.viewer_id, Viewer(Person.objects.get(pk=entry.viewer_id)))
        assert can(viewer, kind.action, obj), (entry.kind, entry.viewer_id, entry.item)


def test_the_same_seed_writes_the_same_log_and_a_flush_removes_it(org):
    first = fingerprint()
    build_demo(people=60, years=2, seed=3, flush=True)
    assert fingerprint() == first
    build_demo(people=60, years=2, seed=4, flush=True)
    assert fingerprint() != first
    assert not AccessLogEntry.objects.exclude(subject__in=Person.objects.all()).exists()
