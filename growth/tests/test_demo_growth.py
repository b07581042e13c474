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


@pytest.fixture
def assessed():
    from growth.demo import assessments

    org = build_demo(people=120, years=3, seed=5, history=False)
    competency_framework(org)
    assessments(org)
    return org


def test_the_demo_assesses_most_people_once_or_twice_and_some_teams_never(assessed):
    from collections import Counter

    from growth.models import Assessment

    counts = Counter(Assessment.objects.values_list("subject_id", flat=True))
    people = [p for p in assessed.current if p.manager_id is not None]
    assert set(counts.values()) <= {1, 2}
    assert 0.3 < len([p for p in people if p.pk in counts]) / len(people) < 0.98
    # Only one open at a time, and the old ones agreed and closed.
    open_ones = Counter(
        Assessment.objects.filter(closed_at__isnull=True).values_list("subject_id", flat=True)
    )
    assert set(open_ones.values()) <= {1}


def test_demo_self_and_manager_ratings_differ_by_a_level_at_most_and_agree_mostly(assessed):
    from growth.models import Rating

    levels: dict[tuple[int, int], dict[str, int]] = {}
    for assessment, competency, side, level in Rating.objects.values_list(
        "assessment_id", "competency_id", "side", "level"
    ):
        levels.setdefault((assessment, competency), {})[side] = level
    pairs = [sides for sides in levels.values() if "self" in sides and "manager" in sides]
    assert pairs
    assert all(abs(sides["self"] - sides["manager"]) <= 2 for sides in pairs)
    same = sum(sides["self"] == sides["manager"] for sides in pairs)
    assert same / len(pairs) > 0.4
    agreed = [sides for sides in levels.values() if "agreed" in sides]
    assert sum(s["agreed"] == s["manager"] for s in agreed) / len(agreed) > 0.7


def test_the_demos_assessments_are_the_same_for_the_same_seed(assessed):
    from growth.demo import assessments
    from growth.models import Assessment, Rating

    before = list(Rating.objects.order_by("pk").values_list("assessment__subject_id", "level"))
    Rating.objects.all().delete()
    Assessment.objects.all().delete()
    assessments(assessed)
    after = list(Rating.objects.order_by("pk").values_list("assessment__subject_id", "level"))
    assert after == before


def test_a_flush_takes_the_assessments_too(assessed):
    from growth.models import Assessment

    assert Assessment.objects.exists()
    build_demo(people=60, years=2, seed=4, flush=True, history=False)
    assert not Assessment.objects.exists()
