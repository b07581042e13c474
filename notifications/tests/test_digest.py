"""The weekly digest: once a week, from 7 o'clock on the first day of the organisation's week in
each person's own time, an e-mail (plain text and HTML) in their language with what waits for
them and what happened in their team the week before, read through the rules; at most one per
person and ISO week, also when two runs overlap; none when it would be empty, turned off, or for
whoever left."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail as outbox
from django.db import connections
from django.utils import timezone

from cadence.jobs import run_jobs
from conftest import make_person
from conversations.models import Kind as ConversationKind
from conversations.tests.factories import add_private_note, held, make_conversation
from feedback.models import Kind, Visibility
from feedback.tests.factories import give, make_request
from goals.models import Objective
from goals.tests.factories import make_goal
from notifications import digest, mail
from notifications.models import EmailOptOut, WeeklyDigest
from organisation import current
from trust.models import AccessLogEntry

pytestmark = pytest.mark.django_db

# Monday 9 March 2026, 08:00 UTC (the cast's time zone): the organisation's week starts on
# Mondays; last week ran from Monday 2 to Sunday 8 March.
MONDAY = date(2026, 3, 9)
NOW = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
LAST_WEEK = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def digests_on(settings):
    settings.WEEKLY_DIGEST = True
    settings.WEEKLY_DIGEST_HOUR = 7


def to(person):
    return [message for message in outbox.outbox if message.to == [person.email]]


def digest_of(person):
    [message] = to(person)
    [(html, mime)] = message.alternatives
    assert mime == "text/html"
    return message, message.body, html


def completed(goal, at=LAST_WEEK):
    Objective.objects.filter(pk=goal.pk).update(status="done", last_activity_at=at)


def praised(giver, receiver, visibility=Visibility.TEAM, at=LAST_WEEK, **fields):
    feedback = give(giver, receiver, visibility=visibility, **fields)
    type(feedback).objects.filter(pk=feedback.pk).update(created_at=at)
    return feedback


@pytest.fixture
def team_week(cast):
    """A week in Bob's team: a check-in with Alice held, a goal of hers completed, praise for her
    for the team to see; and a request for feedback waiting for Bob."""
    held(make_conversation(cast.alice, due=date(2026, 3, 4)), on=date(2026, 3, 4))
    completed(make_goal(cast.alice, title="Ship the search", visibility="team"))
    praised(cast.dave, cast.alice, text="Great demo!")
    make_request(cast.dave, [cast.bob], topic="My quarterly plan")


def test_a_manager_gets_what_waits_and_what_happened_in_the_team(cast, team_week):
    assert digest.send_due(NOW) >= 1
    message, text, html = digest_of(cast.bob)
    assert message.subject == "Your week in Cadence: 1 thing waits for you"
    for page in (text, html):
        assert "Hello Bob," in page
        assert "Waiting for you" in page
        assert "Feedback request" in page and "My quarterly plan" in page and "Dave Peer" in page
        assert "In your team, 2 Mar to 8 Mar" in page
        assert "Conversations held" in page and "Check-in" in page
        assert "Alice Employee with Bob Manager" in page
        assert "Goals completed" in page and "Ship the search" in page
        assert "Praise in public" in page and "Dave Peer praised Alice Employee" in page
        assert "Great demo!" not in page  # the text stays in Cadence
        assert "http://127.0.0.1:8000/feedback/asks/" in page  # links are absolute
    assert 'lang="en"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = message.extra_headers["List-Unsubscribe"].rsplit("/", 2)[-2]
    assert mail.unsubscribing(token) == (cast.bob, mail.EMAILS[mail.WEEKLY_DIGEST])
    assert mail.unsubscribe_link(cast.bob, mail.WEEKLY_DIGEST) in html


def test_someone_without_reports_sees_their_team_mates_public_praise(cast, team_week):
    make_request(cast.bob, [cast.alice], topic="Bob's talk")
    digest.send_due(NOW)
    _message, text, _html = digest_of(cast.alice)
    assert "Bob's talk" in text
    assert "Dave Peer praised Alice Employee" in text  # her team's praise (herself included)
    assert "Conversations held" not in text and "Goals completed" not in text


def test_what_happened_outside_last_week_is_not_in_it(cast):
    make_request(cast.dave, [cast.bob])
    held(make_conversation(cast.alice, due=date(2026, 2, 20)), on=date(2026, 2, 27))
    completed(make_goal(cast.alice, title="Too early", visibility="team"), at=NOW)
    praised(cast.dave, cast.alice, at=datetime(2026, 3, 1, 23, 0, tzinfo=UTC))
    digest.send_due(NOW)
    _message, text, _html = digest_of(cast.bob)
    assert "In your team" not in text


def test_no_private_content_of_others_in_a_managers_digest(cast, team_week):
    """What the manager may not see, and what the digest never shows, is not in it."""
    secret = held(
        make_conversation(cast.alice, due=date(2026, 3, 5), title="Salary worries"),
        on=date(2026, 3, 5),
    )
    add_private_note(secret, cast.alice, text="I may leave soon")
    give(cast.dave, cast.alice, text="Your code reviews are harsh", kind=Kind.CONSTRUCTIVE)
    praised(cast.dave, cast.alice, visibility=Visibility.PRIVATE, text="Just between us")
    praised(cast.erin, cast.dave, visibility=Visibility.TEAM, text="Sales praise")
    completed(make_goal(cast.alice, title="Alice's private plan", visibility="private"))
    completed(make_goal(cast.dave, title="Dave's own goal", visibility="public"))
    make_request(cast.dave, [cast.carol], topic="For Carol")
    digest.send_due(NOW)

    _message, bob_text, bob_html = digest_of(cast.bob)
    _message, carol_text, carol_html = digest_of(cast.carol)
    everything = bob_text + bob_html + carol_text + carol_html
    for private in (
        "Salary worries",  # a conversation's topic: never, not even to its manager
        "I may leave soon",
        "harsh",
        "Just between us",
        "Erin HR praised",  # outside their team
        "Dave's own goal",
        "Great demo!",
    ):
        assert private not in everything
    # Each sees what their rules let them: Alice's private goal is her manager's to see, not
    # her manager's manager's; Carol sees the held conversations of her part of the
    # organisation (the rhythm), not the praise for the Platform team only.
    assert "Alice's private plan" in bob_text
    assert "Alice's private plan" not in carol_text + carol_html
    assert "Alice Employee with Bob Manager" in carol_text
    assert "Dave Peer praised Alice Employee" in bob_text
    assert "Dave Peer praised Alice Employee" not in carol_text
    assert "Ship the search" in carol_text  # visible to the chain


def test_its_links_go_to_pages_the_reader_may_open(login, cast, team_week):
    digest.send_due(NOW)
    _message, bob_text, _html = digest_of(cast.bob)
    client = login(cast.bob)
    for line in bob_text.splitlines():
        line = line.strip()
        if line.startswith("http://127.0.0.1:8000/") and "/unsubscribe/" not in line:
            path = line.removeprefix("http://127.0.0.1:8000")
            assert client.get(path).status_code == 200, path


def test_it_is_in_the_persons_language_and_time_zone(cast, team_week):
    cast.bob.language = "nl"
    cast.bob.time_zone = "Europe/Amsterdam"
    cast.bob.save()
    digest.send_due(NOW)
    _message, text, html = digest_of(cast.bob)
    assert "Hallo Bob," in text
    assert "Wacht op jou" in text and "Wacht op jou" in html
    assert "Feedbackverzoek" in text
    assert "2 mrt" in text and "4 mrt" in html  # dates in Dutch
    assert 'lang="nl"' in html
    # The footer too (in Dutch once translated; the link is the same).
    assert mail.unsubscribe_link(cast.bob, mail.WEEKLY_DIGEST) in text


def test_it_waits_for_the_hour_in_the_persons_own_time_zone(cast, team_week):
    cast.bob.time_zone = "America/New_York"  # 08:00 UTC is 04:00 there (summer time)
    cast.bob.save()
    digest.send_due(NOW)
    assert to(cast.bob) == []
    digest.send_due(NOW + timedelta(hours=4))  # 08:00 in New York
    assert len(to(cast.bob)) == 1


def test_not_before_the_hour(cast, team_week):
    assert digest.send_due(datetime.combine(MONDAY, time(6, 59), tzinfo=UTC)) == 0
    assert not WeeklyDigest.objects.exists()
    digest.send_due(datetime.combine(MONDAY, time(7, 0), tzinfo=UTC))
    assert len(to(cast.bob)) == 1


def test_the_organisations_week_decides_the_day(cast, team_week):
    row = current.row()
    row.week_start = 6  # Sunday
    row.save()
    sunday = datetime(2026, 3, 8, 8, 0, tzinfo=UTC)
    digest.send_due(sunday)
    assert len(to(cast.bob)) == 1
    digest.send_due(NOW)  # Monday: the same week of the organisation
    assert len(to(cast.bob)) == 1
    assert WeeklyDigest.objects.get(person=cast.bob).week == date(2026, 3, 2)  # its ISO week


def test_at_most_one_per_person_and_iso_week(cast, team_week):
    digest.send_due(NOW)
    digest.send_due(NOW)
    digest.send_due(NOW + timedelta(days=2))
    assert len(to(cast.bob)) == 1
    assert WeeklyDigest.objects.filter(person=cast.bob).count() == 1
    digest.send_due(NOW + timedelta(days=7))
    assert len(to(cast.bob)) == 2
    assert list(
        WeeklyDigest.objects.filter(person=cast.bob).order_by("week").values_list("week", flat=True)
    ) == [MONDAY, MONDAY + timedelta(days=7)]


def test_once_the_weeks_digests_are_out_a_run_reads_nobody(
    cast, team_week, django_assert_max_num_queries
):
    from people.tests.factories import add_people

    add_people(30, manager=cast.bob, prefix="report")
    digest.send_due(NOW)
    with django_assert_max_num_queries(2):
        assert digest.send_due(NOW + timedelta(hours=2)) == 0


def test_a_task_run_twice_sends_once(cast, team_week):
    digest.send_due(NOW)
    claimed = WeeklyDigest.objects.get(person=cast.bob)
    assert claimed.sent_at is not None
    assert digest.deliver(claimed.pk) is False
    assert len(to(cast.bob)) == 1


def test_a_failed_send_is_not_recorded_as_sent(cast, team_week, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("no mail server")

    monkeypatch.setattr(mail, "send_email", broken)
    claimed = WeeklyDigest.objects.create(person=cast.bob, week=MONDAY, created_at=NOW)
    with pytest.raises(ConnectionError):
        digest.deliver(claimed.pk)
    claimed.refresh_from_db()
    assert claimed.sent_at is None


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(cast, settings):
    settings.WEEKLY_DIGEST = True
    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.erin):
        make_request(cast.frank, [person])
    barrier = threading.Barrier(2)
    errors = []

    def work():
        try:
            barrier.wait()
            from cadence.jobs import retrying

            retrying(digest.send_due, NOW)
        except Exception as error:  # reported below
            barrier.abort()
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    recipients = sorted(message.to[0] for message in outbox.outbox)
    assert recipients == sorted(
        p.email for p in (cast.alice, cast.bob, cast.carol, cast.dave, cast.erin)
    )


def test_an_empty_digest_is_not_sent(cast):
    digest.send_due(NOW)
    assert to(cast.dave) == []
    claimed = WeeklyDigest.objects.get(person=cast.dave)
    assert claimed.sent_at is None
    make_request(cast.bob, [cast.dave])
    digest.send_due(NOW + timedelta(hours=1))  # claimed for this week: not again
    assert to(cast.dave) == []


def test_whoever_turned_it_off_gets_none(cast, team_week):
    EmailOptOut.objects.create(person=cast.bob, kind=mail.WEEKLY_DIGEST)
    digest.send_due(NOW)
    assert to(cast.bob) == []
    assert not WeeklyDigest.objects.filter(person=cast.bob).exists()


def test_turned_off_between_the_run_and_the_task(cast, team_week):
    claimed = WeeklyDigest.objects.create(person=cast.bob, week=MONDAY, created_at=NOW)
    EmailOptOut.objects.create(person=cast.bob, kind=mail.WEEKLY_DIGEST)
    assert digest.deliver(claimed.pk) is False
    assert to(cast.bob) == []


def test_leavers_and_inactive_accounts_get_none(cast, team_week):
    make_request(cast.dave, [cast.alice])
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    cast.bob.is_active = False
    cast.bob.save()
    digest.send_due(NOW)
    assert to(cast.alice) == [] and to(cast.bob) == []


def test_nobody_outside_the_pilot_gets_one(cast, team_week):
    from organisation.models import PilotTeam

    row = current.row()
    row.pilot = True
    row.save()
    PilotTeam.objects.create(team=cast.sales)
    sam = make_person("sam@example.com", "Sam Sales", team=cast.sales)
    make_request(sam, [cast.dave])
    digest.send_due(NOW)
    assert to(cast.bob) == []
    assert len(to(cast.dave)) == 1


def test_a_module_switched_off_is_not_in_it(cast, team_week):
    row = current.row()
    row.modules_off = ["goals"]
    row.save()
    digest.send_due(NOW)
    _message, text, _html = digest_of(cast.bob)
    assert "Goals completed" not in text and "Ship the search" not in text
    assert "Conversations held" in text


def test_none_at_all_when_the_installation_sends_none(cast, team_week, settings):
    settings.WEEKLY_DIGEST = False
    assert digest.send_due(NOW) == 0
    assert outbox.outbox == []


def test_what_it_showed_of_others_is_in_their_access_log(cast, team_week):
    digest.send_due(NOW)
    entries = AccessLogEntry.objects.filter(viewer=cast.bob, subject=cast.alice, channel="email")
    assert entries.exists()
    assert entries.filter(kind__startswith="goals.").exists()
    # Nothing is recorded for what it did not send.
    assert not AccessLogEntry.objects.filter(viewer=cast.dave).exists()


def test_the_job_runs_it(cast, team_week):
    lines = run_jobs(NOW, ["weekly-digest"])
    assert lines and lines[0].startswith("weekly digest: ")
    assert len(to(cast.bob)) == 1
    assert run_jobs(NOW, ["weekly-digest"]) == []  # nothing new: no line


def test_a_long_week_is_cut_short_with_a_link_to_the_rest(cast):
    from people.tests.factories import add_people

    reports = add_people(digest.ROWS_SHOWN + 2, manager=cast.bob, prefix="report")
    for person in reports:
        completed(make_goal(person, title=f"Goal of {person.name}", visibility="team"))
    digest.send_due(NOW)
    _message, text, _html = digest_of(cast.bob)
    assert text.count("Goal of ") == digest.ROWS_SHOWN
    assert "More: http://127.0.0.1:8000/goals/team/" in text


def test_building_a_digest_needs_a_fixed_number_of_queries(
    cast, team_week, django_assert_max_num_queries
):
    from people.tests.factories import add_people

    def fill(count, prefix):
        for person in add_people(count, manager=cast.bob, prefix=prefix):
            completed(make_goal(person, title=f"Goal of {person.name}", visibility="team"))
            praised(cast.dave, person)
            held(make_conversation(person, cast.bob, due=date(2026, 3, 3)), on=date(2026, 3, 3))
            make_request(person, [cast.bob])

    fill(2, "few")
    claimed = WeeklyDigest.objects.create(person=cast.bob, week=MONDAY, created_at=NOW)
    with django_assert_max_num_queries(40) as few:
        assert digest.deliver(claimed.pk)
    fill(12, "many")
    claimed = WeeklyDigest.objects.create(
        person=cast.bob, week=MONDAY + timedelta(days=7), created_at=NOW
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert digest.deliver(claimed.pk)


def test_the_check_in_kind_is_named_not_the_topic(cast):
    held(
        make_conversation(
            cast.alice, kind=ConversationKind.QUARTERLY, due=date(2026, 3, 3), title="Topic"
        ),
        on=date(2026, 3, 3),
    )
    make_request(cast.dave, [cast.bob])
    digest.send_due(NOW)
    _message, text, _html = digest_of(cast.bob)
    assert "Quarterly review" in text
    assert "Topic" not in text
