"""My team and the Conversations list read their rows with SQL kept per viewer state, day and
team (`cadence.waiting.kept_rows`): what changes since shows on the next page, and one viewer's
kept SQL never serves another's rows."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cadence import waiting
from conversations.models import Kind
from conversations.tests.factories import add_action, held, make_conversation
from goals.models import Objective
from goals.tests.factories import days_ago, make_goal
from people.tests.factories import add_people

MY_TEAM = reverse("my_team")
INDEX = reverse("conversations:index")


def names(response):
    return {row.person.name for row in response.context["rows"]}


def kept_keys():
    return {key for key in waiting._COMPILED if key[0] in {"rows", "values"}}


def test_my_team_shows_what_changed_since_its_sql_was_kept(login, cast):
    client = login(cast.bob)
    first = client.get(MY_TEAM)
    assert "goal needs attention" not in first.content.decode()
    kept = kept_keys()
    assert kept  # the rows' SQL is kept
    today = cast.alice.local_today()
    conversation = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today + timedelta(2))
    add_action(conversation, cast.bob, "Follow up")
    goal = make_goal(cast.alice, title="Stale", key_results=[(0, 10, 2)])
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(60))
    again = client.get(MY_TEAM)
    assert kept_keys() == kept  # the same SQL, run again
    html = again.content.decode()
    assert conversation.get_absolute_url() in html
    assert "1 goal needs attention" in html
    assert again.context["open_actions"] == 1


def test_a_report_moved_to_another_manager_leaves_my_team(login, cast):
    zed = add_people(1, manager=cast.bob, team=cast.platform, prefix="zed")[0]
    make_conversation(zed, due=zed.local_today() + timedelta(days=3))
    assert names(login(cast.bob).get(MY_TEAM)) == {cast.alice.name, zed.name}
    zed.manager = cast.dave
    zed.save()
    response = login(cast.bob).get(MY_TEAM)
    assert names(response) == {cast.alice.name}
    assert zed.name not in response.content.decode()
    assert names(login(cast.dave).get(MY_TEAM)) == {zed.name}


def test_a_leader_whose_report_moves_away_keeps_no_team(login, cast):
    """Carol leads Engineering and manages Bob: once Bob reports to Dave, her kept SQL shows
    her no one, and Dave's (built for him) shows Bob, with Bob's conversations."""
    with_carol = make_conversation(cast.bob, due=timezone.localdate() + timedelta(days=3))
    response = login(cast.carol).get(MY_TEAM)
    assert names(response) == {cast.bob.name}
    assert with_carol.get_absolute_url() in response.content.decode()
    cast.bob.manager = cast.dave
    cast.bob.save()
    assert login(cast.carol).get(MY_TEAM).status_code == 403
    response = login(cast.dave).get(MY_TEAM)
    assert names(response) == {cast.bob.name}
    assert with_carol.get_absolute_url() not in response.content.decode()  # Carol's, not his


def test_one_viewers_kept_rows_are_never_anothers(login, cast):
    """Two managers in the same team, each with a report: each sees their own, in either order,
    on My team and on the Conversations list."""
    yves = add_people(1, manager=cast.carol, team=cast.platform, prefix="yves")[0]
    zoe = add_people(1, manager=yves, team=cast.platform, prefix="zoe")[0]
    alices = make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=3))
    zoes = make_conversation(zoe, due=timezone.localdate() + timedelta(days=3))
    for _ in range(2):
        bob, yves_sees = login(cast.bob).get(MY_TEAM), login(yves).get(MY_TEAM)
        assert names(bob) == {cast.alice.name} and names(yves_sees) == {zoe.name}
        assert zoes.get_absolute_url() not in bob.content.decode()
        assert alices.get_absolute_url() not in yves_sees.content.decode()
        bob, yves_sees = login(cast.bob).get(INDEX), login(yves).get(INDEX)
        assert alices.get_absolute_url() in bob.content.decode()
        assert zoes.get_absolute_url() not in bob.content.decode()
        assert zoes.get_absolute_url() in yves_sees.content.decode()
        assert alices.get_absolute_url() not in yves_sees.content.decode()
        dave = login(cast.dave).get(INDEX).content.decode()
        assert alices.get_absolute_url() not in dave and zoes.get_absolute_url() not in dave


def test_the_conversations_list_shows_what_changed_since_its_sql_was_kept(login, cast):
    client = login(cast.alice)
    today = cast.alice.local_today()
    first = make_conversation(cast.alice, due=today + timedelta(days=3))
    assert [row.conversation.pk for row in client.get(INDEX).context["rows"]] == [first.pk]
    kept = kept_keys()
    second = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today + timedelta(days=1))
    add_action(second, cast.alice, "Bring the numbers")
    past = held(make_conversation(cast.alice, kind=Kind.DEVELOPMENT, due=today - timedelta(9)))
    response = client.get(INDEX)
    lists = ("conversations:upcoming", "conversations:actions")
    assert {key for key in kept_keys() - kept if any(name in key for name in lists)} == set()
    assert [row.conversation.pk for row in response.context["rows"]] == [second.pk, first.pk]
    assert [c.pk for c in response.context["page"].object_list] == [past.pk]
    assert [a.text for a in response.context["actions"]] == ["Bring the numbers"]
    for _ in range(16):  # a second page of past ones
        held(make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=today - timedelta(20)))
    response = client.get(INDEX, {"page": 2})
    assert response.context["page"].paginator.count == 17
    assert len(response.context["page"].object_list) == 2


def test_the_conversations_list_needs_few_queries(login, cast, django_assert_max_num_queries):
    """Session, person with their HR role, the navigation's counts (which tell whether the
    viewer manages anyone), coming up, past (counted, a page), actions, the rhythm's manager,
    the access log: 9, whatever the history (`test_index`), for a manager and for an employee."""
    today = cast.alice.local_today()
    for days in range(1, 30):
        held(make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=today - timedelta(days)))
    make_conversation(cast.alice, due=today + timedelta(days=3))
    for person in (cast.bob, cast.alice):
        client = login(person)
        client.get(INDEX)  # what a process keeps (the rhythm rules, the SQL) read
        with django_assert_max_num_queries(9):
            assert client.get(INDEX).status_code == 200


def test_my_team_needs_few_queries_once_its_sql_is_kept(login, cast, django_assert_max_num_queries):
    zed = add_people(3, manager=cast.bob, team=cast.platform, prefix="zed")
    for person in (cast.alice, *zed):
        make_conversation(person, due=person.local_today() + timedelta(days=3))
    client = login(cast.bob)
    client.get(MY_TEAM)  # what a process keeps (the rhythm rules, the SQL) read
    with django_assert_max_num_queries(12):
        assert client.get(MY_TEAM).status_code == 200
