"""The conversation page: who sees it, its header, preparation, agenda, GROW, notes, action
items, the meeting time, and a fixed number of queries however full it is."""

import html
import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import ActionItem, AgendaItem, Conversation, Kind, Note, Status
from conversations.prompts import GROW, sections_of
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    held,
    make_conversation,
)
from goals.models import Objective
from goals.tests.factories import days_ago, make_goal

HTMX = {"HX-Request": "true"}


def url(name, conversation, *args):
    return reverse(f"conversations:{name}", args=[conversation.pk, *args])


def text_of(response) -> str:
    """The response's visible text, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


@pytest.fixture
def check_in(cast):
    return make_conversation(cast.alice)


# --- Who sees it ---------------------------------------------------------------------------------


def test_only_the_two_participants_see_the_page(cast, client, check_in):
    for person in (cast.alice, cast.bob):
        client.force_login(person)
        assert client.get(check_in.get_absolute_url()).status_code == 200
    for person in (cast.carol, cast.dave, cast.erin, cast.frank):
        client.force_login(person)
        assert client.get(check_in.get_absolute_url()).status_code == 404, person


def test_the_page_says_who_can_see_it_by_name_and_role_from_the_rules(cast, client, check_in):
    client.force_login(cast.alice)
    response = client.get(check_in.get_absolute_url())
    page = response.context["page"]
    assert [(line.label, [p.name for p in line.people]) for line in page.who.lines] == [
        ("you", ["Alice Employee"]),
        ("your manager in the conversation", ["Bob Manager"]),
    ]
    assert [(line.label, [p.name for p in line.people]) for line in page.rhythm_who.lines] == [
        ("your management chain", ["Bob Manager", "Carol Leader"]),
        ("HR for the whole organisation", ["Erin HR"]),
    ]
    text = html.unescape(text_of(response))
    assert "Who can read what is said: You Bob Manager — your manager in the conversation" in text
    assert "Who sees only its dates and status, never what is said:" in text


def test_unknown_and_oversized_ids_are_not_found(login, cast):
    client = login(cast.alice)
    assert client.get("/conversations/999999/").status_code == 404
    assert client.get("/conversations/99999999999999999999999/").status_code == 404
    assert client.post("/conversations/actions/99999999999999999999999/toggle/").status_code == 404
    check_in = make_conversation(cast.alice)
    big = "99999999999999999999999"
    assert client.post(f"/conversations/{check_in.pk}/agenda/{big}/").status_code == 404
    assert client.post(f"/conversations/{check_in.pk}/notes/{big}/delete/").status_code == 404


# --- The header ---------------------------------------------------------------------------------


def test_the_header_shows_the_pair_the_dates_and_the_state(login, cast, check_in):
    response = login(cast.alice).get(check_in.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Check-in" in html
    assert f'href="{cast.alice.get_absolute_url()}"' in html
    assert f'href="{cast.bob.get_absolute_url()}"' in html
    assert check_in.due_date.strftime("%Y-%m-%d") in html
    assert "Not prepared yet" in html
    assert "No time set yet" in html
    assert "cv-status-overdue" not in html


def test_an_overdue_conversation_is_highlighted(login, cast):
    overdue = make_conversation(cast.alice, due=timezone.localdate() - timedelta(days=20))
    html = login(cast.bob).get(overdue.get_absolute_url()).text
    assert "cv-status-overdue" in html
    assert "Overdue" in html


def test_the_meeting_time_is_shown_in_each_viewers_time_zone(cast, client, check_in):
    cast.alice.time_zone = "Europe/Amsterdam"
    cast.alice.save()
    cast.bob.time_zone = "America/New_York"
    cast.bob.save()
    check_in.starts_at = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
    check_in.save()
    client.force_login(cast.alice)
    html = client.get(check_in.get_absolute_url()).text
    assert 'datetime="2030-01-15T13:00:00+01:00"' in html
    # Bob is elsewhere: Alice also sees his time.
    assert "7 a.m." in html or "07:00" in html
    client.force_login(cast.bob)
    html = client.get(check_in.get_absolute_url()).text
    assert 'datetime="2030-01-15T07:00:00-05:00"' in html


# --- Preparation --------------------------------------------------------------------------------


def answers_for(conversation, *answers):
    return {f"answer_{index}": answer for index, answer in enumerate(answers)}


def test_the_employee_prepares_and_the_manager_reads_it(cast, client, check_in):
    client.force_login(cast.alice)
    form_page = client.get(url("prepare", check_in))
    assert form_page.status_code == 200
    prompts = [p for s in sections_of(check_in) for p in s.prompts]
    for prompt in prompts:
        assert prompt in form_page.text
    response = client.post(url("prepare", check_in), answers_for(check_in, "Shipped the importer"))
    assert response.status_code == 302
    assert response["Location"].endswith("#preparation")
    check_in.refresh_from_db()
    assert check_in.prepared_at is not None
    assert check_in.preparation[0] == {"prompt": prompts[0], "answer": "Shipped the importer"}
    assert "You have prepared" in client.get(check_in.get_absolute_url()).text

    client.force_login(cast.bob)
    html = client.get(check_in.get_absolute_url()).text
    assert "Shipped the importer" in html
    assert "Alice has prepared" in html
    # The manager reads; only the employee prepares.
    assert client.get(url("prepare", check_in)).status_code == 403
    assert client.post(url("prepare", check_in), answers_for(check_in, "x")).status_code == 403
    check_in.refresh_from_db()
    assert check_in.preparation[0]["answer"] == "Shipped the importer"


def test_preparing_with_htmx_swaps_the_guide_in_place(login, cast, check_in):
    client = login(cast.alice)
    form = client.get(url("prepare", check_in), headers=HTMX)
    assert form.status_code == 200
    assert "<html" not in form.text and 'id="preparation"' in form.text
    assert 'hx-post="' in form.text
    saved = client.post(url("prepare", check_in), answers_for(check_in, "Ready"), headers=HTMX)
    assert saved.status_code == 200
    assert "<html" not in saved.text and "Ready" in saved.text
    cancel = client.get(url("prepare", check_in) + "?cancel=1", headers=HTMX)
    assert cancel.status_code == 200 and "Ready" in cancel.text
    too_long = client.post(
        url("prepare", check_in), answers_for(check_in, "x" * 6000), headers=HTMX
    )
    assert too_long.status_code == 400
    assert "<html" not in too_long.text and "at most 5000" in too_long.text
    check_in.refresh_from_db()
    assert check_in.preparation[0]["answer"] == "Ready"


def test_an_empty_preparation_is_not_preparing(login, cast, check_in):
    client = login(cast.alice)
    client.post(url("prepare", check_in), answers_for(check_in, "Something"))
    client.post(url("prepare", check_in), answers_for(check_in, "   "))
    check_in.refresh_from_db()
    assert check_in.prepared_at is None
    assert check_in.preparation == []
    assert "Not prepared yet" in client.get(check_in.get_absolute_url()).text


def test_without_javascript_a_bad_preparation_comes_back_with_its_answers(login, cast, check_in):
    response = login(cast.alice).post(
        url("prepare", check_in), {"answer_0": "x" * 6000, "answer_1": "Kept"}
    )
    assert response.status_code == 400
    assert "<html" in response.text and "Kept" in response.text


# --- Agenda -------------------------------------------------------------------------------------


def test_both_add_talking_points_and_see_who_added_them(cast, client, check_in):
    client.force_login(cast.alice)
    response = client.post(url("agenda_add", check_in), {"text": "The roadmap"})
    assert response.status_code == 302
    assert response["Location"] == check_in.get_absolute_url() + "#agenda"
    client.force_login(cast.bob)
    client.post(url("agenda_add", check_in), {"text": "Your workload"})
    assert list(check_in.agenda_items.values_list("text", "author")) == [
        ("The roadmap", cast.alice.pk),
        ("Your workload", cast.bob.pk),
    ]
    html = client.get(check_in.get_absolute_url()).text
    assert "The roadmap" in html and "Your workload" in html
    assert "Alice" in text_of(client.get(check_in.get_absolute_url()))


def test_adding_a_talking_point_with_htmx_returns_the_section(login, cast, check_in):
    client = login(cast.alice)
    response = client.post(url("agenda_add", check_in), {"text": "Hiring"}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="talking-points"' in response.text and "Hiring" in response.text
    empty = client.post(url("agenda_add", check_in), {"text": "  "}, headers=HTMX)
    assert empty.status_code == 400
    assert "Write the talking point first." in empty.text
    assert AgendaItem.objects.count() == 1


def test_an_empty_talking_point_without_javascript_re_renders_the_page(login, cast, check_in):
    response = login(cast.alice).post(url("agenda_add", check_in), {"text": ""})
    assert response.status_code == 400
    assert "<html" in response.text and "Write the talking point first." in response.text


def test_the_author_removes_their_own_talking_point_either_ticks_it(cast, client, check_in):
    item = add_agenda_item(check_in, cast.alice, "Conference budget")
    client.force_login(cast.bob)
    assert (
        client.post(url("agenda_item", check_in, item.pk), {"action": "delete"}).status_code == 403
    )
    response = client.post(url("agenda_item", check_in, item.pk), {"action": "toggle"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.discussed
    assert 'aria-pressed="true"' in client.get(check_in.get_absolute_url()).text
    client.force_login(cast.alice)
    client.post(url("agenda_item", check_in, item.pk), {"action": "toggle"}, headers=HTMX)
    item.refresh_from_db()
    assert not item.discussed
    response = client.post(url("agenda_item", check_in, item.pk), {"action": "delete"})
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_talking_point_of_another_conversation_is_not_found(login, cast, check_in):
    other = make_conversation(cast.alice, kind=Kind.QUARTERLY)
    item = add_agenda_item(other, cast.alice)
    response = login(cast.alice).post(url("agenda_item", check_in, item.pk), {"action": "delete"})
    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_agenda_lists_the_employees_goals_needing_attention(cast, client, check_in):
    stale = make_goal(cast.alice, title="Migrate the billing service")
    Objective.objects.filter(pk=stale.pk).update(last_activity_at=days_ago(70))
    make_goal(cast.alice, title="A goal that is fine")
    for person in (cast.alice, cast.bob):
        client.force_login(person)
        html = client.get(check_in.get_absolute_url()).text
        assert "Goals needing attention" in html
        assert "Migrate the billing service" in html
        assert "not updated for 10 weeks" in html
        assert "A goal that is fine" not in html


def test_a_quarterly_review_lists_the_goals_with_their_progress(login, cast):
    review = make_conversation(cast.alice, kind=Kind.QUARTERLY)
    make_goal(cast.alice, title="Halve the build time", key_results=[(0, 10, 4)])
    html = login(cast.bob).get(review.get_absolute_url()).text
    assert "Goals this quarter" in html
    assert "Halve the build time" in html
    assert "40 %" in html


def test_the_guide_shows_the_templates_prompts(login, cast, check_in):
    html = login(cast.bob).get(check_in.get_absolute_url()).text
    for section in sections_of(check_in):
        assert section.title in html
        for prompt in section.prompts:
            assert prompt in html


# --- GROW ----------------------------------------------------------------------------------------


def test_the_grow_panel_is_for_the_manager_only(cast, client, check_in):
    questions = [str(q) for _step, qs in GROW for q in qs]
    client.force_login(cast.bob)
    html = client.get(check_in.get_absolute_url()).text
    assert "Coaching questions (GROW)" in html
    assert all(q.replace("'", "&#x27;") in html for q in questions)
    client.force_login(cast.alice)
    pages = [
        client.get(check_in.get_absolute_url()),
        client.get(url("prepare", check_in)),
        client.post(url("agenda_add", check_in), {"text": "x"}, headers=HTMX),
        client.post(url("note_add", check_in), {"text": "x"}, headers=HTMX),
    ]
    for page in pages:
        assert "GROW" not in page.text
        assert "coaching" not in page.text.lower()
        for question in questions:
            assert question.replace("'", "&#x27;") not in page.text


# --- Shared notes -------------------------------------------------------------------------------


def test_both_write_shared_notes_and_only_the_author_deletes(cast, client, check_in):
    client.force_login(cast.bob)
    response = client.post(
        url("note_add", check_in), {"text": "Agreed: Alice leads the migration."}
    )
    assert response["Location"] == check_in.get_absolute_url() + "#notes"
    note = Note.objects.get()
    assert (note.author, note.is_remark) == (cast.bob, False)
    client.force_login(cast.alice)
    assert "Agreed: Alice leads the migration." in client.get(check_in.get_absolute_url()).text
    assert client.post(url("note_delete", check_in, note.pk)).status_code == 403
    client.force_login(cast.bob)
    response = client.post(url("note_delete", check_in, note.pk), headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert not Note.objects.exists()


def test_a_note_with_htmx_swaps_the_notes_and_errors_stay_in_place(login, cast, check_in):
    client = login(cast.alice)
    response = client.post(url("note_add", check_in), {"text": "Good talk"}, headers=HTMX)
    assert response.status_code == 200
    assert 'id="notes-body"' in response.text and "Good talk" in response.text
    empty = client.post(url("note_add", check_in), {"text": ""}, headers=HTMX)
    assert empty.status_code == 400 and "Write the note first." in empty.text
    too_long = client.post(url("note_add", check_in), {"text": "x" * 5001}, headers=HTMX)
    assert too_long.status_code == 400
    assert Note.objects.count() == 1


# --- Action items -------------------------------------------------------------------------------


def test_an_action_item_is_owned_by_one_of_the_two(cast, client, check_in):
    client.force_login(cast.bob)
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(
        url("action_add", check_in),
        {"text": "Book the training", "who": cast.bob.pk, "due_date": due},
    )
    assert response["Location"] == check_in.get_absolute_url() + "#actions"
    item = ActionItem.objects.get()
    assert (item.owner, item.created_by, item.conversation) == (cast.bob, cast.bob, check_in)
    assert (item.employee, item.manager) == (cast.alice, cast.bob)
    assert item.due_date.isoformat() == due
    for who in (cast.dave.pk, cast.carol.pk, "x", "99999999999999999999"):
        response = client.post(
            url("action_add", check_in), {"text": "Sneaky", "who": who}, headers=HTMX
        )
        assert response.status_code == 400, who
    for bad_date in ("2026-02-30", "tomorrow", "9999-12-31", "0001-01-01"):
        response = client.post(
            url("action_add", check_in),
            {"text": "Dated", "who": cast.alice.pk, "due_date": bad_date},
            headers=HTMX,
        )
        assert response.status_code == 400, bad_date
        assert "<html" not in response.text and 'id="actions-body"' in response.text
    assert ActionItem.objects.count() == 1


def test_either_ticks_an_action_item_off_and_on_again(cast, client, check_in):
    item = add_action(check_in, cast.alice, "Write the RFC")
    client.force_login(cast.bob)
    response = client.post(reverse("conversations:action_toggle", args=[item.pk]))
    assert response["Location"] == check_in.get_absolute_url() + "#actions"
    item.refresh_from_db()
    assert item.is_done and item.done_by == cast.bob
    client.force_login(cast.alice)
    response = client.post(reverse("conversations:action_toggle", args=[item.pk]), headers=HTMX)
    assert response.status_code == 200
    assert response.text.strip().startswith("<li") and "Write the RFC" in response.text
    item.refresh_from_db()
    assert not item.is_done and item.done_by is None
    for person in (cast.carol, cast.erin, cast.frank, cast.dave):
        client.force_login(person)
        assert (
            client.post(reverse("conversations:action_toggle", args=[item.pk])).status_code == 404
        )


def test_open_action_items_carry_over_to_the_next_conversation_until_done(cast, client):
    earlier = held(make_conversation(cast.alice, due=timezone.localdate() - timedelta(days=30)))
    carried = add_action(earlier, cast.alice, "Shadow the on-call rotation")
    add_action(earlier, cast.bob, "Already finished", done=True)
    following = make_conversation(cast.alice)
    add_action(following, cast.bob, "Ask finance about the budget")
    client.force_login(cast.bob)
    html = client.get(following.get_absolute_url()).text
    assert "Open action items" in html
    # Each once (this conversation's is not carried over onto its own page).
    assert html.count('cv-action-text">Shadow the on-call rotation<') == 1
    assert html.count('cv-action-text">Ask finance about the budget<') == 1
    assert "Already finished" not in html
    # Ticked off on the later page, the click comes back to that page.
    response = client.post(
        reverse("conversations:action_toggle", args=[carried.pk]), {"origin": following.pk}
    )
    assert response["Location"] == following.get_absolute_url() + "#actions"
    assert "Shadow the on-call rotation" not in client.get(following.get_absolute_url()).text
    # The earlier record still shows it, done.
    assert "Shadow the on-call rotation" in client.get(earlier.get_absolute_url()).text


def test_another_pairs_actions_do_not_carry_over(cast, client):
    dave_conversation = make_conversation(cast.dave, manager=cast.carol)
    add_action(dave_conversation, cast.dave, "Dave's own action")
    check_in = make_conversation(cast.alice)
    client.force_login(cast.alice)
    assert "Dave&#x27;s own action" not in client.get(check_in.get_absolute_url()).text


# --- The meeting time --------------------------------------------------------------------------


def test_the_meeting_time_is_read_in_the_viewers_time_zone(cast, client, check_in):
    cast.bob.time_zone = "America/New_York"
    cast.bob.save()
    client.force_login(cast.bob)
    page = client.get(url("reschedule", check_in))
    assert page.status_code == 200
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(url("reschedule", check_in), {"day": day, "time": "09:30"})
    assert response.status_code == 302
    check_in.refresh_from_db()
    local = check_in.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.date().isoformat(), local.hour, local.minute) == (day, 9, 30)
    response = client.post(url("reschedule", check_in), {"clear": "1", "day": day})
    check_in.refresh_from_db()
    assert check_in.starts_at is None


def test_a_bad_meeting_time_comes_back_with_an_error(login, cast, check_in):
    client = login(cast.alice)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    for data in (
        {"day": day},
        {"time": "10:00"},
        {"day": "2026-02-30", "time": "10:00"},
        {"day": "9999-12-31", "time": "23:59"},
        {"day": day, "time": "25:00"},
    ):
        response = client.post(url("reschedule", check_in), data)
        assert response.status_code == 400, data
        assert 'class="error"' in response.text
    check_in.refresh_from_db()
    assert check_in.starts_at is None


def test_a_one_on_ones_day_moves_with_its_meeting(login, cast):
    one_on_one = make_conversation(cast.alice, kind=Kind.ONE_ON_ONE)
    day = timezone.localdate() + timedelta(days=9)
    login(cast.alice).post(url("reschedule", one_on_one), {"day": day.isoformat(), "time": "12:00"})
    one_on_one.refresh_from_db()
    assert one_on_one.due_date == day


# --- A fixed number of queries -----------------------------------------------------------------


def filled(cast, kind, n):
    """Alice's open conversation of a kind with n of everything: talking points, notes, private
    notes, actions (its own and carried over from an earlier conversation), and goals of hers,
    half of them stale."""
    past = timezone.localdate() - timedelta(days=40)
    earlier = held(make_conversation(cast.alice, due=past, kind=kind))
    conversation = make_conversation(cast.alice, kind=kind)
    for i in range(n):
        author = cast.alice if i % 2 else cast.bob
        add_agenda_item(conversation, author, f"Point {i}")
        add_note(conversation, author, f"Note {i}")
        add_private_note(conversation, cast.alice, f"Alice private {i}")
        add_private_note(conversation, cast.bob, f"Bob private {i}")
        add_action(conversation, author, f"Action {i}", due=date.today() + timedelta(days=i))
        add_action(earlier, author, f"Carried {i}")
        goal = make_goal(cast.alice, title=f"Goal {i}", key_results=[(0, 10, i % 10)])
        if i % 2:
            Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(90))
    Conversation.objects.filter(pk=conversation.pk).update(
        preparation=[{"prompt": "Where are you?", "answer": "Fine"}],
        prepared_at=timezone.now(),
    )
    return conversation


def queries_for(client, conversation):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(conversation.get_absolute_url())
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", [Kind.CHECK_IN, Kind.QUARTERLY])
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_page_does_a_fixed_number_of_queries(
    cast, client, who, kind, django_assert_max_num_queries
):
    from plans.models import Plan, PlanAction

    small = filled(cast, kind, 2)
    plan = Plan.objects.create(person=cast.alice, focus=["communication"])
    client.force_login(getattr(cast, who))
    queries_for(client, small)  # what a process keeps is read (the current competencies)
    few = queries_for(client, small)
    # The same pair, more of everything.
    held(small)
    big = filled(cast, kind, 20)
    for i in range(25):
        PlanAction.objects.create(plan=plan, kind="course", title=f"Course {i}")
    many = queries_for(client, big)
    assert few == many
    # 13: the session, the viewer and their HR role, the conversation, the navigation's
    # counts; the agenda's goals and their key results, the pair's action items (this
    # conversation's and those carried over, `conversations.agenda.pair_actions`), the plan
    # with its open actions (`plans.agenda`); who can see it (the people named and HR, for
    # both actions at once); the talking points with the notes (one query), the private
    # notes. One more writes the access log when the manager reads the employee's
    # conversation.
    with django_assert_max_num_queries(14 if who == "bob" else 13):
        response = client.get(big.get_absolute_url())
    assert "Point 19" in response.text and "Carried 19" in response.text
    if kind == Kind.CHECK_IN:
        assert "Course 19" in response.text


def test_a_closed_conversation_shows_no_automatic_agenda(login, cast, check_in):
    stale = make_goal(cast.alice, title="Stale goal")
    Objective.objects.filter(pk=stale.pk).update(last_activity_at=days_ago(70))
    held(check_in)
    html = login(cast.bob).get(check_in.get_absolute_url()).text
    assert "Stale goal" not in html
    assert Conversation.objects.get(pk=check_in.pk).status == Status.HELD


def test_hrs_frozen_prompts_guide_the_conversation_and_its_preparation(login, cast):
    conversation = make_conversation(
        cast.alice,
        prompts=[{"title": "Energy", "prompts": ["What gave you energy?", "What drained it?"]}],
    )
    client = login(cast.alice)
    assert "What drained it?" in client.get(url("prepare", conversation)).text
    client.post(url("prepare", conversation), {"answer_1": "Meetings"})
    conversation.refresh_from_db()
    assert conversation.preparation == [
        {"prompt": "What gave you energy?", "answer": ""},
        {"prompt": "What drained it?", "answer": "Meetings"},
    ]
    html = login(cast.bob).get(conversation.get_absolute_url()).text
    assert "Energy" in html and "Meetings" in html


def test_answers_written_in_another_language_are_kept(login, cast, check_in):
    """Our default prompts follow the reader's language: answers given under the Dutch text
    still line up by position, and answers that match nothing are shown, not dropped."""
    prompts = [p for s in sections_of(check_in) for p in s.prompts]
    check_in.preparation = [
        {"prompt": f"Vraag {i}", "answer": f"Antwoord {i}"} for i in range(len(prompts))
    ]
    check_in.prepared_at = timezone.now()
    check_in.save()
    form = login(cast.alice).get(url("prepare", check_in)).text
    assert f"Antwoord {len(prompts) - 1}</textarea>" in form
    check_in.preparation = [{"prompt": "Een oude vraag", "answer": "Oud antwoord"}]
    check_in.save()
    html = login(cast.bob).get(check_in.get_absolute_url()).text
    assert "Other answers" in html and "Oud antwoord" in html


def test_the_agenda_is_read_afresh_for_each_viewer(cast, client):
    """The agenda's SQL is kept per viewer state and day (`cadence.waiting.kept_rows`), never
    its rows: what changed shows on the next page, and each of the two sees only what they may
    (Alice's private goal is hers and her manager's, not her skip-level's, who holds this one)."""
    from goals.models import Visibility

    earlier = held(make_conversation(cast.alice, manager=cast.carol, kind=Kind.ONE_ON_ONE))
    carried = add_action(earlier, cast.carol, "Carried A")
    conversation = make_conversation(cast.alice, manager=cast.carol, kind=Kind.ONE_ON_ONE)
    add_action(conversation, cast.alice, "Here A")
    private = make_goal(cast.alice, title="Private goal", visibility=Visibility.PRIVATE)
    public = make_goal(cast.alice, title="Public goal")
    Objective.objects.filter(pk__in=[private.pk, public.pk]).update(last_activity_at=days_ago(90))

    def page(person) -> str:
        client.force_login(person)
        response = client.get(conversation.get_absolute_url())
        assert response.status_code == 200
        return text_of(response)

    for _ in range(2):  # the second time from the kept SQL
        alice, carol = page(cast.alice), page(cast.carol)
        assert "Private goal" in alice and "Public goal" in alice
        assert "Private goal" not in carol and "Public goal" in carol
        assert "Carried A" in alice and "Here A" in carol
    add_action(earlier, cast.alice, "Carried B")
    add_action(conversation, cast.carol, "Here B")
    ActionItem.objects.filter(pk=carried.pk).update(done_at=timezone.now())
    Objective.objects.filter(pk=public.pk).update(last_activity_at=timezone.now())
    for person in (cast.carol, cast.alice):
        text = page(person)
        assert "Carried B" in text and "Here B" in text and "Here A" in text
        assert "Carried A" not in text and "Public goal" not in text
