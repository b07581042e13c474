"""The page and the API give the same answer to the same input: both write through
`conversations.services`. Each row sends one input through the page's form and through the
API's endpoint, and both must agree on the outcome (saved, refused as invalid, denied, or the
conversation hidden) and on what was stored."""

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from cadence.tests.client import BrowserClient
from conversations.models import ActionItem, AgendaItem, Conversation, Note, Status
from conversations.tests.factories import held, make_conversation

OK, INVALID, DENIED, HIDDEN = "ok", "invalid", "denied", "hidden"
PAGE_OUTCOME = {302: OK, 400: INVALID, 403: DENIED, 404: HIDDEN}
API_OUTCOME = {200: OK, 201: OK, 422: INVALID, 403: DENIED, 404: HIDDEN}
TODAY = timezone.localdate()


def day(offset_days: int) -> str:
    return (TODAY + timedelta(days=offset_days)).isoformat()


@dataclass
class Case:
    write: str  # "agenda", "note", "action" or "start"
    who: str = "alice"
    text: str = "Talk about the roadmap"
    state: str = "open"  # the conversation: "open", "locked" (both signed off), "skipped"
    due: str | None = None  # an action's due date, or a one-on-one's day
    partner: str = "bob"  # whom a one-on-one is with
    expect: str = OK
    extra: dict = field(default_factory=dict)


CASES = {
    "agenda: valid": Case("agenda"),
    "agenda: empty": Case("agenda", text="   ", expect=INVALID),
    "agenda: too long": Case("agenda", text="x" * 501, expect=INVALID),
    "agenda: locked": Case("agenda", state="locked", expect=DENIED),
    "agenda: skipped": Case("agenda", state="skipped", expect=DENIED),
    "agenda: the manager": Case("agenda", who="bob"),
    "agenda: the manager's manager": Case("agenda", who="carol", expect=HIDDEN),
    "agenda: HR": Case("agenda", who="erin", expect=HIDDEN),
    "note: valid": Case("note"),
    "note: empty": Case("note", text="", expect=INVALID),
    "note: locked is a remark": Case("note", state="locked"),
    "note: skipped": Case("note", state="skipped", expect=DENIED),
    "note: a peer": Case("note", who="dave", expect=HIDDEN),
    "action: valid": Case("action", due=day(10)),
    "action: no due date": Case("action"),
    "action: due 9999-12-31": Case("action", due="9999-12-31", expect=INVALID),
    "action: due 0001-01-01": Case("action", due="0001-01-01", expect=INVALID),
    "action: due in six years": Case("action", due=day(6 * 366), expect=INVALID),
    "action: due two years ago": Case("action", due=day(-2 * 366), expect=INVALID),
    "action: due a year and a half ahead": Case("action", due=day(550)),
    "action: empty": Case("action", text=" ", expect=INVALID),
    "action: locked": Case("action", state="locked", expect=DENIED),
    "action: an administrator": Case("action", who="frank", expect=HIDDEN),
    "start: valid": Case("start", due=day(3)),
    "start: with a report": Case("start", who="bob", partner="alice", due=day(3)),
    "start: day 9999-12-31": Case("start", due="9999-12-31", expect=INVALID),
    "start: day in six years": Case("start", due=day(6 * 366), expect=INVALID),
    "start: day two years ago": Case("start", due=day(-2 * 366), expect=INVALID),
    "start: with someone not my manager": Case("start", partner="dave", due=day(3), expect=INVALID),
}
STORED = {"agenda": AgendaItem, "note": Note, "action": ActionItem, "start": Conversation}


def conversation_for(cast, state: str) -> Conversation:
    conversation = make_conversation(cast.alice)
    if state == "locked":
        held(conversation)
    elif state == "skipped":
        conversation.status = Status.SKIPPED
        conversation.save()
    return conversation


def through_page(cast, case: Case, conversation: Conversation) -> str:
    client = BrowserClient()
    client.force_login(getattr(cast, case.who))
    if case.write == "start":
        data = {"partner": getattr(cast, case.partner).pk, "day": case.due or "", "topic": "Hi"}
        response = client.post(reverse("conversations:create"), data)
    else:
        name = {"agenda": "agenda_add", "note": "note_add", "action": "action_add"}[case.write]
        data = {"text": case.text}
        if case.write == "action":
            data.update(who=cast.alice.pk, due_date=case.due or "")
        response = client.post(reverse(f"conversations:{name}", args=[conversation.pk]), data)
    return PAGE_OUTCOME.get(response.status_code, str(response.status_code))


def through_api(cast, case: Case, conversation: Conversation) -> str:
    client = BrowserClient()
    _token, raw = ApiToken.issue(getattr(cast, case.who), "script")
    if case.write == "start":
        url = "/api/v1/conversations"
        body = {"partner_id": getattr(cast, case.partner).pk, "due_date": case.due, "title": "Hi"}
    else:
        path = {"agenda": "agenda", "note": "notes", "action": "actions"}[case.write]
        url = f"/api/v1/conversations/{conversation.pk}/{path}"
        body = {"text": case.text}
        if case.write == "action":
            body.update(owner_id=cast.alice.pk, due_date=case.due)
    response = client.post(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    return API_OUTCOME.get(response.status_code, str(response.status_code))


@pytest.mark.parametrize("name", list(CASES))
def test_the_page_and_the_api_answer_the_same_input_alike(cast, name):
    case = CASES[name]
    model = STORED[case.write]
    outcomes, stored = {}, {}
    for door, send in (("page", through_page), ("api", through_api)):
        conversation = conversation_for(cast, case.state)
        before = model.objects.count()
        outcomes[door] = send(cast, case, conversation)
        stored[door] = model.objects.count() - before
        Conversation.objects.filter(employee=cast.alice).delete()
    expected_rows = 1 if case.expect == OK else 0
    assert outcomes == {"page": case.expect, "api": case.expect}
    assert stored == {"page": expected_rows, "api": expected_rows}
