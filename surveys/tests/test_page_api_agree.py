"""The same write through the page and through the API gets the same answer: both call
`surveys.services`. Each case is sent both ways, each to objects made afresh, and the outcome
(saved, refused as invalid, 403, 404) and what is stored are compared: making an action plan,
adding an action, marking it done, sharing the plan, replying to a comment."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import SurveyAction, SurveyActionPlan, SurveyCommentReply
from surveys.tests.test_plans import engineering, plan_for, platform_comment

pytestmark = pytest.mark.django_db
assert engineering  # a fixture, used by name
API = "/api/v1/surveys"
SAVED, REFUSED, DENIED, HIDDEN = "saved", "refused", "denied", "hidden"


def page_outcome(response) -> str:
    if response.status_code == 302:
        return SAVED
    if response.status_code == 200:
        form = response.context.get("form") or response.context.get("action_form")
        assert form is not None and form.errors, "a page answered 200 without errors"
        return REFUSED
    return {403: DENIED, 404: HIDDEN}[response.status_code]


def api_outcome(response) -> str:
    return {200: SAVED, 201: SAVED, 422: REFUSED, 403: DENIED, 404: HIDDEN}[response.status_code]


def send(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def days(n):
    return (timezone.localdate() + timedelta(days=n)).isoformat()


# (who, the group as a cast's team name, focus as question keys)
MAKE = {
    "valid": ("bob", "platform", ["engagement-energy"]),
    "no focus": ("bob", "platform", []),
    "an open question as focus": ("bob", "platform", ["comment"]),
    "a group outside one's part": ("bob", "engineering", ["engagement-energy"]),
    "a leader above": ("carol", "platform", ["engagement-energy", "enps"]),
    "in the team, reads no results": ("alice", "platform", ["engagement-energy"]),
    "may not know it exists": ("dave", "platform", ["engagement-energy"]),
}


@pytest.mark.parametrize("case", sorted(MAKE))
def test_making_a_plan(login, cast, engineering, case):
    survey, found = engineering
    who, team, keys = MAKE[case]
    group = f"t:{getattr(cast, team).pk}"
    focus = [found.questions.get(key=key).pk for key in keys]
    client = login(getattr(cast, who))
    outcomes, stored = [], []
    for way in ("page", "api"):
        if way == "page":
            url = reverse("surveys:plan_new", args=[survey.pk]) + f"?round={found.pk}&group={group}"
            data = {"focus": [str(pk) for pk in focus], "note": "Energy is low"}
            outcomes.append(page_outcome(client.post(url, data)))
        else:
            body = {"round": found.number, "group": group, "focus": focus, "note": "Energy is low"}
            outcomes.append(api_outcome(send(client, "post", f"{API}/{survey.pk}/plans", body)))
        plans = SurveyActionPlan.objects.order_by("pk")
        stored.append([(p.group, sorted(p.focus.values_list("pk", flat=True))) for p in plans])
        plans.delete()
    assert outcomes[0] == outcomes[1], outcomes
    assert stored[0] == stored[1]


# (who, shared, owner's cast name, due in days)
ADD = {
    "valid": ("carol", False, "alice", 7),
    "an owner outside the team": ("carol", False, "dave", 7),
    "a day gone by": ("bob", False, "alice", -3),
    "in the team, plan shared": ("alice", True, "alice", 7),
    "may not know it exists": ("dave", False, "alice", 7),
}


@pytest.mark.parametrize("case", sorted(ADD))
def test_adding_an_action(login, cast, engineering, case):
    survey, found = engineering
    who, shared, owner, due = ADD[case]
    client = login(getattr(cast, who))
    outcomes, stored = [], []
    for way in ("page", "api"):
        plan = plan_for(cast, survey, found, shared=shared)
        owner_id = getattr(cast, owner).pk
        if way == "page":
            data = {"text": "Pair weekly", "owner": owner_id, "due_date": days(due)}
            response = client.post(reverse("surveys:plan_action", args=[plan.pk]), data)
            outcomes.append(page_outcome(response))
        else:
            body = {"text": "Pair weekly", "owner_id": owner_id, "due_date": days(due)}
            response = send(client, "post", f"{API}/plans/{plan.pk}/actions", body)
            outcomes.append(api_outcome(response))
        stored.append(list(plan.actions.values_list("text", "owner_id", "due_date")))
    assert outcomes[0] == outcomes[1], outcomes
    assert stored[0] == stored[1]


# (who, shared): marking Alice's action done
DONE = {
    "the owner": ("alice", False),
    "the plan's author": ("bob", False),
    "HR": ("erin", False),
    "in the team, not the owner": ("marc", True),
    "may not know it exists": ("dave", True),
}


@pytest.mark.parametrize("case", sorted(DONE))
def test_marking_an_action_done(login, cast, engineering, case):
    from conftest import make_person

    survey, found = engineering
    who, shared = DONE[case]
    person = (
        make_person("marc@example.com", "Marc", team=cast.platform)
        if who == "marc"
        else getattr(cast, who)
    )
    client = login(person)
    outcomes, stored = [], []
    for way in ("page", "api"):
        plan = plan_for(cast, survey, found, shared=shared)
        action = SurveyAction.objects.create(
            plan=plan, text="Pair weekly", owner=cast.alice, due_date=timezone.localdate()
        )
        if way == "page":
            response = client.post(reverse("surveys:action_done", args=[action.pk]))
            outcomes.append(page_outcome(response))
        else:
            response = send(client, "patch", f"{API}/actions/{action.pk}", {"done": True})
            outcomes.append(api_outcome(response))
        action.refresh_from_db()
        stored.append(action.done_at is not None)
    assert outcomes[0] == outcomes[1], outcomes
    assert stored[0] == stored[1]


SHARE = {
    "the author": ("bob", False),
    "a leader above": ("carol", False),
    "in the team, plan shared": ("alice", True),
    "may not know it exists": ("dave", False),
}


@pytest.mark.parametrize("case", sorted(SHARE))
def test_sharing_a_plan(login, cast, engineering, case):
    survey, found = engineering
    who, shared = SHARE[case]
    client = login(getattr(cast, who))
    outcomes, stored = [], []
    for way in ("page", "api"):
        plan = plan_for(cast, survey, found, shared=shared)
        if way == "page":
            outcomes.append(
                page_outcome(client.post(reverse("surveys:plan_share", args=[plan.pk])))
            )
        else:
            outcomes.append(api_outcome(send(client, "post", f"{API}/plans/{plan.pk}/share")))
        plan.refresh_from_db()
        stored.append(plan.shared_with_team)
    assert outcomes[0] == outcomes[1], outcomes
    assert stored[0] == stored[1]


# (who, the text, replied already): the page always goes back to the results, saying what
# happened; what it stored tells its outcome.
REPLY = {
    "valid": ("erin", "Thank you, we hear you", False),
    "empty": ("erin", "   ", False),
    "too long": ("bob", "x" * 2001, False),
    "a second time": ("bob", "Once more", True),
    "in the team, reads no comments": ("alice", "Hi", False),
    "may not know it exists": ("dave", "Hi", False),
}


@pytest.mark.parametrize("case", sorted(REPLY))
def test_replying_to_a_comment(login, cast, engineering, case):
    _survey, found = engineering
    who, text, replied = REPLY[case]
    person = getattr(cast, who)
    client = login(person)
    comment = platform_comment(found)
    outcomes, stored = [], []
    for way in ("page", "api"):
        SurveyCommentReply.objects.all().delete()
        if replied:
            SurveyCommentReply.objects.create(comment=comment, text="First", author=person)
        before = SurveyCommentReply.objects.count()
        if way == "page":
            response = client.post(reverse("surveys:reply", args=[comment.pk]), {"text": text})
            if response.status_code == 302:
                saved = SurveyCommentReply.objects.count() > before
                outcomes.append(SAVED if saved else REFUSED)
            else:
                outcomes.append(page_outcome(response))
        else:
            response = send(client, "post", f"{API}/comments/{comment.pk}/replies", {"text": text})
            outcomes.append(api_outcome(response))
        stored.append(sorted(SurveyCommentReply.objects.values_list("text", "author_id")))
    assert outcomes[0] == outcomes[1], outcomes
    assert stored[0] == stored[1]
