"""My team: every report's last and next conversation per kind, overdue ones first (in the
report's own calendar), unprepared agendas, open actions, adherence; one click to act."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations import views_lists
from conversations.models import Conversation, Kind, Reminder, RhythmRule, Status
from conversations.scheduling import schedule
from conversations.tests.factories import (
    add_action,
    add_note,
    add_private_note,
    held,
    make_conversation,
)
from feedback.tests.factories import add_participant, invite, make_cycle, make_request
from goals.models import Objective
from goals.tests.factories import days_ago, make_goal
from people.models import Person
from people.tests.factories import add_people

MY_TEAM = reverse("my_team")


def rows_of(response):
    return {row.person.pk: row for row in response.context["rows"]}


def cell(row, kind):
    return next(c for c in row.cells if c.kind == kind)


def test_only_people_with_current_reports_may_open_it(login, cast, client):
    assert login(cast.bob).get(MY_TEAM).status_code == 200
    assert login(cast.carol).get(MY_TEAM).status_code == 200  # Bob reports to her
    for person in (cast.alice, cast.dave, cast.erin, cast.frank):
        assert login(person).get(MY_TEAM).status_code == 403
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    assert login(cast.bob).get(MY_TEAM).status_code == 403  # his only report has left
    client.logout()
    assert client.get(MY_TEAM).status_code == 302


def test_each_kind_shows_the_next_open_one_and_the_last_held(login, cast):
    today = cast.alice.local_today()
    last = held(make_conversation(cast.alice, due=today - timedelta(days=40)))
    nxt = make_conversation(cast.alice, due=today + timedelta(days=12))
    review = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today - timedelta(days=9))
    response = login(cast.bob).get(MY_TEAM)
    alice = rows_of(response)[cast.alice.pk]
    check_in = cell(alice, Kind.CHECK_IN)
    assert check_in.next.pk == nxt.pk and check_in.last_held == last.held_on
    assert not check_in.overdue and not check_in.unprepared  # 12 days away
    quarterly = cell(alice, Kind.QUARTERLY)
    assert quarterly.overdue_days == 9 and quarterly.unprepared
    html = response.content.decode()
    assert nxt.get_absolute_url() in html and review.get_absolute_url() in html
    assert "overdue by 9 days" in html
    assert 'class="has-overdue"' in html
    assert "cell is-overdue" in html


def test_no_open_conversation_offers_to_schedule_it_in_one_click(login, cast):
    client = login(cast.bob)
    response = client.get(MY_TEAM)
    url = reverse("conversations:open_next", args=[cast.alice.pk, "check_in"])
    assert cell(rows_of(response)[cast.alice.pk], Kind.CHECK_IN).schedule_url == url
    assert url in response.content.decode()
    followed = client.get(url)
    conversation = Conversation.objects.get(employee=cast.alice, kind=Kind.CHECK_IN)
    assert followed.status_code == 302
    assert followed["Location"] == conversation.get_absolute_url()
    assert conversation.manager == cast.bob and conversation.status == Status.SCHEDULED
    # Once it exists, the same click opens it (no second one).
    assert client.get(url)["Location"] == conversation.get_absolute_url()
    assert Conversation.objects.filter(employee=cast.alice, kind=Kind.CHECK_IN).count() == 1


def test_open_next_is_for_the_pair_only(login, cast):
    url = reverse("conversations:open_next", args=[cast.alice.pk, "quarterly"])
    assert login(cast.alice).get(url).status_code == 302  # the employee herself
    for person in (cast.carol, cast.dave, cast.erin, cast.frank):
        assert login(person).get(url).status_code == 404
    client = login(cast.bob)
    for bad in (
        reverse("conversations:open_next", args=[cast.alice.pk, "one_on_one"]),
        reverse("conversations:open_next", args=[cast.alice.pk, "nonsense"]),
        reverse("conversations:open_next", args=[2**80, "check_in"]),
        reverse("conversations:open_next", args=[cast.dave.pk, "check_in"]),
    ):
        assert client.get(bad).status_code == 404
    assert client.post(url).status_code == 405


def test_a_kind_turned_off_shows_off_and_open_next_goes_back_with_a_message(login, cast):
    RhythmRule.objects.create(kind=Kind.DEVELOPMENT, interval_months=0, employee=cast.alice)
    client = login(cast.bob)
    response = client.get(MY_TEAM)
    development = cell(rows_of(response)[cast.alice.pk], Kind.DEVELOPMENT)
    assert development.off and not development.schedule_url
    url = reverse("conversations:open_next", args=[cast.alice.pk, "development"])
    followed = client.get(url, follow=True)
    assert followed.redirect_chain[0] == (MY_TEAM, 302)
    assert "turned off for Alice Employee" in followed.content.decode()
    assert not Conversation.objects.filter(kind=Kind.DEVELOPMENT).exists()


def test_prepared_and_unprepared_agendas(login, cast):
    report = add_people(1, manager=cast.bob, team=cast.platform, prefix="zed")[0]
    today = cast.alice.local_today()
    make_conversation(cast.alice, due=today + timedelta(days=3))
    prepared = make_conversation(report, due=today + timedelta(days=3))
    prepared.prepared_at = timezone.now()
    prepared.save()
    response = login(cast.bob).get(MY_TEAM)
    rows = rows_of(response)
    assert cell(rows[cast.alice.pk], Kind.CHECK_IN).unprepared
    assert not cell(rows[report.pk], Kind.CHECK_IN).unprepared
    assert response.context["unprepared"] == 1
    html = response.content.decode()
    assert html.count("not prepared yet</span>") == 1
    assert "badge ok" in html


def test_open_action_items_are_counted_per_pair(login, cast):
    conversation = make_conversation(cast.alice)
    add_action(conversation, cast.alice, "One")
    add_action(conversation, cast.bob, "Two")
    add_action(conversation, cast.bob, "Done", done=True)
    response = login(cast.bob).get(MY_TEAM)
    assert rows_of(response)[cast.alice.pk].open_actions == 2
    assert response.context["open_actions"] == 2


def test_adherence_per_report_and_for_the_team(login, cast):
    today = cast.bob.local_today()
    report = add_people(1, manager=cast.bob, team=cast.platform, prefix="zed")[0]
    on_time = make_conversation(cast.alice, due=today - timedelta(days=60))
    held(on_time, on=on_time.due_date + timedelta(days=2))
    late = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today - timedelta(days=90))
    held(late, on=late.due_date + timedelta(days=30))
    skipped = make_conversation(report, due=today - timedelta(days=30), status=Status.SKIPPED)
    assert skipped.pk
    # With another manager: not this pair's, not counted here.
    held(make_conversation(cast.alice, manager=cast.carol, due=today - timedelta(days=20)))
    response = login(cast.bob).get(MY_TEAM)
    rows = rows_of(response)
    assert (rows[cast.alice.pk].adherence.on_time, rows[cast.alice.pk].adherence.counted) == (1, 2)
    assert (rows[report.pk].adherence.on_time, rows[report.pk].adherence.counted) == (0, 1)
    team = response.context["team_adherence"]
    assert (team.on_time, team.counted, team.percent) == (1, 3, 33)
    html = response.content.decode()
    assert "1 of 2 on time" in html and "33%" in html
    assert "held within their due window" in html


def test_most_overdue_first_then_by_name(login, cast):
    people = add_people(4, manager=cast.bob, team=cast.platform, prefix="member")
    today = cast.alice.local_today()
    make_conversation(people[2], due=today - timedelta(days=3))
    make_conversation(people[3], kind=Kind.QUARTERLY, due=today - timedelta(days=30))
    make_conversation(people[0], due=today + timedelta(days=1))
    response = login(cast.bob).get(MY_TEAM)
    order = [row.person.pk for row in response.context["rows"]]
    assert order == [people[3].pk, people[2].pk, cast.alice.pk, people[0].pk, people[1].pk]


def test_overdue_is_decided_in_each_reports_own_calendar(login, cast):
    """Due dates relative to each report's local date: overdue by a day in Auckland, due
    today in Honolulu."""
    auckland, honolulu = add_people(2, manager=cast.bob, team=cast.platform, prefix="tz")
    Person.objects.filter(pk=auckland.pk).update(time_zone="Pacific/Auckland")
    Person.objects.filter(pk=honolulu.pk).update(time_zone="Pacific/Honolulu")
    auckland.refresh_from_db()
    honolulu.refresh_from_db()
    make_conversation(auckland, due=auckland.local_today() - timedelta(days=1))
    make_conversation(honolulu, due=honolulu.local_today())
    rows = rows_of(login(cast.bob).get(MY_TEAM))
    assert cell(rows[auckland.pk], Kind.CHECK_IN).overdue_days == 1
    assert not cell(rows[honolulu.pk], Kind.CHECK_IN).overdue
    assert cell(rows[honolulu.pk], Kind.CHECK_IN).due_in == 0


def test_the_same_due_date_is_overdue_in_auckland_but_not_in_honolulu(login, cast, monkeypatch):
    """At 12:00 UTC on 15 January it is already the 16th in Auckland, still the 15th in
    Honolulu: a check-in due on the 15th is overdue for one report only."""
    fixed = datetime(2025, 1, 15, 12, tzinfo=UTC)
    monkeypatch.setattr(
        views_lists, "timezone", SimpleNamespace(now=lambda: fixed, localdate=timezone.localdate)
    )
    auckland, honolulu = add_people(2, manager=cast.bob, team=cast.platform, prefix="tz")
    Person.objects.filter(pk=auckland.pk).update(time_zone="Pacific/Auckland")
    Person.objects.filter(pk=honolulu.pk).update(time_zone="Pacific/Honolulu")
    due = fixed.date()
    make_conversation(auckland, due=due)
    make_conversation(honolulu, due=due)
    rows = rows_of(login(cast.bob).get(MY_TEAM))
    assert cell(rows[auckland.pk], Kind.CHECK_IN).overdue_days == 1
    assert cell(rows[honolulu.pk], Kind.CHECK_IN).overdue_days == 0


def test_what_was_said_is_never_on_the_page(login, cast):
    conversation = make_conversation(cast.alice)
    add_note(conversation, cast.alice, "Shared words")
    add_private_note(conversation, cast.alice, "Alice's private words")
    add_private_note(conversation, cast.bob, "Bob's private words")
    html = login(cast.bob).get(MY_TEAM).content.decode()
    for text in ("Shared words", "private words"):
        assert text not in html


def test_carol_sees_her_direct_report_only(login, cast):
    make_conversation(cast.alice)
    rows = rows_of(login(cast.carol).get(MY_TEAM))
    assert set(rows) == {cast.bob.pk}


def _history(reports, manager, years=3):
    """Years of monthly check-ins (held, some late, some skipped), quarterly reviews, notes and
    actions for each report, plus the open ones."""
    today = manager.local_today()
    conversations = []
    for index, person in enumerate(reports):
        for month in range(1, years * 12):
            due = today - timedelta(days=30 * month)
            status = Status.SKIPPED if (month + index) % 7 == 0 else Status.HELD
            conversations.append(
                Conversation(
                    employee=person,
                    manager=manager,
                    kind=Kind.QUARTERLY if month % 3 == 0 else Kind.CHECK_IN,
                    due_date=due,
                    status=status,
                    held_on=due + timedelta(days=month % 10) if status == Status.HELD else None,
                )
            )
    Conversation.objects.bulk_create(conversations)
    schedule([p.pk for p in reports])
    for conversation in Conversation.objects.filter(employee__in=reports).open():
        add_action(conversation, manager, "Follow up")
        add_note(conversation, manager, "Notes")


def _beside(reports, manager, cycle):
    """What My team shows beside the conversations, for each report: a stale goal, feedback
    asked both ways, a 360 participation with nominations and the manager's own review."""
    for person in reports:
        goal = make_goal(person, title=f"Goal of {person.name}", key_results=[(0, 10, 2)])
        Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(60))
        make_request(person, [manager], topic="My demo")
        make_request(manager, [person], topic="Our planning")
        participant = add_participant(cycle, person)
        invite(participant, manager, group="manager")


