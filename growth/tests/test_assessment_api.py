"""Assessments in the API: mine and my reports', each side as the caller may see it."""

from growth import services
from growth.tests.helpers import as_, rated

LIST = "/api/v1/growth/assessments"


def test_the_list_holds_mine_and_my_reports(login, cast, framework, client):
    assessment = rated(cast, mine=3)
    services.start_assessment(as_(cast.bob), cast.bob.pk)
    mine = login(cast.alice).get(LIST).json()["items"]
    assert [item["id"] for item in mine] == [assessment.pk]
    assert mine[0]["subject"]["name"] == "Alice Employee" and mine[0]["version"] == 1
    client.logout()
    bobs = login(cast.bob).get(LIST).json()["items"]
    assert len(bobs) == 2
    client.logout()
    assert login(cast.erin).get(LIST).json()["items"] == []  # HR follows rounds as counts


def test_one_assessment_shows_each_side_the_caller_may_see(login, cast, framework, client):
    assessment = rated(cast, mine=3, theirs=2, share=False)
    services.share(as_(cast.alice), assessment)
    url = f"{LIST}/{assessment.pk}"
    body = login(cast.bob).get(url).json()
    line = next(c for c in body["competencies"] if c["key"] == "communication")
    assert line["self"]["level"] == 3 and line["manager"]["level"] == 2
    assert line["agreed"] is None
    client.logout()
    line = next(
        c for c in login(cast.alice).get(url).json()["competencies"] if c["key"] == "communication"
    )
    assert line["self"]["level"] == 3 and line["manager"] is None  # his draft
    client.logout()
    body = login(cast.erin).get(url).json()
    assert body["status"] == "self_done"
    assert all(c["self"] is None and c["manager"] is None for c in body["competencies"])
    client.logout()
    assert login(cast.carol).get(url).status_code == 404


def test_starting_through_the_api(login, cast, framework):
    response = login(cast.bob).post(
        LIST, {"person": cast.alice.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["subject"]["id"] == cast.alice.pk


def test_alice_shares_it_with_hr_through_the_api_and_hr_then_sees_the_ratings(
    login, cast, framework, client
):
    assessment = rated(cast, mine=3, theirs=2)
    url = f"{LIST}/{assessment.pk}"
    assert login(cast.bob).post(f"{url}/share-with-hr").status_code == 403  # hers to choose
    client.logout()
    response = login(cast.alice).post(f"{url}/share-with-hr")
    assert response.status_code == 200 and response.json()["hr_shared_at"] is not None
    assert login(cast.alice).post(f"{url}/share-with-hr").status_code == 403  # done already
    client.logout()
    line = next(
        c for c in login(cast.erin).get(url).json()["competencies"] if c["key"] == "communication"
    )
    assert line["self"]["level"] == 3 and line["manager"]["level"] == 2
