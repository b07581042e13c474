"""Action plans and replies to comments in the API: the same rules and services as the pages
(`test_plans.py`); the respondent's replies carry nothing that leads to a response."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import SurveyAction, SurveyActionPlan, SurveyCommentReply
from surveys.tests.test_plans import a_round, engineering, plan_for, platform_comment

pytestmark = pytest.mark.django_db
assert engineering  # a fixture, used by name
API = "/api/v1/surveys"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_lead_makes_a_plan_adds_an_action_and_shares_it(login, cast, engineering):
    survey, found = engineering
    energy = found.questions.get(key="engagement-energy")
    bob = login(cast.bob)
    made = post(
        bob,
        f"{API}/{survey.pk}/plans",
        {"round": found.number, "group": f"t:{cast.platform.pk}", "focus": [energy.pk]},
    )
    assert made.status_code == 201, made.json()
    plan = made.json()
    assert plan["team"] == {"id": cast.platform.pk, "name": cast.platform.name}
    assert plan["focus"][0]["mean_then"] == 2.0 and plan["focus"][0]["mean_latest"] is None
    assert plan["may_change"] and not plan["shared_with_team"]
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    action = post(
        bob,
        f"{API}/plans/{plan['id']}/actions",
        {"text": "Pair weekly", "owner_id": cast.alice.pk, "due_date": due},
    )
    assert action.status_code == 201
    assert action.json()["owner"] == {"id": cast.alice.pk, "name": cast.alice.name}
    shared = post(bob, f"{API}/plans/{plan['id']}/share", None)
    assert shared.status_code == 200 and shared.json()["shared_with_team"]
    a_round(survey, 20, energy=4)
    again = bob.get(f"{API}/plans/{plan['id']}").json()
    assert again["focus"][0]["mean_latest"] == 4.0 and len(again["actions"]) == 1


def test_a_plan_is_made_only_from_results_one_reads(login, cast, engineering):
    survey, found = engineering
    energy = found.questions.get(key="engagement-energy")
    body = {"round": found.number, "group": f"t:{cast.platform.pk}", "focus": [energy.pk]}
    for person in (cast.alice, cast.dave, cast.frank):
        assert post(login(person), f"{API}/{survey.pk}/plans", body).status_code == 404
    erin = login(cast.erin)
    assert post(erin, f"{API}/{survey.pk}/plans", {**body, "group": "all"}).status_code == 404
    assert post(erin, f"{API}/{survey.pk}/plans", {**body, "round": 9}).status_code == 404
    refused = post(erin, f"{API}/{survey.pk}/plans", {**body, "focus": []})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "focus"]
    assert not SurveyActionPlan.objects.exists()


def test_who_lists_and_reads_plans(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    for person in (cast.bob, cast.carol, cast.erin):
        client = login(person)
        assert [p["id"] for p in client.get(f"{API}/plans").json()["items"]] == [plan.pk]
        assert client.get(f"{API}/plans/{plan.pk}").status_code == 200
    for person in (cast.alice, cast.dave, cast.frank):
        client = login(person)
        assert client.get(f"{API}/plans").json()["items"] == [], person
        assert client.get(f"{API}/plans/{plan.pk}").status_code == 404, person
    plan.shared_with_team = True
    plan.save()
    alice = login(cast.alice)
    assert alice.get(f"{API}/plans/{plan.pk}").json()["may_change"] is False
    assert post(alice, f"{API}/plans/{plan.pk}/share", None).status_code == 403
    assert login(cast.dave).get(f"{API}/plans/{plan.pk}").status_code == 404


def test_an_action_s_owner_reads_the_plan_and_marks_their_action_done(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    due = timezone.localdate() + timedelta(days=3)
    mine = SurveyAction.objects.create(plan=plan, text="Mine", owner=cast.alice, due_date=due)
    other = SurveyAction.objects.create(plan=plan, text="Bob's", owner=cast.bob, due_date=due)
    alice = login(cast.alice)
    assert [p["id"] for p in alice.get(f"{API}/plans").json()["items"]] == [plan.pk]
    assert alice.get(f"{API}/plans/{plan.pk}").json()["may_change"] is False
    done = alice.patch(f"{API}/actions/{mine.pk}", {"done": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["done_at"]
    theirs = alice.patch(
        f"{API}/actions/{other.pk}", {"done": True}, content_type="application/json"
    )
    assert theirs.status_code == 403
    add = post(
        alice,
        f"{API}/plans/{plan.pk}/actions",
        {"text": "More", "owner_id": cast.alice.pk, "due_date": due.isoformat()},
    )
    assert add.status_code == 403
    assert (
        login(cast.dave)
        .patch(f"{API}/actions/{mine.pk}", {"done": False}, content_type="application/json")
        .status_code
        == 404
    )


def test_an_action_needs_an_owner_of_the_team_and_a_day_to_come(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    carol = login(cast.carol)
    url = f"{API}/plans/{plan.pk}/actions"
    bad = post(carol, url, {"text": "Talk", "owner_id": cast.dave.pk, "due_date": "2020-01-01"})
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["detail"]} == {
        ("body", "owner"),
        ("body", "due_date"),
    }
    unknown = post(carol, url, {"text": "Talk", "owner_id": 99999, "due_date": "2030-01-01"})
    assert unknown.status_code == 422
    assert not SurveyAction.objects.exists()


# --- Comments and replies -------------------------------------------------------------------


def test_a_reader_lists_a_group_s_comments_and_replies_once(login, cast, engineering):
    survey, found = engineering
    group = f"t:{cast.platform.pk}"
    erin = login(cast.erin)
    listed = erin.get(f"{API}/{survey.pk}/comments", {"group": group, "round": found.number})
    assert listed.status_code == 200
    assert listed.json()["next_cursor"] is None
    texts = {c["text"] for c in listed.json()["items"]}
    assert texts == {platform_comment(found).text}
    comment = listed.json()["items"][0]
    assert set(comment) == {"id", "question", "text", "replies", "replied"}
    url = f"{API}/comments/{comment['id']}/replies"
    made = post(erin, url, {"text": "Thank you, we hear you"})
    assert made.status_code == 201 and made.json()["author"]["name"] == cast.erin.name
    assert post(erin, url, {"text": "Again"}).status_code == 422
    again = login(cast.bob).get(f"{API}/{survey.pk}/comments", {"group": group}).json()
    again = again["items"]
    assert again[0]["replies"][0]["text"] == "Thank you, we hear you"
    assert again[0]["replied"] is False
    assert SurveyCommentReply.objects.count() == 1


def test_comments_come_a_page_at_a_time_as_every_list_of_the_api(login, cast, engineering):
    """The API's own paging (`cadence.api_kit.Page`): `limit`, then `next` until it is null;
    each comment once."""
    survey, found = engineering
    erin = login(cast.erin)
    page = erin.get(f"{API}/{survey.pk}/comments", {"group": "all", "limit": 5}).json()
    seen = [comment["id"] for comment in page["items"]]
    while page["next"]:
        page = erin.get(page["next"]).json()
        seen += [comment["id"] for comment in page["items"]]
    assert len(seen) == len(set(seen)) == found.respondents == 12
    assert len(erin.get(f"{API}/{survey.pk}/comments", {"limit": 5}).json()["items"]) == 5


def test_only_readers_of_a_comment_list_or_reply_to_it(login, cast, engineering):
    survey, found = engineering
    comment = platform_comment(found)
    for person in (cast.alice, cast.dave, cast.frank):
        client = login(person)
        assert client.get(f"{API}/{survey.pk}/comments").status_code == 404, person
        reply = post(client, f"{API}/comments/{comment.pk}/replies", {"text": "Hi"})
        assert reply.status_code == 404, person
    erin = login(cast.erin)
    assert erin.get(f"{API}/{survey.pk}/comments", {"group": "t:99999"}).status_code == 404
    assert erin.get(f"{API}/{survey.pk}/comments", {"round": 99}).status_code == 404
    assert post(erin, f"{API}/comments/{comment.pk}x/replies", {"text": "Hi"}).status_code == 404
    assert not SurveyCommentReply.objects.exists()


def test_the_people_of_the_comment_s_groups_read_the_reply_and_nothing_more(
    login, cast, engineering
):
    _survey, found = engineering
    comment = platform_comment(found)
    SurveyCommentReply.objects.create(comment=comment, text="We will pair more", author=cast.bob)
    rows = login(cast.alice).get(f"{API}/replies").json()
    assert rows == [
        {
            "survey": "Engineering pulse",
            "round_opens_on": found.opens_on.isoformat(),
            "comment": comment.text,
            "reply": "We will pair more",
            "author": cast.bob.name,
        }
    ]
    body = login(cast.alice).get(f"{API}/replies").content.decode()
    assert str(comment.pk) not in body and str(comment.pk.hex) not in body
    for person in (cast.carol, cast.dave, cast.erin):  # not in Platform
        assert login(person).get(f"{API}/replies").json() == [], person


def test_the_api_s_plan_and_comment_reads_take_a_fixed_number_of_queries(
    login, cast, engineering, django_assert_max_num_queries
):
    survey, found = engineering
    plan = plan_for(cast, survey, found, shared=True)
    due = timezone.localdate() + timedelta(days=3)
    bob = login(cast.bob)
    urls = [
        f"{API}/plans",
        f"{API}/plans/{plan.pk}",
        f"{API}/{survey.pk}/comments?group=t:{cast.platform.pk}",
    ]
    counted = {}
    for url in urls:
        bob.get(url)
        with django_assert_max_num_queries(16) as few:
            assert bob.get(url).status_code == 200
        counted[url] = len(few.captured_queries)
    for i in range(6):
        SurveyAction.objects.create(plan=plan, text=f"A {i}", owner=cast.alice, due_date=due)
        plan_for(cast, survey, found)
    a_round(survey, 20, energy=4)
    for url in urls:
        with django_assert_max_num_queries(counted[url]):
            assert bob.get(url).status_code == 200
    alice = login(cast.alice)
    alice.get(f"{API}/replies")
    with django_assert_max_num_queries(8):
        assert alice.get(f"{API}/replies").status_code == 200
