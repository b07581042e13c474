"""The conversations API: only the two participants see a conversation's content, private
notes never appear anywhere in it, writes follow the same rules as the pages (closed records
take remarks only), bad input answers 400/422 (never 500), and the list's query count is fixed.
"""

import json
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import ApiToken
from conversations.models import AgendaItem, Conversation, Kind, Note, Status
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    held,
    make_conversation,
)
from people.tests.factories import add_people

API = "/api/v1"
EVERYONE = ("alice", "bob", "carol", "dave", "erin", "frank")
OTHERS = ("carol", "dave", "erin", "frank")


def bearer(person):
    _token, raw = ApiToken.issue(person, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class Caller:
    """A client that calls the API as someone, with their personal token."""

    def __init__(self, client, person):
        self.client, self.headers = client, bearer(person)

    def get(self, url, params=None):
        return self.client.get(url, params or {}, **self.headers)

    def post(self, url, body=None):
        data = "" if body is None else json.dumps(body)
        return self.client.post(url, data, content_type="application/json", **self.headers)

    def patch(self, url, body=None):
        data = "" if body is None else json.dumps(body)
        return self.client.patch(url, data, content_type="application/json", **self.headers)


@pytest.fixture
def as_(client, cast):
    callers = {}

    def caller(name):
        if name not in callers:
            callers[name] = Caller(client, getattr(cast, name))
        return callers[name]

    return caller


@pytest.fixture
def check_in(cast):
    return make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=5))


def error_fields(response) -> set[str]:
    assert response.status_code == 422, (response.status_code, response.content)
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


# --- Seeing conversations ---------------------------------------------------------------------


