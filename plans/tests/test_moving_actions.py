"""Who moves an action's status on: the plan's owner and their manager, one rule action
(`plans.rules.MOVE`) asked by the page, the API and the service alike. Someone the plan is
shared with reads the action but may not move it; anyone else does not know it exists."""

import json

import pytest
from django.urls import reverse

from access.rules import who
from plans.models import ActionStatus, Plan, PlanAction, PlanShare
from plans.rules import MOVE


@pytest.fixture
def action(cast):
    plan = Plan.objects.create(person=cast.alice)
    PlanShare.objects.create(plan=plan, person=cast.dave)
    return PlanAction.objects.create(plan=plan, kind="course", title="Course")


def _patch(client, action, body):
    url = reverse("api:update_plan_action", args=[action.pk])
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("who_", "status"), [("alice", "in_progress"), ("bob", "done")])
def test_the_owner_and_the_manager_move_it_on_page_and_api(
    client, login, cast, action, who_, status
):
    login(getattr(cast, who_))
    page = client.post(reverse("plans:action_status", args=[action.pk]), {"status": status})
    assert page.status_code == 302
    action.refresh_from_db()
    assert action.status == status
    answer = _patch(client, action, {"status": ActionStatus.DROPPED})
    assert answer.status_code == 200, answer.content
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED


def test_someone_it_is_shared_with_may_not_move_it(client, login, cast, action):
    login(cast.dave)
    page = client.post(reverse("plans:action_status", args=[action.pk]), {"status": "done"})
    assert page.status_code == 403
    answer = _patch(client, action, {"status": "done"})
    # The API's own answer (JSON, never cached), as for every refusal, not an HTML page.
    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("application/json")
    assert "owner and their manager" in answer.json()["detail"]
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


@pytest.mark.parametrize("who_", ["carol", "erin", "frank"])
def test_anyone_else_does_not_know_it_exists(client, login, cast, action, who_):
    login(getattr(cast, who_))
    assert client.post(reverse("plans:action_status", args=[action.pk])).status_code == 404
    assert _patch(client, action, {"status": "done"}).status_code == 404


def test_who_may_move_it_is_the_owner_and_the_manager(cast, action):
    named = {person_id for group in who(action, MOVE) for person_id in group.ids}
    assert named == {cast.alice.pk, cast.bob.pk}
