"""What is told outside Cadence of each event (`cadence.events.KINDS`): the `data` of a webhook
delivery, and what a chat channel's message is made from.

An endpoint is registered by an administrator, to whom administering gives no right to read
anyone's data: a payload holds only what everyone in the organisation may read. It names the
people of public things (praise shown to everyone, a public goal, someone joining or leaving,
by what the directory shows everyone: ids, names, e-mail addresses, job title, team, manager),
never who took part in what only some may read (a conversation's employee and manager, a 360
participant, the owner of a goal not shared with everyone, which is left out altogether), never
a start or leave date (employment details), and nothing of what was written in it that not
everyone may read: never a conversation's notes, preparation, private notes or topic,
never feedback but public praise (whose text everyone in the organisation reads already), never
a 360 answer or report's content, never a survey answer, comment or figure, never a goal's
description, and a goal's title only where the goal is shared with everyone.
`webhooks/tests/test_payloads.py` checks every kind against content written to be found.

Which praise and goals everyone may read is their modules' rule (`feedback.rules` and
`goals.rules`, `seen_by_everyone_q`), never worked out here. Each builder reads its objects by
id in a fixed number of queries, and leaves out those for which there is nothing (any more) to
tell: praise no longer shown to everyone, a goal no longer done or shared with everyone, a
conversation not held, a report not released, a round not closed. A delivery is built again
this way each time it is sent (`webhooks.sending`), so that it tells what may be told then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone

from cadence import events
from cadence.links import site_link
from people.models import Person, Team

Payload = dict[str, Any]


@dataclass
class Built:
    payload: Payload
    people: list[int] = field(default_factory=list)  # the ids of the people it names
    # For praise: the path of the receiver's team, whose channels (and those of the teams it
    # is part of) post it.
    team_path: str = ""
    subject: int | None = None  # the id of the object it is about, to build it again from


def _when(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def person_ref(person: Person | None) -> Payload | None:
    if person is None:
        return None
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "url": site_link(person.get_absolute_url()),
    }


def team_ref(team: Team | None) -> Payload | None:
    if team is None:
        return None
    return {"id": team.pk, "name": team.name, "url": site_link(team.get_absolute_url())}


def _people(*people: Person | None) -> list[int]:
    return sorted({person.pk for person in people if person is not None})


# --- One builder per kind -------------------------------------------------------------------------


def conversation_held(ids: Iterable[int]) -> list[Built]:
    from conversations.models import Conversation, Status

    found = Conversation.objects.filter(pk__in=list(ids), status=Status.HELD).select_related(
        "employee", "manager"
    )
    return [
        Built(
            {
                "conversation": {
                    "id": talk.pk,
                    "kind": talk.kind,
                    "held_on": _when(talk.held_on),
                    "url": site_link(talk.get_absolute_url()),
                },
            },
            _people(talk.employee, talk.manager),
            subject=talk.pk,
        )
        for talk in found.order_by("pk")
    ]


def goal_completed(ids: Iterable[int]) -> list[Built]:
    from goals.models import Objective, Status
    from goals.rules import seen_by_everyone_q

    # Only goals everyone reads: of the others, even that they exist and are done is for their
    # readers alone.
    found = Objective.objects.filter(
        seen_by_everyone_q(), pk__in=list(ids), status=Status.DONE
    ).select_related("owner_person", "owner_team")
    built = []
    for goal in found.order_by("pk"):
        about: Payload = {
            "id": goal.pk,
            "kind": goal.kind,
            "visibility": goal.visibility,
            "title": goal.title,
            "start_date": _when(goal.start_date),
            "end_date": _when(goal.end_date),
            "url": site_link(goal.get_absolute_url()),
        }
        payload = {
            "goal": about,
            "owner": person_ref(goal.owner_person),
            "team": team_ref(goal.owner_team),
        }
        built.append(Built(payload, _people(goal.owner_person), subject=goal.pk))
    return built


def praise_given(ids: Iterable[int]) -> list[Built]:
    from feedback.models import Feedback, Kind
    from feedback.rules import seen_by_everyone_q

    found = Feedback.objects.filter(
        seen_by_everyone_q(), pk__in=list(ids), kind=Kind.PRAISE
    ).select_related("giver", "receiver__team")
    return [
        Built(
            {
                "praise": {
                    "id": praise.pk,
                    "text": praise.text,
                    "competency": praise.competency or None,
                    "created_at": _when(praise.created_at),
                    "url": site_link(praise.get_absolute_url()),
                },
                "giver": person_ref(praise.giver),
                "receiver": person_ref(praise.receiver),
                "receiver_team": team_ref(praise.receiver.team),
            },
            _people(praise.giver, praise.receiver),
            praise.receiver.team.path if praise.receiver.team else "",
            subject=praise.pk,
        )
        for praise in found.order_by("pk")
    ]


def report_released(ids: Iterable[int]) -> list[Built]:
    from feedback.models import ReviewParticipant

    found = ReviewParticipant.objects.filter(
        pk__in=list(ids), released_at__isnull=False
    ).select_related("cycle", "person")
    return [
        Built(
            {
                "cycle": {
                    "id": participant.cycle_id,
                    "name": participant.cycle.name,
                    "period_start": _when(participant.cycle.period_start),
                    "period_end": _when(participant.cycle.period_end),
                },
                "released_at": _when(participant.released_at),
            },
            _people(participant.person),
            subject=participant.pk,
        )
        for participant in found.order_by("pk")
    ]


def survey_round_closed(ids: Iterable[int]) -> list[Built]:
    from django.urls import reverse

    from surveys.models import Round, RoundStatus

    found = Round.objects.filter(pk__in=list(ids), status=RoundStatus.CLOSED).select_related(
        "survey__team"
    )
    return [
        Built(
            {
                "survey": {
                    "id": found_round.survey_id,
                    "name": found_round.survey.name,
                    "team": team_ref(found_round.survey.team),
                    "url": site_link(reverse("surveys:survey", args=[found_round.survey_id])),
                },
                "round": {
                    "id": found_round.pk,
                    "number": found_round.number,
                    "opens_on": _when(found_round.opens_on),
                    "closes_on": _when(found_round.closes_on),
                    "closed_at": _when(found_round.closed_at),
                },
            },
            subject=found_round.pk,
        )
        for found_round in found.order_by("pk")
    ]


def _person(person: Person) -> Payload:
    return {
        **(person_ref(person) or {}),
        "job_title": person.job_title,
        "team": team_ref(person.team),
        "manager": person_ref(person.manager),
    }


def person_added(ids: Iterable[int]) -> list[Built]:
    found = Person.objects.filter(pk__in=list(ids)).select_related("team", "manager")
    return [
        Built({"person": _person(person)}, _people(person, person.manager), subject=person.pk)
        for person in found.order_by("pk")
    ]


def person_left(ids: Iterable[int]) -> list[Built]:
    found = Person.objects.filter(pk__in=list(ids), leave_date__isnull=False)
    return [
        Built({"person": _person(person)}, _people(person, person.manager), subject=person.pk)
        for person in found.select_related("team", "manager").order_by("pk")
    ]


BUILDERS: dict[str, Callable[[Iterable[int]], list[Built]]] = {
    events.CONVERSATION_HELD: conversation_held,
    events.GOAL_COMPLETED: goal_completed,
    events.PRAISE_GIVEN: praise_given,
    events.REPORT_RELEASED: report_released,
    events.SURVEY_ROUND_CLOSED: survey_round_closed,
    events.PERSON_ADDED: person_added,
    events.PERSON_LEFT: person_left,
}


def build(kind: str, ids: Iterable[int]) -> list[Built]:
    return BUILDERS[kind](ids)


def build_again(kind: str, subject: int | None) -> Built | None:
    """The payload of the event `kind` of `subject` as it would be built now, or None where
    nothing of it may be told any more (or, for an event recorded without its subject, where
    that cannot be known)."""
    if subject is None or kind not in BUILDERS:
        return None
    found = build(kind, [subject])
    return found[0] if found else None


# --- A test event ---------------------------------------------------------------------------------


def ping() -> Built:
    """What "Send a test event" sends: no one's data."""
    return Built({"message": "A test event from Cadence.", "sent_at": _when(timezone.now())})