def test_anonymous_callers_must_sign_in(client, check_in):
    assert client.get(f"{API}/conversations").status_code == 401
    assert client.get(f"{API}/conversations/{check_in.pk}").status_code == 401
    response = client.post(
        f"{API}/conversations/{check_in.pk}/notes", {"text": "Hi"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_conversation_shows_its_pair_dates_and_state(as_, cast, check_in):
    check_in.preparation = [{"prompt": "What went well?", "answer": "The release."}]
    check_in.prepared_at = timezone.now()
    check_in.save()
    body = as_("bob").get(f"{API}/conversations/{check_in.pk}").json()
    assert body["id"] == check_in.pk
    assert body["kind"] == "check_in"
    assert body["label"] == "Check-in"
    assert body["employee"] == {"id": cast.alice.pk, "name": "Alice Employee"}
    assert body["manager"] == {"id": cast.bob.pk, "name": "Bob Manager"}
    assert body["due_date"] == check_in.due_date.isoformat()
    assert body["status"] == "scheduled"
    assert body["prepared"] is True
    assert body["preparation"] == [{"prompt": "What went well?", "answer": "The release."}]
    assert body["signed_by_employee_at"] is None and body["locked"] is False
    assert body["can_contribute"] is True
    assert body["url"] == f"http://testserver/conversations/{check_in.pk}/"


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_but_the_two_sees_a_conversation(as_, check_in, who):
    caller = as_(who)
    assert caller.get(f"{API}/conversations").json()["items"] == []
    for tail in ("", "/agenda", "/notes", "/actions"):
        assert caller.get(f"{API}/conversations/{check_in.pk}{tail}").status_code == 404


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_but_the_two_writes_to_a_conversation_whatever_they_send(as_, check_in, who):
    caller = as_(who)
    url = f"{API}/conversations/{check_in.pk}"
    action = add_action(check_in, check_in.employee)
    for body in (None, {"text": "Sneaky"}, {"nonsense": 1}):
        assert caller.post(f"{url}/agenda", body).status_code == 404
        assert caller.post(f"{url}/notes", body).status_code == 404
        assert caller.post(f"{url}/actions", body).status_code == 404
        assert caller.patch(f"{API}/conversations/actions/{action.pk}", body).status_code == 404
    assert caller.post(f"{url}/sign-off").status_code == 404
    assert not AgendaItem.objects.exists() and not Note.objects.exists()
    check_in.refresh_from_db()
    assert check_in.status == Status.SCHEDULED


def test_an_unknown_or_oversized_id_is_not_found(as_):
    # Ids out of range match no route (the `id` path converter): 404, as for one not there.
    assert as_("alice").get(f"{API}/conversations/987654").status_code == 404
    assert as_("alice").get(f"{API}/conversations/{10**30}").status_code == 404
    assert as_("alice").get(f"{API}/conversations/0").status_code == 404
    assert as_("alice").patch(f"{API}/conversations/actions/{10**30}", {}).status_code == 404


@pytest.fixture
def spread(cast):
    today = timezone.localdate()
    return {
        "alice check-in": make_conversation(cast.alice, due=today + timedelta(days=3)),
        "alice review": held(
            make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today - timedelta(days=40))
        ),
        "alice 1:1": make_conversation(
            cast.alice, kind=Kind.ONE_ON_ONE, due=today - timedelta(days=2), title="Offsite"
        ),
        "bob check-in": make_conversation(cast.bob, due=today + timedelta(days=20)),
        "dave check-in": make_conversation(cast.dave, manager=cast.erin, due=today),
    }


def labels(caller, **params):
    response = caller.get(f"{API}/conversations", params)
    assert response.status_code == 200, response.content
    return [c["label"] + " " + c["employee"]["name"][:5] for c in response.json()["items"]]


def test_the_list_is_mine_latest_first_and_filters(as_, cast, spread):
    bob = as_("bob")
    assert labels(bob) == [
        "Check-in Bob M",
        "Check-in Alice",
        "Offsite Alice",
        "Quarterly review Alice",
    ]
    assert labels(bob, role="employee") == ["Check-in Bob M"]
    assert labels(bob, role="manager") == [
        "Check-in Alice",
        "Offsite Alice",
        "Quarterly review Alice",
    ]
    assert labels(bob, status="held") == ["Quarterly review Alice"]
    assert labels(bob, kind="one_on_one") == ["Offsite Alice"]
    today = timezone.localdate()
    assert labels(bob, due_after=today, due_before=today + timedelta(days=3)) == ["Check-in Alice"]
    assert labels(as_("alice")) == ["Check-in Alice", "Offsite Alice", "Quarterly review Alice"]
    assert labels(as_("carol")) == ["Check-in Bob M"]  # as Bob's manager; not Alice's
    assert labels(as_("erin")) == ["Check-in Dave "]


@pytest.mark.parametrize(
    "params",
    [
        {"role": "boss"},
        {"status": "done"},
        {"kind": "chat"},
        {"due_after": "soon"},
        {"due_before": "2024-02-30"},
        {"limit": 0},
        {"limit": 10_000},
        {"cursor": "10" * 30},
    ],
)
def test_bad_filters_are_refused_not_a_server_error(as_, params):
    assert as_("alice").get(f"{API}/conversations", params).status_code == 422


def fill(manager, count, start):
    """`count` reports of `manager`, each with a held and an open check-in."""
    people = add_people(count, manager=manager, prefix=f"r{start}-")
    today = timezone.localdate()
    for person in people:
        held(make_conversation(person, manager=manager, due=today - timedelta(days=30)))
        make_conversation(person, manager=manager, due=today + timedelta(days=3))


def test_the_list_query_count_does_not_grow_with_the_conversations(
    client, cast, django_assert_num_queries
):
    headers = bearer(cast.bob)
    fill(cast.bob, 2, 0)
    client.get(f"{API}/conversations", **headers)  # warm up: the token's last use
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/conversations", **headers).status_code == 200
    fill(cast.bob, 20, 1)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/conversations", {"limit": 20}, **headers).json()
    assert len(body["items"]) == 20
    with django_assert_num_queries(len(few.captured_queries)):  # a page further: the same
        params = {"cursor": body["next_cursor"], "status": "scheduled"}
        body = client.get(f"{API}/conversations", params, **headers).json()
    assert body["items"] and body["next_cursor"] is None
    # The token, the page, its two people (no count), and the access log's one insert.
    assert len(few.captured_queries) <= 5


# --- Starting a one-on-one --------------------------------------------------------------------


def test_an_employee_starts_a_one_on_one_with_their_manager(as_, cast):
    day = timezone.localdate() + timedelta(days=2)
    response = as_("alice").post(
        f"{API}/conversations",
        {"partner_id": cast.bob.pk, "due_date": day.isoformat(), "title": " Career "},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "one_on_one" and body["label"] == "Career"
    assert body["employee"]["id"] == cast.alice.pk and body["manager"]["id"] == cast.bob.pk
    conversation = Conversation.objects.get(pk=body["id"])
    assert conversation.created_by == cast.alice and conversation.due_date == day


def test_a_manager_starts_one_at_a_time_in_their_own_time_zone(as_, cast):
    cast.bob.time_zone = "Pacific/Auckland"
    cast.bob.save()
    day = timezone.localdate() + timedelta(days=30)
    response = as_("bob").post(
        f"{API}/conversations", {"partner_id": cast.alice.pk, "starts_at": f"{day}T08:30:00"}
    )
    assert response.status_code == 201, response.content
    conversation = Conversation.objects.get(pk=response.json()["id"])
    assert (conversation.employee, conversation.manager) == (cast.alice, cast.bob)
    assert conversation.due_date == day  # the day in Auckland, the day before in UTC
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    assert conversation.starts_at == datetime(day.year, day.month, day.day, 8, 30, tzinfo=auckland)
    assert conversation.starts_at.astimezone(UTC).date() == day - timedelta(days=1)


@pytest.mark.parametrize(
    ("who", "partner"), [("alice", "dave"), ("alice", "carol"), ("dave", "alice"), ("bob", "bob")]
)
def test_one_on_ones_are_with_your_manager_or_reports_only(as_, cast, who, partner):
    body = {"partner_id": getattr(cast, partner).pk, "due_date": timezone.localdate().isoformat()}
    assert error_fields(as_(who).post(f"{API}/conversations", body)) == {"partner_id"}
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"partner_id"}),
        ({"partner_id": "BOB"}, {"partner_id"}),
        ({"partner_id": 10**30, "due_date": "2030-01-01"}, {"partner_id"}),
        ({"partner_id": "$bob", "due_date": "tomorrow"}, {"due_date"}),
        ({"partner_id": "$bob"}, {"due_date"}),
        ({"partner_id": "$bob", "due_date": "1999-01-01"}, {"due_date"}),
        ({"partner_id": "$bob", "due_date": "$today", "title": "x" * 201}, {"title"}),
        ({"partner_id": "$bob", "due_date": "$today", "title": "a\u0000b"}, {"title"}),
        ({"partner_id": "$bob", "due_date": "$today", "kind": "check_in"}, {"kind"}),
    ],
)
def test_a_bad_one_on_one_is_refused(as_, cast, body, fields):
    values = {"$bob": cast.bob.pk, "$today": timezone.localdate().isoformat()}
    body = {key: values.get(value, value) for key, value in body.items()}
    assert error_fields(as_("alice").post(f"{API}/conversations", body)) == fields
    assert not Conversation.objects.exists()


