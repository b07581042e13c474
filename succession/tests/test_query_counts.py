"""Every succession page costs a fixed number of queries, however many key positions and
candidates: measured with a small plan, pinned with a full one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from growth.tests.factories import cast_framework
from plans.models import Plan, PlanAction
from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate


@pytest.fixture
def filled(cast):
    """Twelve key positions in Platform and Engineering, each with ten candidates (Bob's
    reports, with plans and actions), their history, and Alice in one."""
    cast_framework(cast)
    from people.models import Role

    role = Role.objects.get(name="Engineering manager")
    today = timezone.localdate()
    reports = [cast.alice] + [
        make_person(f"r{n}@example.com", f"Report {n}", manager=cast.bob, team=cast.platform)
        for n in range(9)
    ]
    for person in reports:
        plan = Plan.objects.get_or_create(person=person, defaults={"ambition": "Lead"})[0]
        PlanAction.objects.create(plan=plan, kind="course", title="Course")
    positions = []
    for n in range(12):
        position = KeyPosition.objects.create(
            team=cast.platform if n % 2 else cast.engineering,
            role=role,
            level=4,
            title=f"Position {n}",
            incumbent=cast.bob,
        )
        positions.append(position)
        for rank, person in enumerate(reports, start=1):
            candidacy = SuccessionCandidate.objects.create(
                position=position,
                person=person,
                readiness=["now", "1-2", "3+"][rank % 3],
                readiness_on=today - timedelta(days=rank * 40),
                rank=rank,
                emergency=rank == 1,
            )
            CandidacyChange.objects.create(
                position=position, person=person, candidacy=candidacy, kind="named"
            )
    return positions[1]  # in Platform: Bob leads it


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        # The session, the person, the shell (HR role, what waits); the positions, their bench
        # (one query), whether they may add one; candidacies elsewhere (none).
        ("succession:index", "erin", 8),
        ("succession:index", "carol", 8),
        # The position; its candidates; the framework (version, tracks' roles); the assessed
        # levels (Bob: his reports'); their plans and open actions (Bob's only); the bench; the
        # history; who sees it (the leads above, people, HR); the shell's counts; the access
        # log's one insert.
        ("succession:position", "erin", 15),
        ("succession:position", "bob", 18),
        # Talent's main page, every part's card (the succession card: the positions and their
        # bench).
        ("talent:index", "erin", 9),
        # For someone neither HR nor a lead, the succession card's one query says so.
        ("talent:index", "alice", 9),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    client, login, cast, filled, django_assert_max_num_queries, name, who, most
):
    url = reverse(name, args=[filled.pk]) if name == "succession:position" else reverse(name)
    login(getattr(cast, who))
    client.get(url)  # the first reads the framework's published version
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_a_candidacy_page_costs_a_fixed_number_of_queries(
    client, login, cast, filled, django_assert_max_num_queries
):
    candidacy = SuccessionCandidate.objects.filter(position=filled, person=cast.alice).get()
    url = reverse("succession:candidacy", args=[candidacy.pk])
    login(cast.bob)
    client.get(url)
    with django_assert_max_num_queries(17):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "most"),
    [
        ("api:list_key_positions", 4),
        ("api:get_key_position", 5),
        ("api:list_candidates", 6),
    ],
)
def test_each_api_read_costs_a_fixed_number_of_queries(
    client, login, cast, filled, django_assert_max_num_queries, name, most
):
    url = reverse(name) if name == "api:list_key_positions" else reverse(name, args=[filled.pk])
    login(cast.erin)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