def test_the_query_count_does_not_grow_with_the_team(login, cast, django_assert_max_num_queries):
    def count():
        client = login(cast.bob)
        client.get(MY_TEAM)  # what a process keeps (the rhythm rules) read, as after its first
        with CaptureQueriesContext(connection) as queries:
            response = client.get(MY_TEAM)
        assert response.status_code == 200
        return len(queries), len(response.context["rows"])

    extra = add_people(1, manager=cast.bob, team=cast.platform, prefix="first")
    _history([cast.alice, *extra], cast.bob, years=1)
    _beside([cast.alice, *extra], cast.bob, make_cycle(status="nominating"))
    small, rows = count()
    assert rows == 2
    more = add_people(10, manager=cast.bob, team=cast.platform, prefix="more")
    _history(more, cast.bob, years=3)
    _beside(more, cast.bob, make_cycle(name="Autumn 360", status="reviewing"))
    large, rows = count()
    assert rows == 12
    assert large == small
    client = login(cast.bob)
    # 8 as before (the conversations, the navigation; whether the viewer manages anyone is
    # known from the reports; the HR role comes with the person), 1 for the viewer's team (the
    # goals rules), 3 beside them (goals, feedback asks, 360 participants; the goal settings
    # are kept), 1 for the access log: within the benchmark's 15 for a personal page. The
    # rhythm rules are kept (12 after the first request).
    with django_assert_max_num_queries(13):
        client.get(MY_TEAM)
    with django_assert_max_num_queries(12):
        client.get(MY_TEAM)


