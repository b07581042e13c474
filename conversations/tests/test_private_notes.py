"""Private notes: only their writer ever sees them, on every page and partial this module's
conversation page serves, and only their writer can remove them."""

import pytest
from django.urls import reverse

from conversations.models import PrivateNote
from conversations.tests.factories import (
    add_agenda_item,
    add_note,
    add_private_note,
    held,
    make_conversation,
)

HTMX = {"HX-Request": "true"}
BOBS_SECRET = "Bob thinks Alice is ready for promotion"
ALICES_SECRET = "Alice is looking at other jobs"


def url(name, conversation, *args):
    return reverse(f"conversations:{name}", args=[conversation.pk, *args])


@pytest.fixture
def check_in(cast):
    conversation = make_conversation(cast.alice)
    add_private_note(conversation, cast.bob, BOBS_SECRET)
    add_private_note(conversation, cast.alice, ALICES_SECRET)
    return conversation


def every_response(client, conversation):
    """Every page and partial of the conversation page this viewer can ask for."""
    item = add_agenda_item(conversation, conversation.employee, "Point")
    yield client.get(conversation.get_absolute_url())
    yield client.get(url("prepare", conversation))
    yield client.get(url("prepare", conversation), headers=HTMX)
    yield client.get(url("prepare", conversation) + "?cancel=1", headers=HTMX)
    yield client.get(url("skip", conversation))
    yield client.get(url("reschedule", conversation))
    yield client.post(url("agenda_add", conversation), {"text": "A point"}, headers=HTMX)
    yield client.post(url("agenda_add", conversation), {"text": ""}, headers=HTMX)
    yield client.post(url("agenda_add", conversation), {"text": ""})  # the page, with errors
    yield client.post(url("agenda_item", conversation, item.pk), {"action": "toggle"}, headers=HTMX)
    yield client.post(url("note_add", conversation), {"text": "Shared"}, headers=HTMX)
    yield client.post(url("note_add", conversation), {"text": ""})
    yield client.post(url("private_note_add", conversation), {"text": "Mine"}, headers=HTMX)
    yield client.post(url("private_note_add", conversation), {"text": ""}, headers=HTMX)
    yield client.post(url("private_note_add", conversation), {"text": ""})
    yield client.post(url("action_add", conversation), {"text": "", "who": ""}, headers=HTMX)
    yield client.post(url("action_add", conversation), {"text": "", "who": ""})


def test_a_private_note_is_shown_to_its_writer(login, cast, check_in):
    html = login(cast.bob).get(check_in.get_absolute_url()).text
    assert BOBS_SECRET in html
    assert "Private — only you can see this" in html
    assert ALICES_SECRET not in html


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "erin", "frank"])
def test_bobs_private_note_never_reaches_anyone_else(cast, client, check_in, who):
    client.force_login(getattr(cast, who))
    responses = list(every_response(client, check_in))
    if who == "alice":
        assert responses[0].status_code == 200  # she sees the page, not Bob's note
    for response in responses:
        assert BOBS_SECRET not in response.content.decode(), response.request["PATH_INFO"]


def test_alices_private_note_never_reaches_bob(login, cast, check_in):
    client = login(cast.bob)
    for response in every_response(client, check_in):
        assert ALICES_SECRET not in response.content.decode()


def test_private_notes_stay_out_of_closed_and_later_conversations(login, cast, check_in):
    held(check_in)
    following = make_conversation(cast.alice)
    client = login(cast.alice)
    for conversation in (check_in, following):
        html = client.get(conversation.get_absolute_url()).text
        assert BOBS_SECRET not in html


def test_the_writer_adds_and_removes_their_own(login, cast, check_in):
    client = login(cast.alice)
    response = client.post(url("private_note_add", check_in), {"text": "Ask about the course"})
    assert response["Location"] == check_in.get_absolute_url() + "#private-notes"
    note = PrivateNote.objects.get(text="Ask about the course")
    assert note.author == cast.alice
    response = client.post(url("private_note_delete", check_in, note.pk), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="private-body"' in response.text
    assert not PrivateNote.objects.filter(pk=note.pk).exists()


def test_adding_with_htmx_returns_the_box_and_errors_stay_in_place(login, cast, check_in):
    client = login(cast.bob)
    response = client.post(url("private_note_add", check_in), {"text": "Later"}, headers=HTMX)
    assert response.status_code == 200
    assert "Later" in response.text and BOBS_SECRET in response.text
    response = client.post(url("private_note_add", check_in), {"text": " "}, headers=HTMX)
    assert response.status_code == 400 and "Write the note first." in response.text


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "erin", "frank"])
def test_nobody_else_can_remove_a_private_note(cast, client, check_in, who):
    note = PrivateNote.objects.get(author=cast.bob)
    client.force_login(getattr(cast, who))
    response = client.post(url("private_note_delete", check_in, note.pk))
    assert response.status_code == 404
    assert PrivateNote.objects.filter(pk=note.pk).exists()


def test_a_private_note_cannot_be_removed_through_another_conversation(login, cast, check_in):
    note = PrivateNote.objects.get(author=cast.bob)
    other = make_conversation(cast.alice, kind="one_on_one")
    response = login(cast.bob).post(url("private_note_delete", other, note.pk))
    assert response.status_code == 404
    assert PrivateNote.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank"])
def test_nobody_outside_the_pair_can_add_one(cast, client, check_in, who):
    client.force_login(getattr(cast, who))
    response = client.post(url("private_note_add", check_in), {"text": "Sneaky"})
    assert response.status_code == 404
    assert not PrivateNote.objects.filter(text="Sneaky").exists()


def test_private_notes_can_still_be_kept_after_sign_off(login, cast, check_in):
    """They are not part of the shared record, so closing it does not close them."""
    held(check_in)
    client = login(cast.bob)
    response = client.post(url("private_note_add", check_in), {"text": "Follow up in May"})
    assert response.status_code == 302
    assert PrivateNote.objects.filter(text="Follow up in May", author=cast.bob).exists()
    note = PrivateNote.objects.get(author=cast.bob, text=BOBS_SECRET)
    assert client.post(url("private_note_delete", check_in, note.pk)).status_code == 302


def test_a_shared_note_is_not_a_private_one(login, cast, check_in):
    """The shared notes list never pulls from the private table, and vice versa."""
    add_note(check_in, cast.bob, "Shared by Bob")
    html = login(cast.alice).get(check_in.get_absolute_url()).text
    assert "Shared by Bob" in html
    assert BOBS_SECRET not in html
