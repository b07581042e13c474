"""Webhook payloads never hold private content. Every kind of event is made to happen through
the real services, in an organisation whose private content is written to be found (private
and shared conversation notes, the employee's preparation, a topic, constructive feedback,
private praise, 360 answers, survey answers and comments, goals' descriptions, a private goal's
title, people's role and level); an endpoint that wants every event receives them at a real
receiver. No body it receives, and no payload Cadence keeps, holds any of it, nor a field that
could carry it."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from access.viewer import Viewer
from cadence import events
from conversations import services as conversation_services
from conversations.models import Kind as ConversationKind
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    make_conversation,
)
from feedback import services as feedback_services
from feedback.models import Kind, RaterGroup, ReviewParticipant, Visibility
from feedback.tests.factories import add_participant, answered_by, close, make_review_cycle
from goals import services as goal_services
from goals.models import Status
from goals.tests.factories import make_goal
from people import services as people_services
from people.tests.factories import add_people
from surveys import rounds
from surveys.models import Invitation
from surveys.tests.factories import make_survey, make_team
from webhooks.models import Event
from webhooks.tests.factories import make_endpoint
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

SECRETS = [
    "SECRET-TOPIC",
    "SECRET-PREPARATION",
    "SECRET-SHARED-NOTE",
    "SECRET-PRIVATE-NOTE",
    "SECRET-ACTION",
    "SECRET-AGENDA",
    "SECRET-PRIVATE-GOAL-TITLE",
    "SECRET-GOAL-WHY",
    "SECRET-PUBLIC-GOAL-WHY",
    "SECRET-PROGRESS-COMMENT",
    "SECRET-CONSTRUCTIVE",
    "SECRET-PRIVATE-PRAISE",
    "SECRET-TEAM-PRAISE",
    "SECRET-360-ANSWER",
    "SECRET-SURVEY-COMMENT",
    "SECRET-ROLE",
]
# Keys that would carry someone's words or an employment detail, wherever they appear.
FORBIDDEN_KEYS = {
    "notes",
    "note",
    "private_note",
    "private_notes",
    "preparation",
    "agenda",
    "action_items",
    "answers",
    "answer",
    "comment",
    "comments",
    "rating",
    "ratings",
    "figures",
    "respondents",
    "description",
    "rationale",
    "skip_reason",
    "reason",
    "role",
    "level",
    "confidence",
}
# Keys allowed in one kind only: praise's text (shown to everyone already) and a public goal's
# title.
ONLY_IN = {"text": {events.PRAISE_GIVEN}, "title": {events.GOAL_COMPLETED}}


def keys_of(value, found=None):
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            keys_of(inner, found)
    elif isinstance(value, list):
        for inner in value:
            keys_of(inner, found)
    return found


@pytest.fixture
def everything_happened(cast, django_capture_on_commit_callbacks):
    """Each event made to happen, with private content all around it; what the receiver got."""
    alice, bob, dave, erin = cast.alice, cast.bob, cast.dave, cast.erin
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(cast.frank, receiver.url)
        receiver.secret = secret
        with django_capture_on_commit_callbacks(execute=True):
            # A conversation held, with notes of every kind.
            talk = make_conversation(
                alice,
                kind=ConversationKind.CHECK_IN,
                due=timezone.localdate(),
                starts_at=timezone.now() - timedelta(hours=1),
                title="SECRET-TOPIC",
                preparation=[{"prompt": "How are you?", "answer": "SECRET-PREPARATION"}],
            )
            add_note(talk, bob, "SECRET-SHARED-NOTE")
            add_private_note(talk, bob, "SECRET-PRIVATE-NOTE")
            add_action(talk, alice, "SECRET-ACTION")
            add_agenda_item(talk, alice, "SECRET-AGENDA")
            conversation_services.sign_off(Viewer(bob), talk)

            # Goals completed: a private one and one shared with everyone.
            private = make_goal(
                alice,
                title="SECRET-PRIVATE-GOAL-TITLE",
                description="SECRET-GOAL-WHY",
                visibility="private",
            )
            public = make_goal(
                alice, title="Ship the new search", description="SECRET-PUBLIC-GOAL-WHY"
            )
            goal_services.set_status(Viewer(alice), private, Status.DONE)
            goal_services.set_status(Viewer(alice), public, Status.DONE)

            # Feedback: constructive, private and team praise (no event), public praise (one).
            for kind, visibility, text in [
                (Kind.CONSTRUCTIVE, Visibility.PRIVATE, "SECRET-CONSTRUCTIVE"),
                (Kind.PRAISE, Visibility.PRIVATE, "SECRET-PRIVATE-PRAISE"),
                (Kind.PRAISE, Visibility.TEAM, "SECRET-TEAM-PRAISE"),
                (
                    Kind.PRAISE,
                    Visibility.ORGANISATION,
                    "Thanks for the calm launch, everyone saw it",
                ),
            ]:
                feedback_services.give_feedback(
                    Viewer(dave), receiver_id=alice.pk, kind=kind, text=text, visibility=visibility
                )

            # A 360 report released, its answers written to be found.
            cycle = make_review_cycle(rated="Communicates clearly", competency="")
            participant = add_participant(cycle, alice)
            peers = add_people(3, team=cast.platform, prefix="peer")
            answered_by(
                participant,
                [(bob, RaterGroup.MANAGER, 4, "SECRET-360-ANSWER")]
                + [(peer, RaterGroup.PEER, 5, "SECRET-360-ANSWER") for peer in peers],
            )
            close(cycle)
            participant = ReviewParticipant.objects.select_related("cycle").get(pk=participant.pk)
            feedback_services.release_report(Viewer(bob), participant, confirmed=True)

            # A survey round closed, with answers and comments.
            team, people = make_team("Surveyed", 6, start_date=date(2020, 1, 1))
            survey = make_survey(team=team)
            found = rounds.open_round(survey, timezone.localdate() - timedelta(days=3))
            by_key = {question.key: question.pk for question in found.questions.all()}
            for person in people:
                invitation = Invitation.objects.get(round=found, person=person)
                rounds.submit(
                    invitation,
                    {
                        by_key["engagement-energy"]: 4,
                        by_key["safety-mistakes"]: 3,
                        by_key["enps"]: 8,
                        by_key["comment"]: "SECRET-SURVEY-COMMENT",
                    },
                )
            rounds.close_round(found)

            # Someone added (with a role and a level), and someone leaving.
            people_services.add_person(
                Viewer(erin),
                people_services.PersonData(
                    name="Nina New",
                    email="nina@example.com",
                    job_title="Designer",
                    level=4,
                    team=cast.platform,
                    manager=bob,
                    role_name="SECRET-ROLE",
                ),
            )
            people_services.mark_leaving(Viewer(erin), dave, timezone.localdate() + timedelta(30))
    return receiver


def test_every_kind_of_event_is_delivered_and_verifies(everything_happened):
    received = everything_happened.received
    kinds = [got.json["type"] for got in received]
    assert set(kinds) == set(events.KINDS)
    # One each: praise that is not public makes no event, nor a goal not shared with everyone.
    assert sorted(kinds) == sorted(events.KINDS)
    assert all(got.verified for got in received)


def test_no_delivery_and_no_stored_payload_holds_private_content(everything_happened):
    bodies = [got.body.decode() for got in everything_happened.received]
    stored = [json.dumps(event.payload, ensure_ascii=False) for event in Event.objects.all()]
    for text in bodies + stored:
        assert [secret for secret in SECRETS if secret in text] == [], text


def test_no_payload_has_a_field_that_could_carry_private_content(everything_happened):
    for got in everything_happened.received:
        kind, data = got.json["type"], got.json["data"]
        found = keys_of(data)
        assert found & FORBIDDEN_KEYS == set(), (kind, found & FORBIDDEN_KEYS)
        for key, kinds in ONLY_IN.items():
            if kind not in kinds:
                assert key not in found, (kind, key)


def test_only_what_everyone_may_read_goes_out(everything_happened):
    """An administrator registers the endpoints, and administering gives no right to read
    anyone's data: a goal goes out only when shared with everyone (with its title); a held
    conversation and a released 360 report without who took part; a person without their
    start or leave date."""
    data = {got.json["type"]: got.json["data"] for got in everything_happened.received}
    assert data[events.GOAL_COMPLETED]["goal"]["visibility"] == "public"
    assert data[events.GOAL_COMPLETED]["goal"]["title"] == "Ship the new search"
    assert set(data[events.CONVERSATION_HELD]) == {"conversation"}
    assert "participant" not in data[events.REPORT_RELEASED]
    for kind in (events.PERSON_ADDED, events.PERSON_LEFT):
        assert not {"start_date", "leave_date"} & set(data[kind]["person"]), kind


def test_praise_goes_out_with_its_text_only_when_public(everything_happened):
    (praise,) = [
        got.json["data"]
        for got in everything_happened.received
        if got.json["type"] == events.PRAISE_GIVEN
    ]
    assert praise["praise"]["text"] == "Thanks for the calm launch, everyone saw it"
    assert praise["giver"]["name"] == "Dave Peer"
    assert praise["receiver"]["name"] == "Alice Employee"


def test_a_rolled_back_write_tells_nothing(cast, django_capture_on_commit_callbacks):
    from django.db import transaction

    with Receiver() as receiver:
        make_endpoint(cast.frank, receiver.url)
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            goal = make_goal(cast.alice)
            goal_services.set_status(Viewer(cast.alice), goal, Status.DONE)
            raise RuntimeError("rolled back")
    assert receiver.received == []
    assert Event.objects.count() == 0


def test_unwanted_kinds_make_nothing(cast, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        make_endpoint(cast.frank, receiver.url, kinds=[events.PERSON_ADDED])
        with django_capture_on_commit_callbacks(execute=True):
            goal = make_goal(cast.alice)
            goal_services.set_status(Viewer(cast.alice), goal, Status.DONE)
    assert receiver.received == [] and Event.objects.count() == 0


def test_without_endpoints_an_event_costs_one_query(
    cast, django_capture_on_commit_callbacks, django_assert_num_queries
):
    goal = make_goal(cast.alice)
    with django_capture_on_commit_callbacks() as callbacks:
        goal_services.set_status(Viewer(cast.alice), goal, Status.DONE)
    with django_assert_num_queries(1):
        for callback in callbacks:
            callback()


def test_people_added_by_an_import_are_told(cast, django_capture_on_commit_callbacks):
    from people.importing import import_people

    csv = (
        "email,name,team,manager_email\n"
        "olga@example.com,Olga Import,Engineering/Platform,bob@example.com\n"
        "piet@example.com,Piet Import,Engineering/Platform,bob@example.com\n"
    )
    with Receiver() as receiver:
        make_endpoint(cast.frank, receiver.url, kinds=[events.PERSON_ADDED])
        with django_capture_on_commit_callbacks(execute=True):
            plan = import_people(csv, editor=cast.erin)
    assert plan.applied, plan.errors
    names = sorted(got.json["data"]["person"]["name"] for got in receiver.received)
    assert names == ["Olga Import", "Piet Import"]


def test_a_conversation_signed_by_the_employee_only_is_not_held_yet(
    cast, django_capture_on_commit_callbacks
):
    talk = make_conversation(
        cast.alice, due=timezone.localdate(), starts_at=timezone.now() - timedelta(hours=1)
    )
    with Receiver() as receiver:
        make_endpoint(cast.frank, receiver.url, kinds=[events.CONVERSATION_HELD])
        with django_capture_on_commit_callbacks(execute=True):
            conversation_services.sign_off(Viewer(cast.alice), talk)
        assert receiver.received == []
        with django_capture_on_commit_callbacks(execute=True):
            conversation_services.sign_off(Viewer(cast.bob), talk)
            conversation_services.sign_off(Viewer(cast.bob), talk)  # twice: told once
    assert [got.json["type"] for got in receiver.received] == [events.CONVERSATION_HELD]