def test_a_team_of_thirty_with_everything_beside_needs_few_queries(
    login, cast, django_assert_max_num_queries
):
    reports = [cast.alice, *add_people(29, manager=cast.bob, team=cast.platform, prefix="big")]
    _history(reports, cast.bob, years=1)
    _beside(reports[:15], cast.bob, make_cycle(status="nominating"))
    _beside(reports[15:], cast.bob, make_cycle(name="Autumn 360", status="reviewing"))
    client = login(cast.bob)
    with django_assert_max_num_queries(14):  # the access log's insert included
        response = client.get(MY_TEAM)
    rows = response.context["rows"]
    assert len(rows) == 30
    assert all(row.attention.count == 1 for row in rows)
    assert all(len(row.asks.to_me) == 1 and row.asks.from_me == 1 for row in rows)
    assert all(row.review is not None for row in rows)


# --- Beside the conversations: goals, feedback, 360, reminders ----------------------------------


def test_it_shows_goals_needing_attention_with_a_link_and_a_reminder(login, cast):
    goal = make_goal(cast.alice, title="Ship it", key_results=[(0, 10, 2)])
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(60))
    make_goal(cast.alice, title="Fine goal", key_results=[(0, 10, 2)])
    response = login(cast.bob).get(MY_TEAM)
    alice = rows_of(response)[cast.alice.pk]
    assert (alice.attention.count, alice.attention.stale) == (1, 1)
    html = response.content.decode()
    assert "1 goal needs attention" in html
    assert f"{reverse('goals:team')}?owner=Alice%20Employee" in html
    assert [n.kind for n in alice.nudges] == ["goals"]
    assert "Remind Alice to update goals" in html
    assert response.context["goals_attention"] == 1


