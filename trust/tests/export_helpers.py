"""Reading an export's ZIP in tests, and a history of Alice's with something of every kind."""

import csv
import io
import json
import zipfile
from datetime import timedelta

from django.utils import timezone

from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    make_conversation,
)
from feedback.models import Kind, RaterGroup, Reply
from feedback.tests.factories import (
    add_participant,
    answered_by,
    close,
    give,
    invite,
    make_cycle,
    make_request,
    make_review_cycle,
)
from goals.models import Adjustment, ProgressUpdate
from goals.tests.factories import make_goal
from people.tests.factories import add_people
from trust import exporting
from trust.models import DataExport, ExportStatus

FORMULA = '=HYPERLINK("https://evil.example","click")'


class Archive:
    """An export's ZIP: its files by name (without the folder they are in)."""

    def __init__(self, content: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        names = self.zip.namelist()
        self.folder = names[0].split("/")[0]
        assert all(name.startswith(self.folder + "/") for name in names), names
        self.names = sorted(name.split("/", 1)[1] for name in names)

    def text(self, name):
        return self.zip.read(f"{self.folder}/{name}").decode("utf-8-sig")

    def json(self, kind_key):
        return json.loads(self.text(f"{kind_key}.json"))

    def items(self, kind_key):
        return self.json(kind_key)["items"]

    def csv(self, name):
        return list(csv.DictReader(io.StringIO(self.text(name))))

    def everything(self):
        return "\n".join(self.text(name) for name in self.names)


def alices_history(cast):
    """Something of every kind about Alice, and what she may not see beside it."""
    goal = make_goal(cast.alice, title="Ship the API", visibility="team", key_results=[(0, 10, 4)])
    key_result = goal.key_results.get()
    ProgressUpdate.objects.create(
        objective=goal, key_result=key_result, value=4, comment="Halfway there", author=cast.bob
    )
    Adjustment.objects.create(objective=goal, reason="Scope grew", author=cast.alice)
    make_goal(cast.alice, title="Learn Rust", visibility="private")
    make_goal(cast.bob, title="Bob's own private plan", visibility="private")
    talk = make_conversation(cast.alice, cast.bob)
    add_agenda_item(talk, cast.alice, "Talk about the roadmap")
    add_note(talk, cast.bob, "We agreed on the plan.")
    add_private_note(talk, cast.alice, "Ask for the conference budget.")
    add_private_note(talk, cast.bob, "Seems tired; ask about workload.")
    add_action(talk, cast.alice, "Draft the proposal")
    received = give(cast.dave, cast.alice, text=FORMULA, kind=Kind.CONSTRUCTIVE)
    Reply.objects.create(feedback=received, author=cast.alice, text="Thanks, Dave")
    give(cast.alice, cast.bob, text="Great demo, Bob")
    give(cast.dave, cast.bob, text="Dave to Bob, private", kind=Kind.CONSTRUCTIVE)
    make_request(cast.alice, [cast.dave], topic="My talk at the meetup")
    participant = answered_review(cast)
    bobs_cycle = make_cycle("Bob's 360")
    invite(add_participant(bobs_cycle, cast.bob), cast.alice, group=RaterGroup.REPORT)
    return participant


def answered_review(cast):
    """Alice's 360, closed, answered by herself, Bob and three peers (not released yet)."""
    participant = add_participant(make_review_cycle("Spring 360"), cast.alice)
    peers = add_people(3, team=cast.platform, manager=cast.bob, prefix="reviewer")
    given = [
        (cast.alice, RaterGroup.SELF, 4),
        (cast.bob, RaterGroup.MANAGER, 3),
        *[(peer, RaterGroup.PEER, 5) for peer in peers],
    ]
    answered_by(
        participant,
        [(who, group, value, f"Keep mentoring ({group})") for who, group, value in given],
    )
    close(participant.cycle)
    return participant


def export_of(person, status=ExportStatus.READY, ago=timedelta(hours=2), **fields):
    """An export of `person`'s, asked for `ago`."""
    requested = timezone.now() - ago
    ready = status == ExportStatus.READY
    fields.setdefault("finished_at", requested if ready else None)
    fields.setdefault("expires_at", requested + timedelta(days=7) if ready else None)
    return DataExport.objects.create(
        person=person,
        language="en",
        status=status,
        requested_at=requested,
        content=exporting.archive(person, "en") if ready else b"",
        kinds_total=len(exporting.kinds()),
        **fields,
    )
