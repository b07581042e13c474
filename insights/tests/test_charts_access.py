"""Who reads the charts of the hand-built organisation (`insights.tests.acme`): each role its
own page and scope, through the page and the CSV of every chart; and what a page costs with
every chart computed, twice (history adds nothing)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import charts, compute
from insights.tests.acme import (  # noqa: F401 - the fixtures
    acme_fixture,
    development_fixture,
    flow_fixture,
    goals_fixture,
    pulse_fixture,
    reviews_fixture,
    rhythm_fixture,
    skills_fixture,
)

pytestmark = pytest.mark.django_db

KINDS = ("rhythm", "goals", "feedback", "development", "skills", "engagement", "reviews")


def test_every_chart_is_registered_for_every_audience():
    registered = {c.kind: c for c in charts.registered()}
    for kind in KINDS:
        assert set(registered[kind].audiences) == {"manager", "team", "org"}


@pytest.fixture
def everything(acme, rhythm, goals, flow, development, skills, reviews, pulse):
    compute.compute(timezone.now())
    return acme


@pytest.mark.parametrize(
    ("who", "page", "status"),
    [
        ("a", "team", 403),  # an employee: no page
        ("a", "organisation", 403),
        ("a", "hr", 403),
        ("max", "team", 200),  # manages a1–a5
        ("max", "organisation", 200),  # leads Alpha
        ("max", "hr", 403),
        ("cleo", "organisation", 200),
        ("hana", "hr", 200),
        ("hana", "organisation", 403),  # HR who leads no team
    ],
)
def test_each_role_reads_its_own_pages_and_their_csvs(client, login, everything, who, page, status):
    person = everything.a[0] if who == "a" else getattr(everything, who)
    login(person)
    assert client.get(reverse(f"insights:{page}")).status_code == status
    for kind in KINDS:
        assert client.get(reverse(f"insights:{page}_csv", args=[kind])).status_code == status


def test_a_leader_reads_only_their_part(client, login, everything):
    login(everything.max)
    for kind in KINDS:
        url = reverse("insights:organisation_csv", args=[kind])
        assert client.get(url, {"team": everything.beta.pk}).status_code == 404
        assert client.get(url, {"team": everything.alpha.pk}).status_code == 200
    response = client.get(reverse("insights:organisation"))
    assert response.context["insights"].team == everything.alpha


def test_a_manager_reads_their_reports_never_a_team_above(client, login, everything):
    login(everything.max)
    response = client.get(reverse("insights:team"), {"team": everything.acme.pk})
    assert response.context["insights"].scope == f"manager:{everything.max.pk}"


def test_hr_for_a_part_reads_only_that_part(client, login, everything):
    from access.models import HRRole

    HRRole.objects.filter(person=everything.hana).update(scope=everything.beta)
    compute.compute(timezone.now())
    login(everything.hana)
    response = client.get(reverse("insights:hr"))
    assert response.context["insights"].scope == f"team:{everything.beta.pk}"
    url = reverse("insights:hr_csv", args=["feedback"])
    assert client.get(url, {"team": everything.alpha.pk}).status_code == 404


@pytest.mark.parametrize(
    ("page", "who", "most"),
    [
        # The session, the person, whether they manage anyone; the snapshots; the shell.
        ("insights:team", "max", 8),
        # ... the teams they lead; the teams to choose from; the snapshots; the shell.
        ("insights:organisation", "cleo", 9),
        ("insights:hr", "hana", 9),
    ],
)
def test_a_page_with_every_chart_costs_a_fixed_number_of_queries(
    client, login, everything, django_assert_max_num_queries, page, who, most
):
    compute.compute(timezone.now() + timedelta(minutes=1))  # history adds no query
    login(getattr(everything, who))
    client.get(reverse(page))
    with django_assert_max_num_queries(most):
        response = client.get(reverse(page))
    assert response.status_code == 200
    blocks = {b.kind: b for b in response.context["insights"].blocks}
    assert all(blocks[kind].snapshot is not None for kind in KINDS)
