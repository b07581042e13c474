"""The same write through the page and through the API gets the same answer: both call
`goals.services`. Each case is sent both ways, to a goal made afresh for each, and the outcome
(allowed, refused as invalid, 403, 404) and what is stored are compared."""

from datetime import timedelta

import pytest
from django.urls import reverse

from goals.models import Objective, Status
from goals.tests.factories import make_goal
from goals.tests.test_goal_adjust import adjust_data

API = "/api/v1"
SAVED, REFUSED, DENIED, HIDDEN = "saved", "refused", "denied", "hidden"


def page_outcome(response) -> str:
    if response.status_code == 302:
        return SAVED
    if response.status_code in (200, 400):
        assert response.context["form"].errors, "a page answered 200 without errors"
        return REFUSED
    return {403: DENIED, 404: HIDDEN}[response.status_code]


def api_outcome(response) -> str:
    return {200: SAVED, 201: SAVED, 422: REFUSED, 403: DENIED, 404: HIDDEN}[response.status_code]


def stored(goal):
    goal = Objective.objects.get(pk=goal.pk)
    return (
        goal.title,
        goal.end_date,
        goal.parent_id,
        goal.status,
        goal.manual_progress,
        goal.adjustments.count(),
        goal.updates.count(),
    )


@pytest.fixture
def make(cast):
    """A goal of Alice's shared with her team, aligned to a goal of Bob's that only he and his
    manager see; `status` closes it."""

    def make_one(status=Status.ON_TRACK):
        secret = make_goal(cast.bob, title="Secret", visibility="private")
        goal = make_goal(cast.alice, title="Ship it", visibility="team", parent=secret)
        goal.status = status
        goal.save()
        return goal

    return make_one


def other_goal(cast):
    return make_goal(cast.bob, title="Uptime", visibility="public").pk


# (who, what they change, with what): for adjusting a goal.
ADJUST = {
    "valid": ("alice", lambda goal, cast: {"title": "Ship the API"}),
    "invalid dates": (
        "alice",
        lambda goal, cast: {"end_date": (goal.start_date - timedelta(days=1)).isoformat()},
    ),
    "too long a title": ("alice", lambda goal, cast: {"title": "x" * 500}),
    "hidden parent": ("alice", lambda goal, cast: {"parent": other_goal(cast)}),
    "parent seen by the manager": ("bob", lambda goal, cast: {"parent": other_goal(cast)}),
    "may look, not change": ("carol", lambda goal, cast: {"title": "Mine now"}),
    "may not know it exists": ("dave", lambda goal, cast: {"title": "Mine now"}),
}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("case", sorted(ADJUST))
def test_adjusting_a_goal(login, cast, make, case, closed):
    who, changes = ADJUST[case]
    status = Status.DONE if closed else Status.ON_TRACK
    outcomes, results = [], []
    for way in ("page", "api"):
        goal = make(status)
        change = changes(goal, cast)
        client = login(getattr(cast, who))
        if way == "page":
            data = adjust_data(goal, "Learned more", **change)
            if "parent" not in change and who == "alice":
                del data["parent"]  # not on her page: she may not see what the goal supports
            outcomes.append(
                page_outcome(client.post(reverse("goals:adjust", args=[goal.pk]), data))
            )
        else:
            body = {"parent_id" if k == "parent" else k: v for k, v in change.items()}
            response = client.patch(
                f"{API}/goals/{goal.pk}",
                {**body, "reason": "Learned more"},
                content_type="application/json",
            )
            outcomes.append(api_outcome(response))
        after = stored(goal)
        # Compared without the parent's id (each way has its own goals), only whether it moved.
        results.append((*after[:2], after[2] == goal.parent_id, *after[3:]))
    assert outcomes[0] == outcomes[1], outcomes
    assert results[0] == results[1]


# (who, the page's form fields, the API's body): checking in on a goal without key results.
CHECK_IN = {
    "valid": ("alice", {"progress": "40"}, {"value": 40}),
    "out of range": ("alice", {"progress": "140"}, {"value": 140}),
    "not a number": ("alice", {"confidence": "many"}, {"confidence": "many"}),
    "may look, not change": ("carol", {"progress": "40"}, {"value": 40}),
    "may not know it exists": ("dave", {"progress": "40"}, {"value": 40}),
}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("case", sorted(CHECK_IN))
def test_checking_in(login, cast, make, case, closed):
    who, fields, body = CHECK_IN[case]
    status = Status.DONE if closed else Status.ON_TRACK
    outcomes, results = [], []
    for way in ("page", "api"):
        goal = make(status)
        client = login(getattr(cast, who))
        if way == "page":
            data = {"status": status, "confidence": "", "comment": "", **fields}
            response = client.post(reverse("goals:update", args=[goal.pk]), data)
            outcomes.append(page_outcome(response))
        else:
            response = client.post(
                f"{API}/goals/{goal.pk}/updates", body, content_type="application/json"
            )
            outcomes.append(api_outcome(response))
        results.append(stored(goal)[3:])
    assert outcomes[0] == outcomes[1], outcomes
    assert results[0] == results[1]
