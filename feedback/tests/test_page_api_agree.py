"""The same input gets the same answer from the page and from the API: both call the one write
of `feedback.services`. One table of cases (valid, empty or too long text, the wrong person, a
closed cycle, an answered ask, …), each sent once through the page and once through the API,
in fresh databases (one test per side, one expected outcome per case); the outcome must be
the same: stored, refused (the page's 400, the API's
422, on the same field), denied (403), hidden (404) or unchanged (already done: the page sends
one back, the API answers 409)."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from feedback.models import (
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    Kind,
    RaterGroup,
    SealedSubmission,
)
from feedback.tests.factories import add_participant, invite, make_cycle, make_request
from goals.tests.factories import make_goal

STORED, REFUSED, DENIED, HIDDEN, UNCHANGED = "stored", "refused", "denied", "hidden", "unchanged"
LONG = "x" * 4001


def written() -> tuple:
    """What the writes leave behind: compared before and after."""
    return (
        Feedback.objects.count(),
        FeedbackRequest.objects.count(),
        FeedbackAsk.objects.exclude(status=AskStatus.PENDING).count(),
        SealedSubmission.objects.count(),
    )


@dataclass
class Case:
    name: str
    who: str  # the cast member who writes
    setup: object  # callable(cast) -> dict of ids
    page: object  # callable(ids, cast) -> (url, form data)
    api: object  # callable(ids, cast) -> (url, JSON body)
    expect: str
    field: str = ""  # where a refusal is shown (API name)
    page_field: str = ""


def nothing(cast):
    return {}


def bobs_ask(cast):
    return {"ask": make_request(cast.alice, [cast.bob]).asks.get().pk}


def answered_ask(cast):
    ask = make_request(cast.alice, [cast.bob]).asks.get()
    FeedbackAsk.objects.filter(pk=ask.pk).update(status=AskStatus.ANSWERED)
    return {"ask": ask.pk}


def invitation_in(status):
    def make(cast):
        participant = add_participant(make_cycle(status=status), cast.bob)
        invitation = invite(participant, cast.alice, group=RaterGroup.REPORT)
        return {"invitation": invitation.pk, "question": participant.cycle.questions.first().pk}

    return make


def daves_goal(cast):
    return {"goal": make_goal(cast.dave, visibility="private").pk}


def give_page(text="Clear demo, thank you.", to=None, goal=None):
    def make(ids, cast):
        data = {"to": to or cast.dave.email, "kind": Kind.PRAISE, "text": text}
        if goal:
            data["goal"] = str(ids[goal])
        return reverse("feedback:give"), data

    return make


def give_api(text="Clear demo, thank you.", to=None, goal=None):
    def make(ids, cast):
        body = {"receiver_id": getattr(cast, to or "dave").pk, "kind": "praise", "text": text}
        if goal:
            body["goal_id"] = ids[goal]
        return "/api/v1/feedback", body

    return make


def request_page(topic="My demo", people=None):
    def make(ids, cast):
        today = cast.alice.local_today().isoformat()
        data = {"people": people or cast.bob.email, "topic": topic, "due_date": today}
        return reverse("feedback:request_create"), data

    return make


def request_api(topic="My demo", people=None):
    def make(ids, cast):
        today = cast.alice.local_today().isoformat()
        ids_ = [getattr(cast, people or "bob").pk]
        return "/api/v1/feedback-requests", {
            "requestee_ids": ids_,
            "topic": topic,
            "due_date": today,
        }

    return make


def answer_page(text="Well prepared."):
    def make(ids, cast):
        url = reverse("feedback:ask_answer", args=[ids["ask"]])
        return url, {"kind": Kind.PRAISE, "text": text}

    return make


def answer_api(text="Well prepared."):
    def make(ids, cast):
        return f"/api/v1/feedback-asks/{ids['ask']}/answer", {"kind": "praise", "text": text}

    return make


def decline_page(ids, cast):
    return reverse("feedback:ask_decline", args=[ids["ask"]]), {"reason": "Away"}


def decline_api(ids, cast):
    return f"/api/v1/feedback-asks/{ids['ask']}/decline", {"reason": "Away"}


def review_page(ids, cast):
    url = reverse("feedback:answer", args=[ids["invitation"]])
    return url, {"action": "answer", f"q{ids['question']}": "4"}


def review_api(ids, cast):
    url = f"/api/v1/reviews/invitations/{ids['invitation']}/answers"
    return url, {"answers": [{"question_id": ids["question"], "rating": 4}]}


CASES = [
    Case("give", "alice", nothing, give_page(), give_api(), STORED),
    Case("give empty", "alice", nothing, give_page("   "), give_api("   "), REFUSED, "text"),
    Case("give too long", "alice", nothing, give_page(LONG), give_api(LONG), REFUSED, "text"),
    Case(
        "give to oneself",
        "alice",
        nothing,
        give_page(to="alice@example.com"),
        give_api(to="alice"),
        REFUSED,
        "receiver_id",
        "to",
    ),
    Case(
        "give about a goal one may not see",
        "alice",
        daves_goal,
        give_page(goal="goal"),
        give_api(goal="goal"),
        REFUSED,
        "goal_id",
        "goal",
    ),
    Case("ask", "alice", nothing, request_page(), request_api(), STORED),
    Case(
        "ask empty topic", "alice", nothing, request_page(" "), request_api(" "), REFUSED, "topic"
    ),
    Case(
        "ask oneself",
        "alice",
        nothing,
        request_page(people="alice@example.com"),
        request_api(people="alice"),
        REFUSED,
        "requestee_ids",
        "people",
    ),
    Case("answer", "bob", bobs_ask, answer_page(), answer_api(), STORED),
    Case("answer empty", "bob", bobs_ask, answer_page(" "), answer_api(" "), REFUSED, "text"),
    Case("answer too long", "bob", bobs_ask, answer_page(LONG), answer_api(LONG), REFUSED, "text"),
    Case("answer for another", "alice", bobs_ask, answer_page(), answer_api(), DENIED),
    Case("answer unknown to one", "dave", bobs_ask, answer_page(), answer_api(), HIDDEN),
    Case("answer twice", "bob", answered_ask, answer_page(), answer_api(), UNCHANGED),
    Case("decline", "bob", bobs_ask, decline_page, decline_api, STORED),
    Case("decline for another", "alice", bobs_ask, decline_page, decline_api, DENIED),
    Case("decline unknown to one", "carol", bobs_ask, decline_page, decline_api, HIDDEN),
    Case("review", "alice", invitation_in("reviewing"), review_page, review_api, STORED),
    Case("review of another", "dave", invitation_in("reviewing"), review_page, review_api, HIDDEN),
    Case(
        "review in a closed cycle",
        "alice",
        invitation_in("closed"),
        review_page,
        review_api,
        UNCHANGED,
    ),
]


def page_outcome(response, changed: bool) -> tuple[str, str]:
    status = response.status_code
    if status == 302:
        return (STORED if changed else UNCHANGED), ""
    if status == 400:
        form = response.context["form"]
        return REFUSED, next(iter(form.errors), "")
    return {403: DENIED, 404: HIDDEN}.get(status, str(status)), ""


def api_outcome(response, changed: bool) -> tuple[str, str]:
    status = response.status_code
    if status in (200, 201):
        return (STORED if changed else UNCHANGED), ""
    if status == 422:
        return REFUSED, response.json()["detail"][0]["loc"][1]
    if status == 403 and not changed:
        # A review that is not open any more: the page says so and sends one back.
        return (UNCHANGED if "not open" in response.json()["detail"] else DENIED), ""
    return {404: HIDDEN, 409: UNCHANGED}.get(status, str(status)), ""


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_page_answers_as_the_table_says(login, cast, case):
    ids = case.setup(cast)
    before = written()
    url, data = case.page(ids, cast)
    response = login(getattr(cast, case.who)).post(url, data)
    outcome = page_outcome(response, written() != before)
    assert outcome == (case.expect, case.page_field or case.field), response.status_code


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_api_answers_as_the_table_says(cast, case):
    person = getattr(cast, case.who)
    ids = case.setup(cast)
    before = written()
    url, body = case.api(ids, cast)
    _token, raw = ApiToken.issue(person, "table")
    response = Client().post(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    outcome = api_outcome(response, written() != before)
    assert outcome == (case.expect, case.field), (response.status_code, response.content[:300])
