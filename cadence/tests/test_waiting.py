"""Home's "waiting for you" list and the navigation's counts, through the real pages: each
source shows to the person it waits for and to nobody else, ordered by due date, linking to
where to act, in a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.tests.factories import make_conversation
from feedback.models import AskStatus, CycleStatus, RaterGroup
from feedback.tests.factories import add_participant, invite, make_cycle, make_request
from goals.models import Status
from goals.tests.factories import days_ago, make_goal


def today():
    return timezone.localdate()


def waiting_section(html: str) -> str:
    match = re.search(r'<section class="card waiting".*?</section>', html, re.S)
    assert match, "Home has no waiting list"
    return match.group(0)


def home(login, person) -> str:
    return waiting_section(login(person).get("/").text)


def nav_count(html: str, key: str) -> int:
    match = re.search(
        rf'class="nav-{key}[^"]*"[^>]*>.*?(?:<span class="nav-count">(\d+)|</a>)', html, re.S
    )
    assert match, f"no navigation entry {key}"
    return int(match.group(1) or 0)


def test_a_review_owed_shows_to_its_reviewer_only_with_a_link_to_answer(login, cast):
    cycle = make_cycle(answers_due=today() + timedelta(days=5))
    participant = add_participant(cycle, cast.alice)
    invitation = invite(participant, cast.dave)
    answer = reverse("feedback:answer", args=[invitation.pk])
    dave = home(login, cast.dave)
    assert answer in dave
    assert "360 review" in dave and "Alice Employee" in dave and "Spring 360" in dave
    for other in (cast.alice, cast.bob, cast.erin, cast.carol):
        assert answer not in home(login, other)


def test_answered_declined_and_closed_reviews_are_not_waiting(login, cast):
    cycle = make_cycle()
    participant = add_participant(cycle, cast.alice)
    invite(participant, cast.dave, answered=True)
    invite(participant, cast.carol, declined=True)
    closed = add_participant(make_cycle(name="Old", status=CycleStatus.CLOSED), cast.alice)
    invite(closed, cast.bob, group=RaterGroup.MANAGER)
    for person in (cast.dave, cast.carol, cast.bob):
        assert "feedback/reviews/invitations" not in home(login, person)


def test_own_review_says_so(login, cast):
    participant = add_participant(make_cycle(), cast.alice)
    invite(participant, cast.alice, group=RaterGroup.SELF)
    assert "Your own 360 review" in home(login, cast.alice)


def test_a_feedback_request_shows_to_the_person_asked_until_answered(login, cast):
    request = make_request(cast.alice, [cast.dave], topic="The launch demo")
    ask = request.asks.get()
    link = reverse("feedback:ask_answer", args=[ask.pk])
    dave = home(login, cast.dave)
    assert link in dave and "The launch demo" in dave and "Alice Employee" in dave
    assert link not in home(login, cast.alice)
    assert link not in home(login, cast.bob)
    ask.status = AskStatus.ANSWERED
    ask.save()
    assert link not in home(login, cast.dave)


def test_conversations_to_prepare_and_to_hold(login, cast):
    soon = make_conversation(cast.alice, due=today() + timedelta(days=3))
    later = make_conversation(cast.alice, kind="quarterly", due=today() + timedelta(days=60))
    alice = home(login, cast.alice)
    assert reverse("conversations:prepare", args=[soon.pk]) in alice
    assert reverse("conversations:prepare", args=[later.pk]) not in alice  # not yet
    bob = home(login, cast.bob)
    assert soon.get_absolute_url() in bob and "Hold" in bob
    assert reverse("conversations:prepare", args=[soon.pk]) not in bob
    assert soon.get_absolute_url() not in home(login, cast.dave)
    soon.prepared_at = timezone.now()
    soon.save()
    assert reverse("conversations:prepare", args=[soon.pk]) not in home(login, cast.alice)


def test_nominations_and_reports_wait_for_the_manager(login, cast):
    nominating = make_cycle(name="Autumn 360", status=CycleStatus.NOMINATING)
    mine = add_participant(nominating, cast.alice)
    nominate = reverse("feedback:nominate", args=[mine.pk])
    approve = reverse("feedback:approve", args=[mine.pk])
    assert nominate in home(login, cast.alice)
    assert approve not in home(login, cast.bob)  # nothing proposed yet
    mine.nominations_submitted_at = timezone.now()
    mine.save()
    assert nominate not in home(login, cast.alice)
    assert approve in home(login, cast.bob)
    assert approve not in home(login, cast.carol)

    closed = make_cycle(name="Spring 360", status=CycleStatus.CLOSED)
    released = add_participant(closed, cast.alice)
    report = reverse("feedback:report", args=[released.pk])
    bob = home(login, cast.bob)
    assert report in bob and "Release" in bob
    assert report not in home(login, cast.alice)
    released.released_at = timezone.now()
    released.save()
    assert report not in home(login, cast.bob)


def test_hr_sees_its_cycles_next_steps_and_can_start_one(login, cast):
    draft = make_cycle(name="Draft 360", status=CycleStatus.DRAFT)
    due = make_cycle(name="Closing 360", answers_due=today() + timedelta(days=2))
    far = make_cycle(name="Far 360", answers_due=today() + timedelta(days=60))
    erin = home(login, cast.erin)
    assert draft.get_absolute_url() in erin and due.get_absolute_url() in erin
    assert far.get_absolute_url() not in erin
    assert reverse("feedback:cycle_create") in erin
    for person in (cast.alice, cast.bob, cast.frank):
        page = home(login, person)
        assert draft.get_absolute_url() not in page
        assert reverse("feedback:cycle_create") not in page


def test_goals_to_update_are_my_own(login, cast):
    stale = make_goal(cast.alice, title="Ship the API", last_activity_at=days_ago(60))
    risky = make_goal(cast.alice, title="Hire two people", status=Status.AT_RISK)
    fine = make_goal(cast.alice, title="All good")
    alice = home(login, cast.alice)
    assert reverse("goals:goal", args=[stale.pk]) in alice
    assert reverse("goals:goal", args=[risky.pk]) in alice
    assert reverse("goals:goal", args=[fine.pk]) not in alice
    assert "not updated for" in alice
    assert reverse("goals:goal", args=[stale.pk]) not in home(login, cast.bob)


def test_the_list_is_ordered_by_due_date_and_marks_overdue(login, cast):
    make_request(cast.alice, [cast.dave], topic="Later", due=today() + timedelta(days=9))
    make_request(cast.bob, [cast.dave], topic="Overdue one", due=today() - timedelta(days=2))
    participant = add_participant(make_cycle(answers_due=today() + timedelta(days=4)), cast.alice)
    invite(participant, cast.dave)
    page = home(login, cast.dave)
    assert page.index("Overdue one") < page.index("360 review") < page.index("Later")
    assert page.count("overdue, due") == 1


def test_the_list_is_bounded_with_links_to_the_rest(login, cast):
    for number in range(14):
        make_request(cast.alice, [cast.dave], topic=f"Topic {number}")
    page = home(login, cast.dave)
    assert page.count('class="waiting-item') == 10
    assert "and 4 more in Feedback" in page
    assert reverse("feedback:requests") in page


def test_nothing_waiting_says_so(login, cast):
    assert "Nothing is waiting for you." in home(login, cast.frank)
    assert "Coming to Cadence" not in login(cast.frank).get("/").text


def test_the_navigation_counts_what_waits_in_each_module(login, cast):
    make_request(cast.alice, [cast.dave])
    participant = add_participant(make_cycle(), cast.alice)
    invite(participant, cast.dave)
    make_goal(cast.dave, title="Old", last_activity_at=days_ago(60))
    page = login(cast.dave).get(reverse("people:directory")).text
    assert nav_count(page, "feedback") == 2
    assert nav_count(page, "goals") == 1
    assert nav_count(page, "conversations") == 0
    other = login(cast.carol).get("/").text
    assert nav_count(other, "feedback") == 0


@pytest.fixture
def busy(cast):
    """Every source has something for Bob, several times over."""
    from conftest import make_person

    reports = [cast.alice] + [
        make_person(f"r{n}@example.com", f"Report {n}", manager=cast.bob, team=cast.platform)
        for n in range(6)
    ]
    reviewing = make_cycle(name="Open")
    nominating = make_cycle(name="Nominating", status=CycleStatus.NOMINATING)
    closed = make_cycle(name="Closed", status=CycleStatus.CLOSED)
    for person in reports:
        invite(add_participant(reviewing, person), cast.bob, group=RaterGroup.MANAGER)
        add_participant(nominating, person, nominations_submitted_at=timezone.now())
        add_participant(closed, person)
        make_request(person, [cast.bob], topic=f"From {person.name}")
        make_conversation(person, due=today() + timedelta(days=2))
        make_goal(cast.bob, title=f"Goal {person.pk}", last_activity_at=days_ago(60))
    make_conversation(cast.bob, due=today() + timedelta(days=1))
    invite(add_participant(reviewing, cast.bob), cast.bob, group=RaterGroup.SELF)
    return cast


def test_home_and_a_page_do_a_fixed_number_of_queries(login, busy, django_assert_max_num_queries):
    """Every source read once on Home (only those with something waiting), every count in one
    query on any page: the same numbers with twice the data."""
    client = login(busy.bob)
    with django_assert_max_num_queries(23):
        page = client.get("/").text
    assert page.count('class="waiting-item') == 10
    with django_assert_max_num_queries(6):
        page = client.get(reverse("feedback:wall")).text
    assert nav_count(page, "feedback") == 7 * 4 + 1
    for n in range(7):
        make_request(busy.dave, [busy.bob], topic=f"More {n}")
        make_goal(busy.bob, title=f"More {n}", last_activity_at=days_ago(60))
    with django_assert_max_num_queries(23):
        client.get("/")
    with django_assert_max_num_queries(6):
        page = client.get(reverse("feedback:wall")).text
    assert nav_count(page, "feedback") == 7 * 5 + 1


# --- The counts' SQL, built once per viewer state -----------------------------------------------


@pytest.fixture
def fresh_sql():
    from cadence import waiting

    waiting._COMPILED.clear()
    yield waiting
    waiting._COMPILED.clear()


def built_sql(monkeypatch, waiting) -> list[str]:
    """Records each time the counts' SQL is built from the sources' rules."""
    built: list[str] = []
    original = waiting._compile

    def recording(viewer, *args, **kwargs):
        built.append(viewer.person.name)
        return original(viewer, *args, **kwargs)

    monkeypatch.setattr(waiting, "_compile", recording)
    return built


def test_the_counts_sql_is_built_once_and_the_counts_stay_live(login, cast, fresh_sql, monkeypatch):
    built = built_sql(monkeypatch, fresh_sql)
    client = login(cast.bob)
    assert nav_count(client.get(reverse("feedback:wall")).text, "feedback") == 0
    make_request(cast.dave, [cast.bob], topic="Fresh")
    make_request(cast.alice, [cast.bob], topic="Fresher")
    # The same SQL, run again: the new requests are counted.
    assert nav_count(client.get(reverse("feedback:wall")).text, "feedback") == 2
    assert built == ["Bob Manager"]


def test_a_change_in_what_the_rules_read_builds_the_sql_again(login, cast, fresh_sql, monkeypatch):
    from access.models import HRRole

    built = built_sql(monkeypatch, fresh_sql)
    client = login(cast.dave)
    client.get(reverse("feedback:wall"))
    HRRole.objects.create(person=cast.dave)  # an HR role: cycles' next steps now wait for him
    make_cycle(name="Draft", status=CycleStatus.DRAFT)
    page = client.get(reverse("feedback:wall")).text
    assert built == ["Dave Peer", "Dave Peer"]
    assert nav_count(page, "feedback") == 1


def test_the_sql_built_for_one_viewer_is_never_run_for_another(login, cast, fresh_sql):
    make_request(cast.dave, [cast.bob], topic="For Bob")
    assert nav_count(login(cast.bob).get(reverse("feedback:wall")).text, "feedback") == 1
    assert nav_count(login(cast.alice).get(reverse("feedback:wall")).text, "feedback") == 0


def test_the_built_sql_is_kept_a_few_minutes_at_most(login, cast, fresh_sql, monkeypatch):
    built = built_sql(monkeypatch, fresh_sql)
    client = login(cast.bob)
    client.get(reverse("feedback:wall"))
    for entry in fresh_sql._COMPILED.values():
        entry.at -= fresh_sql.COMPILED_SECONDS + 1
    client.get(reverse("feedback:wall"))
    assert built == ["Bob Manager", "Bob Manager"]


def test_whether_one_manages_anyone_comes_with_the_counts(login, cast, fresh_sql, monkeypatch):
    """The navigation's My team entry is for managers: the counts query says whether the viewer
    manages anyone, without a query of its own, and the kept SQL follows when that changes."""
    from people.tests.factories import add_people

    built = built_sql(monkeypatch, fresh_sql)
    client = login(cast.dave)
    first = count_queries(client)
    assert "nav-my_team" not in client.get(reverse("feedback:wall")).text
    assert count_queries(client) == first
    add_people(1, manager=cast.dave, team=cast.sales, prefix="new")
    assert "nav-my_team" in client.get(reverse("feedback:wall")).text
    assert built == ["Dave Peer"]


def count_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("feedback:wall"))
    return len(queries)


def test_no_waiting_source_asks_whether_the_viewer_manages_anyone(cast, fresh_sql, monkeypatch):
    """The kept SQL's key (`Viewer.state`) leaves out whether the viewer manages anyone: no
    source's rules may read it while the SQL is built, for any role, or a statement built
    before someone's first report would go on counting as if they had none."""
    from access.models import HRRole
    from access.viewer import Viewer
    from notifications.queries import unread
    from people.models import Person

    HRRole.objects.create(person=cast.dave, scope=cast.sales, can_manage_people=False)
    asked: list[str] = []

    def refusing(viewer):
        asked.append(viewer.person.name)
        return False

    monkeypatch.setattr(Viewer, "is_manager", property(refusing))
    for person in Person.objects.all():
        viewer = Viewer(person)
        fresh_sql.counts(viewer, today(), lambda viewer=viewer: {"unread": unread(viewer)})
    assert asked == []


