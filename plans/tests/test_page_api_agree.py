"""The same writes through the plan's pages and its API get the same answer: written, refused
(the form shows it; the API answers 422), not allowed (403) or not found (404)."""

import json

import pytest
from django.urls import reverse

from plans.models import Plan, PlanAction

OK, REFUSED, DENIED, HIDDEN = "ok", "refused", "denied", "hidden"


@pytest.fixture
def action(cast):
    plan = Plan.objects.create(person=cast.alice)
    return PlanAction.objects.create(plan=plan, kind="course", title="Course")


ACTION = {"kind": "course", "title": "Course", "status": "planned"}
GOAL = {"title": "Run a retrospective", "competency": "communication"}
# (who, page (url, form data), api (method, url, body), what both answer)
CASES = {
    "a step of the tracks": (
        "alice",
        lambda a: (reverse("plans:mine"), {"target": "management-4"}),
        lambda a: ("put", reverse("api:put_my_plan"), {"target": "management-4"}),
        OK,
    ),
    "a step that does not exist": (
        "alice",
        lambda a: (reverse("plans:mine"), {"target": "nowhere-9"}),
        lambda a: ("put", reverse("api:put_my_plan"), {"target": "nowhere-9"}),
        REFUSED,
    ),
    "a competency that does not exist": (
        "alice",
        lambda a: (reverse("plans:mine"), {"focus": ["juggling"]}),
        lambda a: ("put", reverse("api:put_my_plan"), {"focus": ["juggling"]}),
        REFUSED,
    ),
    "an action": (
        "alice",
        lambda a: (reverse("plans:add_action"), ACTION),
        lambda a: ("post", reverse("api:create_plan_action"), ACTION),
        OK,
    ),
    "an action without a title": (
        "alice",
        lambda a: (reverse("plans:add_action"), {**ACTION, "title": "  "}),
        lambda a: ("post", reverse("api:create_plan_action"), {**ACTION, "title": "  "}),
        REFUSED,
    ),
    "a negative cost": (
        "alice",
        lambda a: (reverse("plans:add_action"), {**ACTION, "cost": "-5"}),
        lambda a: ("post", reverse("api:create_plan_action"), {**ACTION, "cost": "-5"}),
        REFUSED,
    ),
    "a learning goal": (
        "alice",
        lambda a: (reverse("plans:add_goal"), {**GOAL, "period": "this_quarter"}),
        lambda a: ("post", reverse("api:create_plan_goal"), GOAL),
        OK,
    ),
    "a learning goal of a competency outside the framework": (
        "alice",
        lambda a: (
            reverse("plans:add_goal"),
            {**GOAL, "period": "this_quarter", "competency": "juggling"},
        ),
        lambda a: ("post", reverse("api:create_plan_goal"), {**GOAL, "competency": "juggling"}),
        REFUSED,
    ),
    "the owner coaching her own action": (
        "alice",
        lambda a: (reverse("plans:coach_action", args=[a.pk]), {"comment": "Me"}),
        lambda a: ("post", reverse("api:coach_plan_action", args=[a.pk]), {"comment": "Me"}),
        DENIED,
    ),
    "the manager coaching": (
        "bob",
        lambda a: (reverse("plans:coach_action", args=[a.pk]), {"comment": "Go"}),
        lambda a: ("post", reverse("api:coach_plan_action", args=[a.pk]), {"comment": "Go"}),
        OK,
    ),
    "a peer moving an action on": (
        "dave",
        lambda a: (reverse("plans:action_status", args=[a.pk]), {"status": "done"}),
        lambda a: ("patch", reverse("api:update_plan_action", args=[a.pk]), {"status": "done"}),
        HIDDEN,
    ),
}


def page_answer(response):
    if response.status_code == 302:
        return OK
    if response.status_code == 200:
        return REFUSED  # the form again, with what to change
    return {403: DENIED, 404: HIDDEN}[response.status_code]


def api_answer(response):
    return {200: OK, 201: OK, 422: REFUSED, 403: DENIED, 404: HIDDEN}[response.status_code]


@pytest.mark.parametrize("case", CASES)
def test_page_and_api_answer_alike(client, login, cast, framework, action, case):
    who, page, api, expected = CASES[case]
    login(getattr(cast, who))
    url, data = page(action)
    assert page_answer(client.post(url, data)) == expected
    method, url, body = api(action)
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert api_answer(response) == expected, response.content
