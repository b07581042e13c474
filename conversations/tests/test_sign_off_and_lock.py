"""Signing off, the locked record and its remarks; skipping with a reason."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    Kind,
    Note,
    PrivateNote,
    Status,
)
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    held,
    make_conversation,
)

HTMX = {"HX-Request": "true"}


def url(name, conversation, *args):
    return reverse(f"conversations:{name}", args=[conversation.pk, *args])


@pytest.fixture
def check_in(cast):
    return make_conversation(cast.alice)


# --- Signing off -------------------------------------------------------------------------------


def test_both_sign_off_and_the_record_closes(cast, client, check_in):
    client.force_login(cast.alice)
    response = client.post(url("sign_off", check_in))
    assert response["Location"] == check_in.get_absolute_url() + "#sign-off"
    check_in.refresh_from_db()
    assert check_in.employee_signed_at and not check_in.is_locked
    # Her agreement, not yet a held conversation: her manager's sign-off makes it held.
    assert check_in.status == Status.SCHEDULED
    html = client.get(check_in.get_absolute_url()).text
    assert "signed on" in html and "not signed yet" in html
    assert "counts as held once Bob signs off" in html
    # Signing again changes nothing.
    signed_at = check_in.employee_signed_at
    client.post(url("sign_off", check_in))
    check_in.refresh_from_db()
    assert check_in.employee_signed_at == signed_at

    client.force_login(cast.bob)
    response = client.post(url("sign_off", check_in), follow=True)
    check_in.refresh_from_db()
    assert check_in.is_locked and check_in.status == Status.HELD
    assert "You have both signed off" in response.text
    assert "Signed off by both on" in response.text
    assert "later remarks are appended" in response.text
    # The rhythm moves on: the next check-in is scheduled.
    assert (
        Conversation.objects.of_pair(cast.alice.pk, cast.bob.pk)
        .open()
        .filter(kind=Kind.CHECK_IN)
        .exists()
    )


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank"])
def test_nobody_else_signs_off(cast, client, check_in, who):
    client.force_login(getattr(cast, who))
    assert client.post(url("sign_off", check_in)).status_code == 404
    check_in.refresh_from_db()
    assert check_in.status == Status.SCHEDULED


def test_sign_off_is_post_only(login, cast, check_in):
    assert login(cast.alice).get(url("sign_off", check_in)).status_code == 405


# --- The locked record ---------------------------------------------------------------------------


@pytest.fixture
def locked(cast, check_in):
    """Alice's check-in with one of everything, signed off by both."""
    item = add_agenda_item(check_in, cast.alice, "Roadmap")
    note = add_note(check_in, cast.alice, "Agreed on the plan")
    action = add_action(check_in, cast.alice, "Write it down")
    check_in.starts_at = timezone.now()
    check_in.save()
    held(check_in)
    return check_in, item, note, action


def test_every_change_to_the_record_is_refused_after_sign_off(cast, client, locked):
    conversation, item, note, _action = locked
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    attempts = [
        ("post", url("agenda_add", conversation), {"text": "Late point"}),
        ("post", url("agenda_item", conversation, item.pk), {"action": "toggle"}),
        ("post", url("agenda_item", conversation, item.pk), {"action": "delete"}),
        ("post", url("note_delete", conversation, note.pk), {}),
        ("post", url("action_add", conversation), {"text": "Late", "who": cast.alice.pk}),
        ("get", url("prepare", conversation), {}),
        ("post", url("prepare", conversation), {"answer_0": "Late answer"}),
        ("get", url("reschedule", conversation), {}),
        ("post", url("reschedule", conversation), {"day": day, "time": "10:00"}),
        ("post", url("reschedule", conversation), {"clear": "1"}),
        ("get", url("skip", conversation), {}),
        ("post", url("skip", conversation), {"reason": "Too late"}),
        ("post", url("sign_off", conversation), {}),
    ]
    before = Conversation.objects.filter(pk=conversation.pk).values().get()
    for person in (cast.alice, cast.bob):
        client.force_login(person)
        for method, address, data in attempts:
            for headers in ({}, HTMX):
                response = getattr(client, method)(address, data, headers=headers)
                assert response.status_code == 403, (person, method, address, data)
    assert Conversation.objects.filter(pk=conversation.pk).values().get() == before
    assert list(AgendaItem.objects.values_list("text", "discussed")) == [("Roadmap", False)]
    assert list(Note.objects.values_list("text", flat=True)) == ["Agreed on the plan"]
    assert list(ActionItem.objects.values_list("text", flat=True)) == ["Write it down"]


def test_a_closed_page_offers_no_changes_and_says_why(login, cast, locked):
    conversation, *_ = locked
    html = login(cast.bob).get(conversation.get_absolute_url()).text
    assert "Signed off by both on" in html
    assert "later remarks are appended" in html
    for route in ("agenda_add", "action_add", "sign_off", "prepare", "skip", "reschedule"):
        assert f'action="{url(route, conversation)}"' not in html, route
        assert f'href="{url(route, conversation)}"' not in html, route
    assert "/agenda/" not in html.split('id="agenda"')[1].split("</section>")[0]
    assert "/delete/" not in html.split('id="notes"')[1].split("</section>")[0]
    # What may still happen: a remark, a private note, ticking off an action.
    assert "Add a remark" in html
    assert f'action="{url("note_add", conversation)}"' in html
    assert f'action="{url("private_note_add", conversation)}"' in html
    assert reverse("conversations:action_toggle", args=[locked[3].pk]) in html