def test_a_private_goal_the_manager_may_not_see_is_not_counted(login, cast):
    goal = make_goal(cast.alice, visibility="private", key_results=[(0, 10, 2)])
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(60))
    # A private goal is the owner's and their manager's: Bob counts it, Carol (above) not.
    assert rows_of(login(cast.bob).get(MY_TEAM))[cast.alice.pk].attention.count == 1
    carol_rows = rows_of(login(cast.carol).get(MY_TEAM))
    assert cast.alice.pk not in carol_rows  # not her report


def test_only_the_requests_between_the_manager_and_the_report_show(login, cast):
    asked_bob = make_request(cast.alice, [cast.bob], topic="My demo")
    make_request(cast.bob, [cast.alice], topic="Our planning")
    make_request(cast.alice, [cast.dave], topic="Private to Dave")  # not Bob's to know
    make_request(cast.dave, [cast.alice], topic="Dave asks Alice")
    response = login(cast.bob).get(MY_TEAM)
    alice = rows_of(response)[cast.alice.pk]
    assert [ask.request_id for ask in alice.asks.to_me] == [asked_bob.pk]
    assert alice.asks.from_me == 1
    html = response.content.decode()
    assert "Asked you for feedback" in html
    assert reverse("feedback:ask_answer", args=[asked_bob.asks.get().pk]) in html
    assert "Your feedback request is open" in html
    assert "Private to Dave" not in html and "Dave asks Alice" not in html


