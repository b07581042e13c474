"""The demo's competency framework: the starter, with every demo role below the executives on
a track, so that the demo's people see where they stand; a handful of rows, kept by a flush."""

import pytest
from django.urls import reverse

from growth import queries
from growth.demo import competency_framework
from growth.models import FrameworkVersion
from people.demo import EXECUTIVE, build_demo
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    org = build_demo(people=60, years=2, seed=3, history=False)
    competency_framework(org)
    return org


def test_the_demo_publishes_the_starter_once_by_hr_at_the_start_of_its_history(org):
    version = FrameworkVersion.objects.get()
    assert (version.number, version.published_by) == (1, org.hr)
    assert version.published_at.date() == org.history_start
    competency_framework(org)  # again: the organisation's framework is kept
    assert FrameworkVersion.objects.count() == 1


def test_everyone_below_the_executives_has_a_role_profile(org):
    framework = queries.current()
    without = [
        (person.role.name, person.level)
        for person in Person.objects.filter(pk__in=[p.pk for p in org.current]).select_related(
            "role"
        )
        if framework.step_of(person.role_id, person.level) is None
    ]
    assert {role for role, _level in without} <= {EXECUTIVE}


def test_a_demo_manager_sees_the_management_track(org, client):
    manager = next(p for p in org.managers if p.role.name != EXECUTIVE and p.level in (4, 5))
    client.force_login(manager)
    page = client.get(reverse("growth:index")).text
    assert "Management" in page and "What your role expects" in page


def test_a_flush_takes_the_framework_with_the_people(org):
    build_demo(people=60, years=2, seed=4, flush=True, history=False)
    assert not FrameworkVersion.objects.exists()