def test_a_body_that_is_not_json_is_a_bad_request(client, cast, check_in):
    headers = bearer(cast.alice)
    for url in (f"{API}/conversations", f"{API}/conversations/{check_in.pk}/agenda"):
        response = client.post(url, "{nope", content_type="application/json", **headers)
        assert response.status_code == 400


# --- Agenda, notes, action items --------------------------------------------------------------


def test_both_add_talking_points_and_see_each_others(as_, cast, check_in):
    url = f"{API}/conversations/{check_in.pk}/agenda"
    first = as_("alice").post(url, {"text": "  Workload  "})
    assert first.status_code == 201, first.content
    assert first.json()["text"] == "Workload"
    assert first.json()["author"] == {"id": cast.alice.pk, "name": "Alice Employee"}
    assert as_("bob").post(url, {"text": "Conference budget"}).status_code == 201
    items = as_("alice").get(url).json()["items"]
    assert [item["text"] for item in items] == ["Workload", "Conference budget"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (None, 422),
        ({}, 422),
        ({"text": "   "}, 422),
        ({"text": "x" * 501}, 422),
        ({"text": 5}, 422),
        ({"text": "nul\u0000"}, 422),
        ({"text": "ok", "discussed": True}, 422),
        ([], 422),
    ],
)
def test_a_bad_talking_point_is_refused(as_, check_in, body, status):
    response = as_("alice").post(f"{API}/conversations/{check_in.pk}/agenda", body)
    assert response.status_code == status, response.content
    assert "detail" in response.json()
    assert not AgendaItem.objects.exists()


