"""My data and the export count the same items of every kind for the same person: what the
person may see of it under the kind's own rule (a 360 report once it is released to them, not
every 360 they take part in)."""

import pytest
from django.utils import timezone

from access import catalogue
from access.viewer import Viewer
from feedback.models import CycleStatus
from feedback.tests.factories import add_participant, make_cycle
from trust import exporting
from trust.data import my_data
from trust.tests.export_helpers import Archive, alices_history

pytestmark = pytest.mark.django_db


def counts_on_my_data(person):
    data = my_data(Viewer(person))
    return {item.kind.key: item.count for module in data.modules for item in module.kinds}


def counts_in_the_export(person):
    archive = Archive(exporting.archive(person, "en"))
    return {kind.key: len(archive.items(kind.key)) for kind in catalogue.registered()}


@pytest.fixture
def reviews(cast):
    """Alice in three 360s: one report released to her, one closed but not released yet (her
    manager reads it, she does not), one still being answered."""
    released = make_cycle("Released 360", status=CycleStatus.CLOSED)
    add_participant(released, cast.alice, released_at=timezone.now())
    add_participant(make_cycle("Closed 360", status=CycleStatus.CLOSED), cast.alice)
    add_participant(make_cycle("Running 360"), cast.alice)


def test_my_360_reports_are_counted_alike(cast, reviews):
    assert counts_on_my_data(cast.alice)["feedback.review_reports"] == 1
    assert counts_in_the_export(cast.alice)["feedback.review_reports"] == 1
    assert counts_on_my_data(cast.alice)["feedback.reviews"] == 3


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_every_kind_is_counted_alike(cast, reviews, who):
    alices_history(cast)
    person = getattr(cast, who)
    assert counts_on_my_data(person) == counts_in_the_export(person)
