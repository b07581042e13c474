"""HR's assessment rounds in the API: the rounds within the caller's scope, starting one
through the page's service (the same input gets the same answer from the page), and a round's
progress as the page's counts, never a rating."""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from accounts.models import ApiToken
from conftest import make_person
from growth import services
from growth.models import Assessment, AssessmentRound
from growth.tests.helpers import as_, competency

ROUNDS = "/api/v1/growth/rounds"


def due(days=14):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def narrow_hr(cast):
    """Hana, HR for Platform only (Alice's and Bob's team)."""
    hana = make_person("hana@example.com", "Hana HR", team=cast.people_team)
    HRRole.objects.create(person=hana, scope=cast.platform)
    return hana


def test_hr_starts_a_round_and_reads_its_progress_as_the_page_counts(login, cast, framework):
    client = login(cast.erin)
    response = client.post(
        ROUNDS,
        {"name": "Spring", "team_id": cast.engineering.pk, "due_date": due().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == {"id": cast.engineering.pk, "name": cast.engineering.name}
    assert body["progress"] == {"started": 3, "self_done": 0, "manager_done": 0, "agreed": 0}
    started = AssessmentRound.objects.get(pk=body["id"])
    alice = started.assessments.select_related("subject").get(subject=cast.alice)
    services.rate(
        as_(cast.alice), alice, competency_id=competency(alice, "communication").pk, level=3
    )
    services.share(as_(cast.alice), alice)
    api = client.get(f"{ROUNDS}/{started.pk}").json()
    page = client.get(reverse("growth:round", args=[started.pk])).context["counts"]
    assert api["progress"] == page == {"started": 3, "self_done": 1, "manager_done": 0, "agreed": 0}
    assert "ratings" not in json.dumps(api) and "level" not in json.dumps(api)


def test_the_list_holds_the_rounds_within_the_callers_scope(
    login, cast, framework, narrow_hr, client
):
    whole = services.start_round(as_(cast.erin), name="All", team_id=None, due_date=due())
    platform = services.start_round(
        as_(cast.erin), name="Platform", team_id=cast.platform.pk, due_date=due(20)
    )
    ids = [item["id"] for item in login(cast.erin).get(ROUNDS).json()["items"]]
    assert ids == [platform.pk, whole.pk]  # newest first
    client.logout()
    hanas = login(narrow_hr)
    assert [item["id"] for item in hanas.get(ROUNDS).json()["items"]] == [platform.pk]
    assert hanas.get(f"{ROUNDS}/{whole.pk}").status_code == 404  # not hers to know of
    client.logout()
    for person in (cast.alice, cast.bob, cast.frank):  # the page's answer: HR's
        assert login(person).get(ROUNDS).status_code == 403
        assert login(person).get(f"{ROUNDS}/{platform.pk}").status_code == 404
        client.logout()


def test_whoever_does_not_run_rounds_is_refused_whatever_they_send(login, cast, framework):
    response = login(cast.bob).post(ROUNDS, {"name": 7}, content_type="application/json")
    assert response.status_code == 403
    assert not AssessmentRound.objects.exists()


# --- The page and the API answer the same -------------------------------------------------


@dataclass
class Case:
    name: str
    who: str
    data: dict  # name, team (an attribute of the cast, or None), due (days from today)
    expect: str  # stored, refused, denied
    field: str = ""  # as the API names it


CASES = [
    Case("the whole organisation", "erin", {"team": None}, "stored"),
    Case("a team", "erin", {"team": "platform"}, "stored"),
    Case("a team within a narrow scope", "hana", {"team": "platform"}, "stored"),
    Case("the organisation is beyond hers", "hana", {"team": None}, "refused", "team_id"),
    Case("a team beyond hers", "hana", {"team": "sales"}, "refused", "team_id"),
    Case("a day gone by", "erin", {"team": None, "due": -1}, "refused", "due_date"),
    Case("no name", "erin", {"team": None, "name": "  "}, "refused", "name"),
    Case("a manager", "bob", {"team": "platform"}, "denied"),
]
FIELDS = {"team": "team_id"}  # the page's form names it "team"


def values(cast, case):
    team = case.data.get("team")
    return (
        case.data.get("name", "Spring"),
        getattr(cast, team).pk if team else None,
        due(case.data.get("due", 14)).isoformat(),
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_page_answers_as_the_table_says(login, cast, framework, narrow_hr, case):
    cast.hana = narrow_hr
    name, team, day = values(cast, case)
    response = login(getattr(cast, case.who)).post(
        reverse("growth:rounds"), {"name": name, "team": team or "", "due_date": day}
    )
    if response.status_code == 302:
        outcome = ("stored", "")
    elif response.status_code == 403:
        outcome = ("denied", "")
    else:
        errors = response.context["form"].errors
        outcome = ("refused", FIELDS.get(next(iter(errors)), next(iter(errors))))
    assert outcome == (case.expect, case.field)
    assert AssessmentRound.objects.exists() == (case.expect == "stored")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_api_answers_as_the_table_says(cast, framework, narrow_hr, case):
    cast.hana = narrow_hr
    name, team, day = values(cast, case)
    _token, raw = ApiToken.issue(getattr(cast, case.who), "table")
    response = Client().post(
        ROUNDS,
        json.dumps({"name": name, "team_id": team, "due_date": day}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    if response.status_code == 201:
        outcome = ("stored", "")
    elif response.status_code == 403:
        outcome = ("denied", "")
    else:
        assert response.status_code == 422, response.content
        outcome = ("refused", response.json()["detail"][0]["loc"][-1])
    assert outcome == (case.expect, case.field)
    assert AssessmentRound.objects.exists() == (case.expect == "stored")
    assert Assessment.objects.exists() == (case.expect == "stored")
