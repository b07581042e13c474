"""One open assessment per person at a time: the database holds it (a partial unique
constraint on the subject of assessments not closed), so that two starts at once (a manager's
and HR's round) cannot both pass the services' check; the page and the API say so clearly,
and a round skips whoever has one open. Run on PostgreSQL too (`DATABASE_URL`)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from growth import services
from growth.models import Assessment
from growth.tests.helpers import as_
from trust.models import AuditEntry

LIST = "/api/v1/growth/assessments"


@pytest.fixture
def alices(cast, framework):
    """Alice's open assessment, started by herself."""
    return services.start_assessment(as_(cast.alice), cast.alice.pk)


@pytest.fixture
def meanwhile(monkeypatch):
    """Two starts at once: the services' own check sees none open (the other start has not
    committed yet when it looks), and only the database's constraint is left to say no."""
    monkeypatch.setattr(services, "_has_open", lambda person_id: False)
    monkeypatch.setattr(services, "_open_among", lambda person_ids: set())


def open_of(person):
    return Assessment.objects.filter(subject=person, closed_at__isnull=True).count()


def test_the_database_keeps_one_open_assessment_per_person(cast, alices):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(subject=cast.alice, version=alices.version)
    services.close(as_(cast.alice), alices)  # closed ones are history: any number of them
    again = Assessment.objects.create(subject=cast.alice, version=alices.version)
    services.close(as_(cast.alice), Assessment.objects.get(pk=again.pk))
    Assessment.objects.create(subject=cast.alice, version=alices.version)
    assert open_of(cast.alice) == 1
    assert Assessment.objects.filter(subject=cast.alice).count() == 3


def test_the_api_refuses_a_second_one_on_person_with_a_clear_message(login, cast, alices):
    response = login(cast.bob).post(
        LIST, {"person": cast.alice.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "person"]
    assert error["msg"] == (
        "Alice Employee already has an open assessment: finish or close it before you start "
        "another."
    )
    assert open_of(cast.alice) == 1


def test_the_api_refuses_one_started_meanwhile(login, cast, alices, meanwhile):
    response = login(cast.bob).post(
        LIST, {"person": cast.alice.pk}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "person"]
    assert open_of(cast.alice) == 1


@pytest.mark.parametrize("race", [False, True], ids=["checked", "meanwhile"])
def test_the_page_says_so_and_lets_her_go_on(login, cast, alices, monkeypatch, race):
    if race:
        monkeypatch.setattr(services, "_has_open", lambda person_id: False)
    response = login(cast.alice).post(reverse("growth:assessment_start"), follow=True)
    assert response.redirect_chain == [(reverse("growth:index"), 302)]
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        "You already have an open assessment: finish or close it before you start another."
    ]
    assert [a.pk for a in response.context["assessments"]] == [alices.pk]  # the open one
    assert open_of(cast.alice) == 1


@pytest.mark.parametrize("race", [False, True], ids=["checked", "meanwhile"])
def test_a_round_skips_whoever_has_one_open(login, cast, alices, monkeypatch, race):
    if race:
        monkeypatch.setattr(services, "_open_among", lambda person_ids: set())
    due = timezone.localdate() + timedelta(days=14)
    response = login(cast.erin).post(
        "/api/v1/growth/rounds",
        {"name": "Spring", "team_id": cast.platform.pk, "due_date": due.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["progress"]["started"] == 1  # Bob; Alice has hers
    assert open_of(cast.alice) == 1 and open_of(cast.bob) == 1
    entry = AuditEntry.objects.get(action="growth.round_started")
    assert (entry.changes["people"], entry.changes["already_open"]) == (1, 1)
