"""Who reads rhythm tallies (`RhythmTallyRules`): the line manager of the bucket, the chain
above them and HR whose scope holds the team; asked about many tallies at once in a fixed
number of queries (`for_who`), and listed on My data as who reads rhythm health where it
counts me."""

import pytest
from django.urls import reverse

from access import rules
from access.models import HRRole
from access.viewer import Viewer
from conversations.models import RhythmTally
from conversations.tests.factories import held, make_conversation
from people.tests.factories import add_people

pytestmark = pytest.mark.django_db


def tallies():
    return list(rules.for_who(RhythmTally.objects.order_by("pk")))


def hold_for(people):
    for person in people:
        held(make_conversation(person))


def names(groups):
    return {(group.role, person.name) for group in groups for person in group.people}


def test_who_reads_a_tally_of_alices_bucket(cast):
    hold_for([cast.alice])
    [alices] = tallies()
    assert names(rules.who(alices)) == {
        ("line_manager", "Bob Manager"),
        ("chain", "Carol Leader"),
        ("hr", "Erin HR"),
    }


def test_who_of_many_tallies_costs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    HRRole.objects.create(person=cast.dave, scope=cast.engineering)
    hold_for([cast.alice, cast.bob])
    few = tallies()
    # The people named, and HR: two queries, however many tallies.
    with django_assert_max_num_queries(2) as captured:
        rules.who_of(few)
    hold_for(add_people(6, manager=cast.bob, team=cast.sales, prefix="seller"))
    hold_for(add_people(6, manager=cast.dave, team=cast.platform, prefix="builder"))
    many = tallies()
    assert len(many) > len(few)
    with django_assert_max_num_queries(len(captured)):
        answers = rules.who_of(many)
    assert all(answers)


def test_deciding_on_loaded_tallies_costs_no_query(cast, django_assert_num_queries):
    hold_for([cast.alice, *add_people(1, manager=cast.dave, team=cast.sales, prefix="seller")])
    loaded = tallies()
    viewers = [Viewer(person) for person in (cast.bob, cast.carol, cast.dave)]
    for viewer in viewers:
        viewer.hr_role  # noqa: B018 (read once, as a request does)
    with django_assert_num_queries(0):
        decided = [[rules.can(viewer, "view", tally) for tally in loaded] for viewer in viewers]
    assert decided == [[True, False], [True, False], [False, True]]


def test_my_data_says_who_reads_rhythm_health_where_it_counts_me(login, cast):
    hold_for([cast.alice])
    data = login(cast.alice).get(reverse("trust:my_data")).context["data"]
    [rhythm] = [c for c in data.aggregates if c.aggregate.key == "conversations.rhythm_health"]
    readers = {(line.label, p.name) for line in rhythm.who.lines for p in line.people}
    assert readers == {
        ("the line manager", "Bob Manager"),
        ("Bob Manager’s management chain", "Carol Leader"),
        ("HR for the whole organisation", "Erin HR"),
    }


def test_my_data_says_who_would_read_it_before_anything_of_mine_is_counted(login, cast):
    data = login(cast.dave).get(reverse("trust:my_data")).context["data"]
    [rhythm] = [c for c in data.aggregates if c.aggregate.key == "conversations.rhythm_health"]
    assert rhythm.count == 0
    # Dave has no manager: only HR for the whole organisation reads his bucket.
    assert [(line.label, [p.name for p in line.people]) for line in rhythm.who.lines] == [
        ("HR for the whole organisation", ["Erin HR"])
    ]


def test_the_page_and_the_api_say_who_reads_it(login, cast):
    client = login(cast.alice)
    html = client.get(reverse("trust:my_data")).content.decode()
    start = html.index('id="aggregates-h"')
    section = html[start : html.index("</section>", start)]
    assert "Who reads it where it counts you:" in section and "Carol Leader" in section
    aggregates = {a["key"]: a for a in client.get("/api/v1/me/data").json()["aggregates"]}
    read_by = aggregates["conversations.rhythm_health"]["read_by"]
    assert {(g["role"], p["name"]) for g in read_by for p in g["people"]} == {
        ("line_manager", "Bob Manager"),
        ("chain", "Carol Leader"),
        ("hr", "Erin HR"),
    }
    assert aggregates["feedback.anonymous_answers"]["read_by"] is None