def test_shared_notes_become_remarks_once_both_signed_off(as_, cast, check_in):
    url = f"{API}/conversations/{check_in.pk}"
    assert as_("bob").post(f"{url}/notes", {"text": "Agreed to hire."}).json()["is_remark"] is False
    # The employee's sign-off is her agreement; the manager's marks it held.
    assert as_("alice").post(f"{url}/sign-off").json()["status"] == "scheduled"
    signed = as_("bob").post(f"{url}/sign-off").json()
    assert signed["status"] == "held"
    assert signed["locked"] is True and signed["can_contribute"] is False
    assert signed["signed_by_employee_at"] and signed["signed_by_manager_at"]
    remark = as_("alice").post(f"{url}/notes", {"text": "Hiring started."})
    assert remark.status_code == 201 and remark.json()["is_remark"] is True
    notes = as_("bob").get(f"{url}/notes").json()["items"]
    assert [(n["text"], n["is_remark"]) for n in notes] == [
        ("Agreed to hire.", False),
        ("Hiring started.", True),
    ]
    # The closed record takes nothing else.
    assert as_("alice").post(f"{url}/agenda", {"text": "Late"}).status_code == 403
    assert as_("alice").post(f"{url}/actions", {"text": "Late"}).status_code == 403
    assert as_("alice").post(f"{url}/sign-off").status_code == 403
    assert as_("alice").post(f"{url}/agenda", None).status_code == 403  # before reading a body


def test_signing_off_a_rhythm_conversation_schedules_the_next(as_, cast, check_in):
    url = f"{API}/conversations/{check_in.pk}/sign-off"
    as_("alice").post(url)
    as_("bob").post(url)
    nxt = Conversation.objects.open().filter(employee=cast.alice, kind=Kind.CHECK_IN).get()
    assert nxt.due_date > check_in.due_date


def test_a_skipped_conversation_takes_no_notes(as_, cast, check_in):
    check_in.status = Status.SKIPPED
    check_in.save()
    url = f"{API}/conversations/{check_in.pk}"
    assert as_("alice").post(f"{url}/notes", {"text": "Hm"}).status_code == 403
    assert as_("bob").post(f"{url}/sign-off").status_code == 403
    assert as_("bob").get(f"{url}/notes").status_code == 200


