"""Rhythm health: adherence over 12 months by team, by manager and by person, for managers
(the people below them) and HR (in scope). Counts and dates only."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import HRRole
from conversations.models import Conversation, Kind, Status
from conversations.tests.factories import add_note, add_private_note, held, make_conversation
from people.models import Person
from people.tests.factories import add_organisation, add_people

ADHERENCE = reverse("conversations:adherence")


def on_time(employee, days_ago, manager=None, kind=Kind.CHECK_IN):
    due = employee.local_today() - timedelta(days=days_ago)
    return held(make_conversation(employee, manager=manager, kind=kind, due=due), on=due)


def late(employee, days_ago, manager=None, kind=Kind.CHECK_IN):
    due = employee.local_today() - timedelta(days=days_ago)
    conversation = make_conversation(employee, manager=manager, kind=kind, due=due)
    return held(conversation, on=due + timedelta(days=40))


def pair(rate):
    return (rate.on_time, rate.counted)


def test_managers_and_hr_only(login, cast):
    for person in (cast.bob, cast.carol, cast.erin):
        assert login(person).get(ADHERENCE).status_code == 200
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).get(ADHERENCE).status_code == 403


def test_a_manager_sees_their_reports_by_default(login, cast):
    on_time(cast.alice, 100)
    late(cast.alice, 200, kind=Kind.QUARTERLY)
    on_time(cast.bob, 50)  # Bob's own, with Carol: not part of his view
    response = login(cast.bob).get(ADHERENCE)
    assert response.context["chosen_is_me"]
    people = {row["person"].pk: pair(row["adherence"]) for row in response.context["people_rows"]}
    assert people == {cast.alice.pk: (1, 2)}
    assert pair(response.context["overall"]) == (1, 2)
    html = response.content.decode()
    assert "1 of 2 on time" in html and "50%" in html
    assert "held within their due window" in html


def test_a_leader_sees_managers_below_and_drills_into_one(login, cast):
    on_time(cast.alice, 100)
    on_time(cast.bob, 90)  # with Carol
    seller = add_people(1, manager=cast.dave, team=cast.sales, prefix="seller")[0]
    on_time(seller, 30)
    client = login(cast.carol)
    response = client.get(ADHERENCE)
    managers = {row["id"]: pair(row["adherence"]) for row in response.context["managers_page"]}
    assert managers == {cast.bob.pk: (1, 1), cast.carol.pk: (1, 1)}
    people = {row["person"].pk for row in response.context["people_rows"]}
    assert people == {cast.bob.pk}  # her own reports by default
    drill = client.get(ADHERENCE, {"manager": cast.bob.pk})
    assert {row["person"].pk for row in drill.context["people_rows"]} == {cast.alice.pk}
    # Someone she does not look after: ignored, her own view instead.
    other = client.get(ADHERENCE, {"manager": cast.dave.pk})
    assert other.context["chosen"] == cast.carol
    assert "Seller" not in other.content.decode()


def test_teams_add_up_their_subtree_and_drill_down(login, cast):
    on_time(cast.alice, 100)
    late(cast.alice, 130)
    on_time(cast.bob, 100)  # Bob is in Platform too
    seller = add_people(1, manager=cast.dave, team=cast.sales, prefix="seller")[0]
    late(seller, 30)
    client = login(cast.erin)
    top = client.get(ADHERENCE)
    teams = {row["team"].pk: pair(row["adherence"]) for row in top.context["team_rows"]}
    assert teams == {cast.engineering.pk: (2, 3), cast.sales.pk: (0, 1)}
    assert pair(top.context["overall"]) == (2, 4)
    inside = client.get(ADHERENCE, {"team": cast.engineering.pk})
    rows = inside.context["team_rows"]
    assert [(row["team"].pk, pair(row["adherence"])) for row in rows] == [
        (cast.platform.pk, (2, 3))
    ]
    assert pair(inside.context["overall"]) == (2, 3)
    managers = {row["id"] for row in inside.context["managers_page"]}
    assert managers == {cast.bob.pk, cast.carol.pk}
    platform = client.get(ADHERENCE, {"team": cast.platform.pk})
    assert platform.context["ancestors"] == [cast.engineering]
    assert [row.get("directly") for row in platform.context["team_rows"]] == [True]


def test_a_leader_never_sees_numbers_from_outside_her_part(login, cast):
    seller = add_people(1, manager=cast.dave, team=cast.sales, prefix="seller")[0]
    late(seller, 30)
    on_time(cast.alice, 30)
    response = login(cast.carol).get(ADHERENCE)
    assert {row["team"].pk for row in response.context["team_rows"]} == {cast.engineering.pk}
    assert pair(response.context["overall"]) == (1, 1)
    assert "Sales" not in response.content.decode()


def test_hr_with_a_scope_sees_that_scope(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    seller = add_people(1, manager=cast.dave, team=cast.sales, prefix="seller")[0]
    late(seller, 30)
    on_time(cast.alice, 30)
    response = login(cast.erin).get(ADHERENCE)
    assert pair(response.context["overall"]) == (0, 1)
    assert {row["id"] for row in response.context["managers_page"]} == {cast.dave.pk}
    # HR without reports chooses a manager to see people.
    assert response.context["chosen"] is None
    assert "Choose a manager above" in response.content.decode()
    chosen = login(cast.erin).get(ADHERENCE, {"manager": cast.dave.pk})
    assert [row["person"].pk for row in chosen.context["people_rows"]] == [seller.pk]


def test_open_ones_inside_their_window_do_not_count_yet(login, cast):
    make_conversation(cast.alice, due=cast.alice.local_today() - timedelta(days=2))
    missed = make_conversation(
        cast.alice, kind=Kind.QUARTERLY, due=cast.alice.local_today() - timedelta(days=30)
    )
    skipped = make_conversation(
        cast.alice, kind=Kind.DEVELOPMENT, due=cast.alice.local_today() - timedelta(days=60)
    )
    Conversation.objects.filter(pk=skipped.pk).update(status=Status.SKIPPED)
    response = login(cast.bob).get(ADHERENCE)
    assert pair(response.context["overall"]) == (0, 2)
    assert missed.pk


def test_bad_parameters_are_ignored(login, cast):
    client = login(cast.erin)
    for params in (
        {"team": "abc"},
        {"team": str(2**80)},
        {"team": "-3"},
        {"manager": "x"},
        {"manager": str(2**80)},
        {"manager": "0"},
        {"page": "999999999999999999999"},
        {"team": "999999"},
    ):
        assert client.get(ADHERENCE, params).status_code == 200, params


def test_what_was_said_is_never_shown(login, cast):
    conversation = on_time(cast.alice, 20)
    add_note(conversation, cast.alice, "Shared words")
    add_private_note(conversation, cast.bob, "Private words")
    for person in (cast.bob, cast.carol, cast.erin):
        html = login(person).get(ADHERENCE, {"manager": cast.bob.pk}).content.decode()
        assert "Shared words" not in html and "Private words" not in html


def _fill(size, top):
    """An organisation of `size` people under `top` with a year of check-ins each."""
    add_organisation(size, manager=top, name=f"org{size}")
    people = list(Person.objects.below(top).exclude(manager=top))
    today = top.local_today()
    rows = []
    for index, person in enumerate(people):
        for month in range(1, 12):
            due = today - timedelta(days=30 * month)
            held_on = due + timedelta(days=(index + month) % 12)
            rows.append(
                Conversation(
                    employee=person,
                    manager_id=person.manager_id,
                    kind=Kind.CHECK_IN,
                    due_date=due,
                    status=Status.HELD,
                    held_on=held_on,
                )
            )
    Conversation.objects.bulk_create(rows)


def test_the_query_count_does_not_grow_with_the_organisation(login, cast):
    def count(person, params=None):
        client = login(person)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ADHERENCE, params or {})
        assert response.status_code == 200
        return len(queries)

    _fill(30, cast.carol)
    small = [
        count(cast.carol),
        count(cast.erin, {"team": cast.engineering.pk}),
        count(cast.erin, {"manager": cast.bob.pk}),
    ]
    _fill(300, cast.carol)
    large = [
        count(cast.carol),
        count(cast.erin, {"team": cast.engineering.pk}),
        count(cast.erin, {"manager": cast.bob.pk}),
    ]
    assert large == small
    assert max(large) <= 15


def test_managers_are_listed_by_name_a_page_at_a_time(login, cast):
    # 30 managers below Carol, named so that case must not decide the order.
    managers = add_people(30, manager=cast.carol, team=cast.platform, prefix="lead")
    for index, manager in enumerate(managers):
        manager.name = f"{'ab'[index % 2]}{'AB'[index // 15]} lead {index:02}"
        manager.save()
        report = add_people(1, manager=manager, team=cast.platform, prefix=f"r{index}")[0]
        on_time(report, 20, manager=manager)
    client = login(cast.carol)
    first = client.get(ADHERENCE).context["managers_page"]
    second = client.get(ADHERENCE, {"page": 2}).context["managers_page"]
    names = [row["name"] for row in [*first.object_list, *second.object_list]]
    assert len(first.object_list) == 25
    assert sorted(names, key=str.casefold) == names
    assert {row["id"] for row in [*first.object_list, *second.object_list]} >= {
        manager.pk for manager in managers
    }
    assert all(pair(row["adherence"]) == (1, 1) for row in second.object_list)
