"""Surveys in the API: my open rounds and answering them, results as I may read them; the same
answers as the pages for the same input."""

import pytest
from django.utils import timezone

from conftest import make_person
from surveys import rounds
from surveys.models import Invitation
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(cast):
    """Engineering's pulse: Carol, Bob, Alice and four more, enough for figures."""
    for i in range(4):
        make_person(f"eng{i}@example.com", f"Eng {i}", team=cast.engineering)
    return rounds.open_round(make_survey(team=cast.engineering), timezone.localdate())


def _answers(found):
    by_key = {q.key: q.pk for q in found.questions.all()}
    return {
        str(by_key["engagement-energy"]): 4,
        str(by_key["safety-mistakes"]): 2,
        str(by_key["enps"]): 8,
        str(by_key["comment"]): "Fine",
    }


def test_my_open_rounds_list_their_questions(login, cast, open_round):
    rows = login(cast.alice).get("/api/v1/surveys/rounds").json()
    assert len(rows) == 1
    assert rows[0]["threshold"] == 5
    enps = next(q for q in rows[0]["questions"] if q["kind"] == "enps")
    assert enps["answers"] == list(range(11))
    assert login(cast.dave).get("/api/v1/surveys/rounds").json() == []  # not asked


def test_answering_once_through_the_api(login, cast, open_round):
    invitation = Invitation.objects.get(round=open_round, person=cast.alice)
    url = f"/api/v1/surveys/invitations/{invitation.pk}/answers"
    alice = login(cast.alice)
    bad = alice.post(url, {"answers": {}}, content_type="application/json")
    assert bad.status_code == 422
    assert {tuple(e["loc"][-2:]) for e in bad.json()["detail"]} >= {
        ("answers", q.pk) for q in open_round.questions.all() if q.kind != "text"
    }
    done = alice.post(url, {"answers": _answers(open_round)}, content_type="application/json")
    assert done.status_code == 204
    again = alice.post(url, {"answers": _answers(open_round)}, content_type="application/json")
    assert again.status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).answered


def test_nobody_answers_for_someone_else(login, cast, open_round):
    invitation = Invitation.objects.get(round=open_round, person=cast.alice)
    url = f"/api/v1/surveys/invitations/{invitation.pk}/answers"
    for person in (cast.bob, cast.erin, cast.frank):
        answer = login(person).post(
            url, {"answers": _answers(open_round)}, content_type="application/json"
        )
        assert answer.status_code == 404, person


def test_results_in_the_api_are_the_page_s(login, cast, open_round):
    for invitation in Invitation.objects.filter(round=open_round):
        rounds.submit(invitation, {int(k): v for k, v in _answers(open_round).items()})
    rounds.close_round(open_round)
    survey = open_round.survey
    erin = login(cast.erin)
    assert [s["id"] for s in erin.get("/api/v1/surveys").json()] == [survey.pk]
    body = erin.get(f"/api/v1/surveys/{survey.pk}/results").json()
    everyone = body["rounds"][0]["groups"][0]
    assert everyone["key"] == "all"
    assert everyone["respondents"] == open_round.invited
    assert everyone["enps"] == 0  # everyone answered 8: passives
    assert login(cast.alice).get(f"/api/v1/surveys/{survey.pk}/results").status_code == 404
