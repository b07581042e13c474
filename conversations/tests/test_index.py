"""My conversations: coming up (overdue first), past ones, my open actions, and the links."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation, Kind, Status
from conversations.tests.factories import (
    add_action,
    add_note,
    add_private_note,
    held,
    make_conversation,
)

INDEX = reverse("conversations:index")


def test_coming_up_lists_mine_overdue_first_with_a_prepare_link(login, cast):
    today = cast.alice.local_today()
    later = make_conversation(cast.alice, due=today + timedelta(days=20), title="Later one")
    soon = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today + timedelta(days=2))
    late = make_conversation(cast.alice, kind=Kind.DEVELOPMENT, due=today - timedelta(days=5))
    soon.prepared_at = timezone.now()
    soon.save()
    response = login(cast.alice).get(INDEX)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.conversation.pk for row in rows] == [late.pk, soon.pk, later.pk]
    assert rows[0].overdue and rows[0].overdue_days == 5
    assert not rows[1].overdue
    html = response.content.decode()
    assert html.count("conv-item is-overdue") == 1
    assert "overdue by 5 days" in html
    # Prepare: for mine that are not prepared yet.
    assert reverse("conversations:prepare", args=[later.pk]) in html
    assert reverse("conversations:prepare", args=[late.pk]) in html
    assert reverse("conversations:prepare", args=[soon.pk]) not in html
    assert "Later one" in html


def test_the_manager_sees_their_reports_conversations_without_a_prepare_link(login, cast):
    conversation = make_conversation(cast.alice)
    response = login(cast.bob).get(INDEX)
    html = response.content.decode()
    assert conversation.get_absolute_url() in html
    assert reverse("conversations:prepare", args=[conversation.pk]) not in html
    assert "Alice Employee" in html
    conversation.prepared_at = timezone.now()
    conversation.save()
    assert "Alice prepared" in login(cast.bob).get(INDEX).content.decode()


def test_others_conversations_are_not_listed(login, cast):
    mine = make_conversation(cast.alice, title="Alice and Bob")
    held(make_conversation(cast.alice, kind=Kind.QUARTERLY, title="Held review"))
    for person in (cast.carol, cast.dave, cast.erin, cast.frank):
        html = login(person).get(INDEX).content.decode()
        assert "Alice and Bob" not in html and "Held review" not in html
        assert mine.get_absolute_url() not in html


def test_past_lists_held_and_skipped_recent_first_and_pages(login, cast):
    today = cast.alice.local_today()
    for months in range(1, 21):
        conversation = make_conversation(
            cast.alice, kind=Kind.ONE_ON_ONE, due=today - timedelta(days=30 * months)
        )
        held(conversation, on=conversation.due_date + timedelta(days=1))
    skipped = make_conversation(cast.alice, due=today - timedelta(days=3), title="Skipped one")
    skipped.status = Status.SKIPPED
    skipped.save()
    make_conversation(
        cast.alice, kind=Kind.QUARTERLY, due=today - timedelta(days=2), status=Status.CANCELLED
    )
    response = login(cast.alice).get(INDEX)
    page = response.context["page"]
    assert page.paginator.count == 21  # cancelled ones are not part of the record
    assert page.object_list[0].pk == skipped.pk
    dates = [c.on for c in page.object_list]
    assert dates == sorted(dates, reverse=True)
    assert "Skipped one" in response.content.decode()
    second = login(cast.alice).get(INDEX, {"page": 2})
    assert len(second.context["page"].object_list) == 6
    assert login(cast.alice).get(INDEX, {"page": "99999999999999999999999"}).status_code == 200


def test_my_open_actions_with_their_conversation(login, cast):
    conversation = make_conversation(cast.alice)
    today = cast.alice.local_today()
    add_action(conversation, cast.alice, "Write the proposal", due=today - timedelta(days=1))
    add_action(conversation, cast.alice, "Already done", done=True)
    add_action(conversation, cast.bob, "Bob's own action")
    response = login(cast.alice).get(INDEX)
    html = response.content.decode()
    assert [a.text for a in response.context["actions"]] == ["Write the proposal"]
    assert "Already done" not in html and "Bob&#x27;s own action" not in html
    assert conversation.get_absolute_url() in html
    assert response.context["actions"][0].overdue
    bob = login(cast.bob).get(INDEX)
    assert [a.text for a in bob.context["actions"]] == ["Bob's own action"]


def test_content_is_never_shown_on_the_list(login, cast):
    conversation = make_conversation(cast.alice)
    add_note(conversation, cast.bob, "Shared words")
    add_private_note(conversation, cast.bob, "Private words")
    for person in (cast.alice, cast.bob):
        html = login(person).get(INDEX).content.decode()
        assert "Shared words" not in html and "Private words" not in html


def test_links_follow_what_the_viewer_may_do(login, cast):
    def links(person):
        return login(person).get(INDEX).content.decode()

    alice = links(cast.alice)
    assert reverse("conversations:create") in alice
    assert reverse("my_team") not in alice
    assert reverse("conversations:adherence") not in alice
    assert reverse("conversations:templates") not in alice
    assert reverse("conversations:pair_rhythm", args=[cast.alice.pk]) in alice  # her rhythm
    bob = links(cast.bob)
    assert reverse("my_team") in bob and reverse("conversations:adherence") in bob
    assert reverse("conversations:rhythms") in bob
    assert reverse("conversations:templates") not in bob
    erin = links(cast.erin)
    assert reverse("conversations:templates") in erin
    assert reverse("conversations:adherence") in erin
    assert reverse("my_team") not in erin


def test_nothing_planned_says_so(login, cast):
    html = login(cast.dave).get(INDEX).content.decode()
    assert "Nothing planned right now." in html
    assert "No conversations held yet." in html


def test_the_query_count_does_not_grow_with_history(login, cast, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client = login(cast.bob)
        client.get(INDEX)  # what a process keeps (the rhythm rules) read, as after its first
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    make_conversation(cast.alice)
    held(make_conversation(cast.alice, kind=Kind.ONE_ON_ONE))  # a page of past ones to show
    few = count()
    today = cast.alice.local_today()
    for kind in (Kind.QUARTERLY, Kind.DEVELOPMENT):
        open_one = make_conversation(cast.alice, kind=kind, due=today + timedelta(days=3))
        add_action(open_one, cast.bob, "An action")
    make_conversation(cast.bob, kind=Kind.CHECK_IN, due=today - timedelta(days=2))
    for i in range(40):
        past = make_conversation(
            cast.alice, kind=Kind.ONE_ON_ONE, due=today - timedelta(days=10 + i)
        )
        held(past)
        add_action(past, cast.bob, f"Action {i}")
    assert count() == few
    client = login(cast.bob)
    with django_assert_max_num_queries(11):  # 11: with the navigation's counts (one query)
        client.get(INDEX)
    assert Conversation.objects.count() > 40