def test_remarks_are_appended_dated_and_attributed(cast, client, locked):
    conversation, _item, note, _action = locked
    client.force_login(cast.alice)
    response = client.post(url("note_add", conversation), {"text": "Typo: the plan is for Q3."})
    assert response.status_code == 302
    remark = Note.objects.get(is_remark=True)
    assert (remark.author, remark.conversation) == (cast.alice, conversation)
    assert remark.created_at > conversation.manager_signed_at - timedelta(seconds=1)
    client.force_login(cast.bob)
    html = client.get(conversation.get_absolute_url()).text
    assert "Remark by Alice Employee on" in html
    assert "Typo: the plan is for Q3." in html
    # Appended: after the signed-off notes.
    assert html.index("Agreed on the plan") < html.index("Typo: the plan is for Q3.")
    # Remarks and notes stay as they are: nobody deletes them.
    client.force_login(cast.alice)
    assert client.post(url("note_delete", conversation, remark.pk)).status_code == 403
    assert client.post(url("note_delete", conversation, note.pk)).status_code == 403
    assert Note.objects.count() == 2


def test_a_remark_with_htmx_comes_back_in_place(login, cast, locked):
    conversation, *_ = locked
    client = login(cast.bob)
    response = client.post(url("note_add", conversation), {"text": "Addendum"}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and "Remark by Bob Manager on" in response.text
    empty = client.post(url("note_add", conversation), {"text": ""}, headers=HTMX)
    assert empty.status_code == 400 and "Write the remark first." in empty.text


def test_remarks_need_both_signatures(login, cast, check_in):
    """With one signature, a note is still a note: the record is not closed yet."""
    check_in.employee_signed_at = timezone.now()
    check_in.status = Status.HELD
    check_in.save()
    login(cast.bob).post(url("note_add", check_in), {"text": "Still open"})
    assert Note.objects.get().is_remark is False


def test_action_items_can_still_be_ticked_off_after_sign_off(login, cast, locked):
    *_rest, action = locked
    response = login(cast.bob).post(reverse("conversations:action_toggle", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done


def test_nobody_outside_the_pair_appends_remarks(cast, client, locked):
    conversation, *_ = locked
    for person in (cast.carol, cast.erin, cast.frank, cast.dave):
        client.force_login(person)
        response = client.post(url("note_add", conversation), {"text": "Outsider"})
        assert response.status_code == 404
    assert not Note.objects.filter(text="Outsider").exists()
    assert not PrivateNote.objects.exists()


# --- Skipping ------------------------------------------------------------------------------------


def test_skipping_needs_a_reason(login, cast, check_in):
    client = login(cast.bob)
    assert client.get(url("skip", check_in)).status_code == 200
    response = client.post(url("skip", check_in), {"reason": "   "})
    assert response.status_code == 400
    assert "Give a reason: a skipped conversation needs one." in response.text
    check_in.refresh_from_db()
    assert check_in.status == Status.SCHEDULED


def test_the_manager_skips_with_a_reason_both_see_it(cast, client, check_in):
    client.force_login(cast.bob)
    response = client.post(url("skip", check_in), {"reason": "Alice is on parental leave."})
    assert response["Location"] == check_in.get_absolute_url()
    check_in.refresh_from_db()
    assert (check_in.status, check_in.skipped_by) == (Status.SKIPPED, cast.bob)
    client.force_login(cast.alice)
    html = client.get(check_in.get_absolute_url()).text
    assert "Skipped by Bob Manager" in html
    assert "Alice is on parental leave." in html
    # Nothing more is added to a skipped conversation, and it is not signed off.
    assert f'action="{url("agenda_add", check_in)}"' not in html
    assert f'action="{url("sign_off", check_in)}"' not in html
    assert client.post(url("agenda_add", check_in), {"text": "x"}).status_code == 403
    assert client.post(url("sign_off", check_in)).status_code == 403
    # The next check-in is scheduled from this one's date.
    assert Conversation.objects.of_pair(cast.alice.pk, cast.bob.pk).open().exists()


def test_the_employee_does_not_skip_a_rhythm_conversation(login, cast, check_in):
    client = login(cast.alice)
    assert client.get(url("skip", check_in)).status_code == 403
    assert client.post(url("skip", check_in), {"reason": "Busy"}).status_code == 403
    html = client.get(check_in.get_absolute_url()).text
    assert f'href="{url("skip", check_in)}"' not in html


def test_either_calls_off_a_one_on_one(login, cast):
    one_on_one = make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title="Career chat")
    client = login(cast.alice)
    assert f'href="{url("skip", one_on_one)}"' in client.get(one_on_one.get_absolute_url()).text
    response = client.post(url("skip", one_on_one), {"reason": "We talked at lunch instead."})
    assert response.status_code == 302
    one_on_one.refresh_from_db()
    assert one_on_one.status == Status.SKIPPED


def test_an_overdue_conversation_can_be_skipped(login, cast):
    overdue = make_conversation(cast.alice, due=timezone.localdate() - timedelta(days=40))
    login(cast.bob).post(url("skip", overdue), {"reason": "Missed during the reorganisation."})
    overdue.refresh_from_db()
    assert overdue.status == Status.SKIPPED
    assert overdue.skip_reason == "Missed during the reorganisation."