# --- Home's rows, their SQL kept per viewer state too ------------------------------------------


def kept_rows_built(monkeypatch, waiting) -> list[tuple]:
    """Records each time a list's SQL is built (its key, without the viewer's state)."""
    built: list[tuple] = []
    original = waiting._Rows

    def recording(prepared, now):
        built.append(prepared.model.__name__)
        return original(prepared, now)

    monkeypatch.setattr(waiting, "_Rows", recording)
    return built


def test_homes_lists_are_built_once_and_stay_live(login, busy, fresh_sql, monkeypatch):
    built = kept_rows_built(monkeypatch, fresh_sql)
    client = login(busy.bob)
    first = waiting_section(client.get("/").text)
    assert built  # every list Home read, once
    once = list(built)
    make_request(busy.dave, [busy.bob], topic="Overdue, first", due=today() - timedelta(days=9))
    again = waiting_section(client.get("/").text)
    assert built == once  # the same SQL, run again
    assert "Overdue, first" in again and "Overdue, first" not in first


def test_homes_lists_built_for_one_viewer_are_never_run_for_another(login, busy, fresh_sql):
    bob = home(login, busy.bob)
    alice = home(login, busy.alice)
    assert "From Alice Employee" in bob and "Hold" in bob
    assert "From Alice Employee" not in alice and "Hold" not in alice


