"""What is said in a conversation never reaches administrators, and private notes have exactly
one reader in the code base."""

import pathlib
import re

from django.contrib import admin

from access.rules import visible
from access.viewer import Viewer
from conversations.models import ActionItem, AgendaItem, Conversation, Note, PrivateNote
from conversations.rules import private_notes_of
from conversations.tests.factories import add_private_note, make_conversation

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_no_conversation_content_is_in_the_admin_site():
    for model in (Conversation, AgendaItem, Note, PrivateNote, ActionItem):
        assert model not in admin.site._registry


def test_only_the_writer_reads_their_private_notes(cast):
    conversation = make_conversation(cast.alice)
    bobs = add_private_note(conversation, cast.bob, "Bob's own thought")
    alices = add_private_note(conversation, cast.alice, "Alice's own thought")
    assert list(private_notes_of(Viewer.of(cast.bob), conversation)) == [bobs]
    assert list(private_notes_of(Viewer.of(cast.alice), conversation)) == [alices]
    for person in (cast.carol, cast.dave, cast.erin, cast.frank):
        assert not private_notes_of(Viewer.of(person), conversation).exists()


def test_private_notes_are_read_only_through_the_rules():
    """A code-level guard: outside the rules (and models, migrations, the demo and tests), no
    module queries PrivateNote or follows the `private_notes` accessor; writing one is fine."""
    reads = re.compile(
        # (Not a string's end: "conversations.private_notes" is the kind's key in the catalogue.)
        r"PrivateNote\.objects\.(?!create\b)|PrivateNote\._|\.private_notes\b(?!_of|[\"'])"
    )
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "node_modules/", "build/")) or "/tests/" in relative:
            continue
        if "/migrations/" in relative or relative in {
            "conversations/models.py",
            "conversations/rules.py",
            "conversations/demo.py",
            "conversations/catalogue.py",  # names the kind ("conversations.private_notes")
        }:
            continue
        if reads.search(path.read_text()):
            offenders.append(relative)
    assert offenders == []


def test_adherence_reads_the_rhythm_of_the_people_below_or_in_hr_scope_only(cast):
    mine = {
        person: make_conversation(person, manager=manager).pk
        for person, manager in (
            (cast.alice, cast.bob),
            (cast.bob, cast.carol),
            (cast.dave, cast.erin),
        )
    }
    expected = {
        cast.alice: set(),
        cast.bob: {mine[cast.alice]},
        cast.carol: {mine[cast.alice], mine[cast.bob]},
        cast.dave: set(),
        cast.erin: set(mine.values()),  # HR for the whole organisation
        cast.frank: set(),
    }
    for viewer, conversations in expected.items():
        seen = set(
            visible(Viewer.of(viewer), Conversation, "adherence").values_list("pk", flat=True)
        )
        assert seen == conversations, viewer