def test_action_items_have_an_owner_among_the_two_and_carry_over(as_, cast, check_in):
    today = timezone.localdate()
    earlier = held(
        make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today - timedelta(days=30))
    )
    add_action(earlier, cast.bob, text="Book the training")
    add_action(earlier, cast.alice, text="Done already", done=True)
    url = f"{API}/conversations/{check_in.pk}/actions"
    created = as_("alice").post(
        url, {"text": "Write the RFC", "owner_id": cast.bob.pk, "due_date": "2030-01-31"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["owner"] == {"id": cast.bob.pk, "name": "Bob Manager"}
    assert created.json()["due_date"] == "2030-01-31" and created.json()["done"] is False
    mine = as_("bob").post(url, {"text": "Pair on the design"}).json()
    assert mine["owner"]["id"] == cast.bob.pk  # by default, whoever adds it
    assert error_fields(as_("alice").post(url, {"text": "X", "owner_id": cast.dave.pk})) == {
        "owner_id"
    }
    items = as_("alice").get(url).json()["items"]
    assert [(i["text"], i["conversation_id"]) for i in items] == [
        ("Book the training", earlier.pk),
        ("Write the RFC", check_in.pk),
        ("Pair on the design", check_in.pk),
    ]
    # The held conversation lists its own items only.
    past = as_("alice").get(f"{API}/conversations/{earlier.pk}/actions").json()["items"]
    assert [i["text"] for i in past] == ["Book the training", "Done already"]


def test_an_action_item_is_marked_done_and_undone_even_after_sign_off(as_, cast, check_in):
    item = add_action(check_in, cast.alice, text="Write the RFC")
    held(check_in)  # signed off by both
    url = f"{API}/conversations/actions/{item.pk}"
    done = as_("bob").patch(url, {"done": True})
    assert done.status_code == 200, done.content
    assert done.json()["done"] is True and done.json()["done_at"]
    item.refresh_from_db()
    assert item.done_by == cast.bob
    assert as_("alice").patch(url, {"done": False}).json()["done"] is False
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None
    # Its wording, owner and date are part of the closed record.
    assert as_("alice").patch(url, {"text": "Write two RFCs"}).status_code == 403
    assert as_("alice").patch(url, {"due_date": "2030-01-01"}).status_code == 403
    assert as_("alice").patch(url, {"text": "Write the RFC", "done": True}).status_code == 200


def test_an_open_action_item_is_changed(as_, cast, check_in):
    item = add_action(check_in, cast.alice, text="Write the RFC")
    url = f"{API}/conversations/actions/{item.pk}"
    response = as_("bob").patch(
        url, {"text": "Write the short RFC", "owner_id": cast.bob.pk, "due_date": "2030-02-01"}
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.text, item.owner, item.due_date) == (
        "Write the short RFC",
        cast.bob,
        date(2030, 2, 1),
    )
    assert error_fields(as_("bob").patch(url, {"owner_id": cast.carol.pk})) == {"owner_id"}
    assert error_fields(as_("bob").patch(url, {"owner_id": None})) == {"owner_id"}
    assert error_fields(as_("bob").patch(url, {"text": ""})) == {"text"}
    assert error_fields(as_("bob").patch(url, {"done": "maybe"})) == {"done"}
    assert error_fields(as_("bob").patch(url, {"done_by": cast.bob.pk})) == {"done_by"}
    assert as_("bob").patch(url, None).status_code == 422
    assert as_("bob").patch(url, {}).json()["text"] == "Write the short RFC"


# --- Private notes are never in the API -------------------------------------------------------


def api_routes():
    """(name, kwarg names) of every API route."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                yield f"api:{pattern.name}", list(pattern.pattern.regex.groupindex)

    return sorted({(name, tuple(kwargs)) for name, kwargs in walk(get_resolver().url_patterns)})


SECRETS = ("ALICE-PRIVATE-7731", "BOB-PRIVATE-9182")


@pytest.mark.parametrize("who", EVERYONE)
def test_private_notes_appear_in_no_api_answer_for_anyone(client, cast, who):
    from goals.tests.factories import make_goal

    open_one = make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=1))
    closed = held(make_conversation(cast.alice, kind=Kind.QUARTERLY))
    for conversation in (open_one, closed):
        add_private_note(conversation, cast.alice, text=f"{SECRETS[0]} about workload")
        add_private_note(conversation, cast.bob, text=f"{SECRETS[1]}, seems tired")
        add_note(conversation, cast.bob, text="Shared and fine")
        add_agenda_item(conversation, cast.alice)
    action = add_action(open_one, cast.alice)
    values = {
        "conversation_id": open_one.pk,
        "action_id": action.pk,
        "person_id": cast.alice.pk,
        "team_id": cast.platform.pk,
        "goal_id": make_goal(cast.alice).pk,
    }
    headers = bearer(getattr(cast, who))
    bodies = []
    seen = set()
    for name, kwargs in api_routes():
        if not set(kwargs) <= set(values):
            continue  # another module's route with ids of its own
        seen.add(name)
        for conversation in (open_one, closed):
            values["conversation_id"] = conversation.pk
            url = reverse(name, kwargs={key: values[key] for key in kwargs})
            bodies.append(client.get(url, **headers).content)
    assert {"api:get_conversation", "api:list_notes", "api:list_action_items"} <= seen
    # And every write's answer.
    caller = Caller(client, getattr(cast, who))
    for conversation in (open_one, closed):
        url = f"{API}/conversations/{conversation.pk}"
        bodies.append(caller.post(f"{url}/notes", {"text": "Another"}).content)
        bodies.append(caller.post(f"{url}/agenda", {"text": "Another"}).content)
        bodies.append(caller.post(f"{url}/actions", {"text": "Another"}).content)
        bodies.append(caller.post(f"{url}/sign-off").content)
    bodies.append(caller.patch(f"{API}/conversations/actions/{action.pk}", {"done": True}).content)
    bodies.append(
        caller.post(
            f"{API}/conversations",
            {"partner_id": cast.bob.pk, "due_date": timezone.localdate().isoformat()},
        ).content
    )
    everything = b"\n".join(bodies)
    assert b"Shared and fine" in everything or who not in ("alice", "bob")
    for secret in SECRETS:
        assert secret.encode() not in everything


def test_the_api_schema_has_no_private_notes(client):
    schema = client.get(f"{API}/openapi.json").json()
    paths = {path: ops for path, ops in schema["paths"].items() if "/conversations" in path}
    assert len(paths) >= 6
    names = {"ConversationOut", "ConversationDetailOut", "NoteOut", "AgendaItemOut"}
    names |= {"ActionItemOut", "ConversationIn"}
    components = {n: s for n, s in schema["components"]["schemas"].items() if n in names}
    assert len(components) == len(names)
    assert "private" not in json.dumps([paths, components]).lower()


def test_the_filters_do_not_hide_the_goals_schemas(client):
    """Named enums would share the names "Status" and "Kind" with the goals API's."""
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert "on_track" in schemas["Status"]["enum"]
    assert "learning" in schemas["Kind"]["enum"]