def test_every_sources_items_are_those_of_their_queries_built_afresh(cast, busy, fresh_sql):
    """For every person and source, the items read with kept SQL are those its rules give
    when built anew, also after the viewer's state changes (`Viewer.state`)."""
    from access.models import HRRole
    from access.viewer import Viewer
    from cadence.waiting import SOURCES
    from people.models import Person

    def described(items):
        return [(item.source, item.url, item.due, str(item.whom), str(item.note)) for item in items]

    def check():
        for person in Person.objects.select_related("team"):
            for source in SOURCES.values():
                kept = described(source.items(Viewer(person), today(), 10))
                fresh_sql._COMPILED.clear()
                assert kept == described(source.items(Viewer(person), today(), 10)), source.key

    check()
    HRRole.objects.create(person=busy.dave)
    make_cycle(name="Draft", status=CycleStatus.DRAFT)
    busy.alice.manager = busy.dave
    busy.alice.save()
    check()


def test_no_waiting_source_reads_the_teams_the_viewer_leads(cast, busy, fresh_sql, monkeypatch):
    """Nor the teams they lead (`Viewer.led_paths`, not in the kept SQL's key)."""
    from access.viewer import Viewer
    from cadence.waiting import SOURCES
    from people.models import Person

    def refusing(viewer):
        raise AssertionError("led_paths read by a waiting source")

    monkeypatch.setattr(Viewer, "led_paths", property(refusing))
    for person in Person.objects.all():
        for source in SOURCES.values():
            source.items(Viewer(person), today(), 10)


def test_sql_kept_per_viewer_state_may_not_read_the_teams_the_viewer_leads(cast, fresh_sql):
    """`led_paths` is not in the key the SQL is kept under: a query that read it while being
    built would be reused for a viewer who leads other teams (or none). `kept_rows` refuses it,
    also when the viewer's page had already read it, and the viewer keeps its answer after."""
    from access.viewer import LeadsNotInState, Viewer
    from people.models import Person, Team

    viewer = Viewer(cast.dave)
    led = viewer.led_paths  # read before, as a leader's page would

    def build():
        return Person.objects.filter(team__path__in=viewer.led_paths)

    with pytest.raises(LeadsNotInState):
        fresh_sql.kept_rows(viewer, today(), ("test",), build)
    assert viewer.led_paths == led
    assert list(fresh_sql.kept_rows(viewer, today(), ("test",), Team.objects.none)) == []