def test_the_360_status_as_the_manager_takes_part_in_it(login, cast):
    nominating = make_cycle(status="nominating")
    participant = add_participant(nominating, cast.alice)
    response = login(cast.bob).get(MY_TEAM)
    alice = rows_of(response)[cast.alice.pk]
    assert alice.review.not_nominated
    assert "360: no reviewers proposed yet" in response.content.decode()
    assert "nominate" in [n.kind for n in alice.nudges]

    participant.nominations_submitted_at = timezone.now()
    participant.save()
    html = login(cast.bob).get(MY_TEAM).content.decode()
    assert reverse("feedback:approve", args=[participant.pk]) in html

    reviewing = make_cycle(name="Autumn 360", status="reviewing", period_end=timezone.localdate())
    nominating.delete()
    participant = add_participant(reviewing, cast.alice)
    mine = invite(participant, cast.bob, group="manager")
    html = login(cast.bob).get(MY_TEAM).content.decode()
    assert "360: your review is waiting" in html
    assert reverse("feedback:answer", args=[mine.pk]) in html

    reviewing.status = "closed"
    reviewing.save()
    response = login(cast.bob).get(MY_TEAM)
    assert "360 report ready to release" in response.content.decode()
    assert reverse("feedback:report", args=[participant.pk]) in response.content.decode()
    assert response.context["to_release"] == 1
    participant.released_at = timezone.now()
    participant.save()
    assert rows_of(login(cast.bob).get(MY_TEAM))[cast.alice.pk].review is None


def test_a_draft_cycle_and_someone_elses_participants_do_not_show(login, cast):
    add_participant(make_cycle(status="draft"), cast.alice)
    add_participant(make_cycle(name="Dave's", status="reviewing"), cast.alice, manager=cast.dave)
    assert rows_of(login(cast.bob).get(MY_TEAM))[cast.alice.pk].review is None


