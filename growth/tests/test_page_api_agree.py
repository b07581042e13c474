"""The same input gets the same answer from the assessment pages and from the API: both call
the one write of `growth.services`. One table of cases, each sent once through the page and
once through the API, in fresh databases; the outcome must be the same: stored, refused (the
page's 400, the API's 422, on the same field), denied (403), hidden (404)."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from feedback.models import Feedback
from growth import services
from growth.models import Assessment, Rating
from growth.tests.helpers import as_, competency, rated

STORED, REFUSED, DENIED, HIDDEN = "stored", "refused", "denied", "hidden"
LONG = "x" * 4001


def written() -> tuple:
    """What the writes leave behind: compared before and after."""
    return (
        Assessment.objects.count(),
        sorted(Rating.objects.values_list("side", "level", "text")),
        sorted(
            Assessment.objects.values_list(
                "self_shared_at", "manager_shared_at", "agreed_at", "closed_at", "hr_shared_at"
            )
        ),
    )


@dataclass
class Case:
    name: str
    who: str
    setup: object  # callable(cast) -> dict of ids
    step: str  # rate, agree, share, agreement, close, share_hr
    data: dict  # level, evidence/note, feedback, competency key
    expect: str
    field: str = ""


def open_one(cast):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    return {"assessment": assessment.pk, "competency": competency(assessment, "communication").pk}


def both_shared(cast):
    assessment = rated(cast, mine=3, theirs=2)
    return {"assessment": assessment.pk, "competency": competency(assessment, "communication").pk}


def shared_with_hr(cast):
    ids = both_shared(cast)
    services.share_with_hr(as_(cast.alice), Assessment.objects.get(pk=ids["assessment"]))
    return ids


def with_feedback(cast):
    ids = open_one(cast)
    ids["feedback"] = Feedback.objects.create(
        giver=cast.dave, receiver=cast.alice, text="Clear", competency="communication"
    ).pk
    ids["other_feedback"] = Feedback.objects.create(
        giver=cast.alice, receiver=cast.dave, text="Thanks", competency="communication"
    ).pk
    return ids


CASES = [
    Case("alice rates herself", "alice", open_one, "rate", {"level": 2}, STORED),
    Case("bob rates her", "bob", open_one, "rate", {"level": 3, "evidence": "Yes"}, STORED),
    Case("not assessed", "alice", open_one, "rate", {"level": None}, STORED),
    Case("a level beyond", "alice", open_one, "rate", {"level": 7}, REFUSED, "level"),
    Case(
        "too long", "alice", open_one, "rate", {"level": 2, "evidence": LONG}, REFUSED, "evidence"
    ),
    Case(
        "her feedback", "alice", with_feedback, "rate", {"level": 2, "feedback": "feedback"}, STORED
    ),
    Case(
        "feedback she gave",
        "alice",
        with_feedback,
        "rate",
        {"level": 2, "feedback": "other_feedback"},
        REFUSED,
        "feedback",
    ),
    Case("hr may not rate", "erin", open_one, "rate", {"level": 2}, DENIED),
    Case("the chain may not know", "carol", open_one, "rate", {"level": 2}, HIDDEN),
    Case("a shared side", "alice", both_shared, "rate", {"level": 1}, DENIED),
    Case("share nothing rated", "alice", open_one, "share", {}, REFUSED),
    Case("agree", "bob", both_shared, "agree", {"level": 2, "note": "OK"}, STORED),
    Case("agree beyond", "bob", both_shared, "agree", {"level": 9}, REFUSED, "level"),
    Case("alice may not agree", "alice", both_shared, "agree", {"level": 3}, DENIED),
    Case("agree before he shared", "bob", open_one, "agree", {"level": 2}, DENIED),
    # Refused for who she is, before what she sends is read (the API's body has no level).
    Case("alice may not agree, whatever she sends", "alice", both_shared, "agree", {}, DENIED),
    Case("hr may not agree, whatever she sends", "erin", both_shared, "agree", {}, DENIED),
    Case(
        "hr may not rate, whatever she sends", "erin", open_one, "rate", {"level": "high"}, DENIED
    ),
    Case(
        "a former side, whatever she sends", "alice", both_shared, "rate", {"level": "high"}, DENIED
    ),
    Case("close", "alice", both_shared, "close", {}, STORED),
    Case("hr may not close", "erin", both_shared, "close", {}, DENIED),
    Case("share with hr", "alice", both_shared, "share_hr", {}, STORED),
    Case("her manager may not share it with hr", "bob", both_shared, "share_hr", {}, DENIED),
    Case("hr may not share it with herself", "erin", both_shared, "share_hr", {}, DENIED),
    Case("the chain may not know", "carol", both_shared, "share_hr", {}, HIDDEN),
    Case("shared with hr already", "alice", shared_with_hr, "share_hr", {}, DENIED),
]


def page_request(case, ids):
    assessment, target = ids["assessment"], ids["competency"]
    data = case.data
    if case.step == "rate":
        prefix = f"c{target}-"
        form = {f"{prefix}level": "" if data["level"] is None else str(data["level"])}
        form[f"{prefix}evidence"] = data.get("evidence", "")
        if "feedback" in data:
            form[f"{prefix}feedback"] = str(ids[data["feedback"]])
        return reverse("growth:assessment_rate", args=[assessment, target]), form
    if case.step == "agree":
        prefix = f"a{target}-"
        form = {f"{prefix}level": str(data.get("level", "")), f"{prefix}note": data.get("note", "")}
        return reverse("growth:assessment_agree", args=[assessment, target]), form
    return reverse(f"growth:assessment_{case.step}", args=[assessment]), {}


def api_request(case, ids):
    assessment, target = ids["assessment"], ids["competency"]
    base = f"/api/v1/growth/assessments/{assessment}"
    data = case.data
    if case.step == "rate":
        body = {"competency": target, "level": data["level"], "evidence": data.get("evidence", "")}
        if "feedback" in data:
            body["feedback"] = [ids[data["feedback"]]]
        return f"{base}/ratings", body
    if case.step == "agree":
        body = {"competency": target, "note": data.get("note", "")}
        if "level" in data:
            body["level"] = data["level"]
        return f"{base}/agreed", body
    if case.step == "share_hr":
        return f"{base}/share-with-hr", None
    return f"{base}/{case.step}", None


def page_outcome(response, changed: bool) -> tuple[str, str]:
    status = response.status_code
    if status == 302:
        return (STORED if changed else "unchanged"), ""
    if status == 400:
        for line in response.context["page"].lines:
            for form in (line.form, line.agree_form):
                if form is not None and form.errors:
                    return REFUSED, next(iter(form.errors))
        return REFUSED, ""
    return {403: DENIED, 404: HIDDEN}.get(status, str(status)), ""


def api_outcome(response, changed: bool) -> tuple[str, str]:
    status = response.status_code
    if status in (200, 201):
        return (STORED if changed else "unchanged"), ""
    if status == 422:
        loc = response.json()["detail"][0]["loc"]
        return REFUSED, loc[1] if len(loc) > 1 else ""
    return {403: DENIED, 404: HIDDEN}.get(status, str(status)), ""


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_page_answers_as_the_table_says(login, cast, framework, case):
    ids = case.setup(cast)
    before = written()
    url, data = page_request(case, ids)
    response = login(getattr(cast, case.who)).post(url, data)
    assert page_outcome(response, written() != before) == (case.expect, case.field)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_api_answers_as_the_table_says(cast, framework, case):
    ids = case.setup(cast)
    before = written()
    url, body = api_request(case, ids)
    _token, raw = ApiToken.issue(getattr(cast, case.who), "table")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = Client().post(url, **kwargs)
    outcome = api_outcome(response, written() != before)
    assert outcome == (case.expect, case.field), (response.status_code, response.content[:300])