def test_remind_to_prepare_sends_one_e_mail_a_day(login, cast, mailoutbox):
    today = cast.alice.local_today()
    conversation = make_conversation(cast.alice, due=today + timedelta(days=3))
    client = login(cast.bob)
    response = client.get(MY_TEAM)
    alice = rows_of(response)[cast.alice.pk]
    url = reverse("conversations:nudge", args=[cast.alice.pk, "prepare"])
    assert [(n.kind, n.url, n.sent_today) for n in alice.nudges] == [("prepare", url, False)]
    assert "Remind Alice to prepare" in response.content.decode()

    followed = client.post(url, follow=True)
    assert followed.redirect_chain == [(MY_TEAM, 302)]
    assert "Alice will get your reminder by e-mail in a moment." in followed.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.alice.email]
    assert "Bob Manager asks you to prepare" in mail.subject
    assert reverse("conversations:prepare", args=[conversation.pk]) in mail.body
    reminder = Reminder.objects.get(kind=Reminder.Kind.NUDGE_PREPARE)
    assert (reminder.recipient, reminder.conversation) == (cast.alice, conversation)

    # Once a day: the page says it was sent, and a second post sends nothing.
    page = client.get(MY_TEAM)
    assert rows_of(page)[cast.alice.pk].nudges[0].sent_today
    assert "Reminded to prepare today" in page.content.decode()
    assert "Remind Alice to prepare" not in page.content.decode()
    again = client.post(url, follow=True)
    assert "You already reminded Alice of this today" in again.content.decode()
    assert len(mailoutbox) == 1


def test_remind_to_update_goals_and_to_propose_reviewers(login, cast, mailoutbox):
    goal = make_goal(cast.alice, key_results=[(0, 10, 2)])
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(60))
    add_participant(make_cycle(status="nominating"), cast.alice)
    client = login(cast.bob)
    for kind, subject, link in (
        ("goals", "Bob Manager asks you to update your goals", reverse("goals:mine")),
        ("nominate", "Bob Manager asks you to propose your 360 reviewers", "/feedback/reviews/"),
    ):
        url = reverse("conversations:nudge", args=[cast.alice.pk, kind])
        assert client.post(url).status_code == 302
        assert mailoutbox[-1].subject == subject
        assert link in mailoutbox[-1].body
    assert len(mailoutbox) == 2


def test_nothing_to_remind_of_sends_nothing(login, cast, mailoutbox):
    client = login(cast.bob)
    for kind, message in (
        ("prepare", "Alice Employee has nothing to prepare now."),
        ("goals", "None of Alice Employee's goals needs attention."),
        ("nominate", "Alice Employee has no reviewers to propose now."),
    ):
        url = reverse("conversations:nudge", args=[cast.alice.pk, kind])
        followed = client.post(url, follow=True)
        assert followed.redirect_chain == [(MY_TEAM, 302)]
        assert message in followed.content.decode().replace("&#x27;", "'")
    assert not mailoutbox
    assert not Reminder.objects.exists()


def test_only_the_manager_may_remind_and_only_by_post(login, cast, mailoutbox):
    today = cast.alice.local_today()
    make_conversation(cast.alice, due=today + timedelta(days=3))
    url = reverse("conversations:nudge", args=[cast.alice.pk, "prepare"])
    for person in (cast.alice, cast.carol, cast.dave, cast.erin, cast.frank):
        assert login(person).post(url).status_code == 403
    client = login(cast.bob)
    assert client.get(url).status_code == 405
    assert client.post(reverse("conversations:nudge", args=[cast.alice.pk, "x"])).status_code == 404
    assert client.post(reverse("conversations:nudge", args=[2**60, "goals"])).status_code == 404
    assert not mailoutbox


def test_a_goal_ending_soon_with_little_done_is_counted_from_its_stored_progress(login, cast):
    today = timezone.localdate()
    make_goal(
        cast.alice,
        start_date=today - timedelta(days=80),
        end_date=today + timedelta(days=5),
        key_results=[(0, 10, 2)],
    )
    make_goal(
        cast.alice,
        title="Nearly there",
        start_date=today - timedelta(days=80),
        end_date=today + timedelta(days=5),
        key_results=[(0, 10, 9)],
    )
    alice = rows_of(login(cast.bob).get(MY_TEAM))[cast.alice.pk]
    assert (alice.attention.count, alice.attention.stale) == (1, 0)
