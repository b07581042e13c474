"""My data's first tab: every kind of data about me, how many items, who can see it by name and
role (derived from the rules), what nobody else can see, and the reports that count me; through
the real page, as each role of the cast."""

import re

import pytest
from django.urls import reverse

from access import catalogue
from access.models import HRRole
from conftest import make_person
from conversations.models import Status
from conversations.tests.factories import add_private_note, make_conversation
from feedback.models import Kind, RaterGroup, Visibility
from feedback.tests.factories import add_participant, give, invite, make_cycle, make_request
from goals.models import Visibility as GoalVisibility
from goals.tests.factories import make_goal
from trust.data import my_data

URL = reverse("trust:my_data")


def kind_of(response, key):
    """The page's entry for one kind."""
    for module in response.context["data"].modules:
        for item in module.kinds:
            if item.kind.key == key:
                return item
    raise AssertionError(f"No {key} on the page")


def lines(item):
    """{role label: [names]} of who can see a kind."""
    return {line.label: [p.name for p in line.people] for line in item.who.lines}


def section(html, heading_id):
    """The HTML of the section headed by the element with this id."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_it_lists_every_registered_kind_grouped_by_module(login, cast):
    response = login(cast.alice).get(URL)
    assert response.status_code == 200
    shown = [item.kind.key for m in response.context["data"].modules for item in m.kinds]
    assert sorted(shown) == sorted(kind.key for kind in catalogue.registered())
    for kind in catalogue.registered():
        assert str(kind.label) in response.text
    assert [m.label for m in response.context["data"].modules][:2] == [
        "You and your job",
        "Goals",
    ]


def test_the_employee_sees_her_manager_chain_and_hr_by_name_and_role(login, cast):
    make_goal(cast.alice, visibility=GoalVisibility.PRIVATE)
    response = login(cast.alice).get(URL)
    private = kind_of(response, "goals.private")
    assert private.count == 1
    assert lines(private) == {"you": ["Alice Employee"], "your manager": ["Bob Manager"]}
    assert "<strong>Bob Manager</strong> — your manager" in response.text
    employment = kind_of(response, "people.employment")
    assert lines(employment) == {
        "you": ["Alice Employee"],
        "your management chain": ["Bob Manager", "Carol Leader"],
        "HR for the whole organisation": ["Erin HR"],
    }


def test_hr_scoped_to_a_team_is_named_with_its_scope_and_counted(login, cast):
    gina = make_person("gina@example.com", "Gina Engineering HR")
    hugo = make_person("hugo@example.com", "Hugo Engineering HR")
    HRRole.objects.create(person=gina, scope=cast.engineering)
    HRRole.objects.create(person=hugo, scope=cast.engineering)
    response = login(cast.alice).get(URL)
    employment = kind_of(response, "people.employment")
    assert lines(employment)["HR for Engineering"] == ["Gina Engineering HR", "Hugo Engineering HR"]
    assert "<strong>HR for Engineering</strong>: 2 people" in response.text
    # Dave, in Sales, is not covered by Engineering's HR.
    dave = kind_of(login(cast.dave).get(URL), "people.employment")
    assert "HR for Engineering" not in lines(dave)


def test_an_administrator_is_never_named_unless_a_rule_grants_him(login, cast):
    make_goal(cast.alice, visibility=GoalVisibility.TEAM)
    give(cast.dave, cast.alice, visibility=Visibility.TEAM)
    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.erin):
        response = login(person).get(URL)
        named = {
            item.kind.key
            for module in response.context["data"].modules
            for item in module.kinds
            for line in item.who.lines
            if cast.frank in line.people
        }
        # Only the audit log grants administrators anything: the changes made about you.
        assert named == {"trust.audit"}, person


def test_the_administrator_sees_his_own_data_and_that_hr_can_see_his_details(login, cast):
    response = login(cast.frank).get(URL)
    employment = kind_of(response, "people.employment")
    assert lines(employment) == {
        "you": ["Frank Admin"],
        "HR for the whole organisation": ["Erin HR"],
    }


def test_a_leader_without_a_manager_keeps_her_private_goals_to_herself(login, cast):
    make_goal(cast.carol, visibility=GoalVisibility.PRIVATE)
    response = login(cast.carol).get(URL)
    assert kind_of(response, "goals.private").only_you
    assert "Private goals: only you." in section(response.text, "nobody-h")


def test_hr_sees_itself_among_those_who_see_its_details(login, cast):
    employment = kind_of(login(cast.erin).get(URL), "people.employment")
    assert employment.only_you  # Erin is the only HR, and has no manager


def test_a_manager_sees_his_own_chain(login, cast):
    make_goal(cast.bob, visibility=GoalVisibility.TEAM)
    team = kind_of(login(cast.bob).get(URL), "goals.team")
    assert lines(team)["your management chain"] == ["Carol Leader"]
    assert lines(team)["your team, Platform"] == ["Alice Employee", "Bob Manager"]


def test_a_peer_in_another_team_sees_his_team_mates_not_alices(login, cast):
    colleague = make_person("sam@example.com", "Sam Sales", team=cast.sales)
    make_goal(cast.dave, visibility=GoalVisibility.TEAM)
    team = kind_of(login(cast.dave).get(URL), "goals.team")
    assert lines(team)["your team, Sales"] == ["Dave Peer", colleague.name]


def test_private_notes_are_only_mine_and_the_anonymous_answer_is_nobodys(login, cast):
    add_private_note(make_conversation(cast.alice), cast.alice)
    response = login(cast.alice).get(URL)
    notes = kind_of(response, "conversations.private_notes")
    assert notes.count == 1 and notes.only_you
    nobody = section(response.text, "nobody-h")
    assert "Private notes: only you." in nobody
    assert "Cadence itself does not know" in nobody


def test_items_with_different_audiences_show_the_union_with_counts(login, cast):
    """Feedback shared with my manager of now and with the one before: both, each with its
    number of items."""
    old_manager = make_person("olga@example.com", "Olga Former Manager", team=cast.platform)
    give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, shared_with=cast.bob)
    give(cast.carol, cast.alice, kind=Kind.CONSTRUCTIVE, shared_with=cast.bob)
    give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, shared_with=old_manager)
    response = login(cast.alice).get(URL)
    shared = kind_of(response, "feedback.shared")
    assert shared.count == 3
    line = next(line for line in shared.who.lines if line.role == "shared_with")
    assert line.items_of == {cast.bob.pk: 2, old_manager.pk: 1}
    assert not line.partial
    givers = next(line for line in shared.who.lines if line.role == "giver")
    assert givers.items_of == {cast.dave.pk: 2, cast.carol.pk: 1}
    html = section(response.text, "kind-feedbackshared-h")
    assert 'Bob Manager <span class="muted">2 items</span>' in html
    assert 'Olga Former Manager <span class="muted">1 item</span>' in html


def test_a_role_that_sees_only_some_items_says_how_many(login, cast):
    give(cast.bob, cast.alice, visibility=Visibility.TEAM)
    give(cast.bob, cast.alice, visibility=Visibility.PRIVATE)
    received = kind_of(login(cast.alice).get(URL), "feedback.received")
    team = next(line for line in received.who.lines if line.role == "team")
    assert (team.items, team.total) == (1, 2) and team.partial


def test_a_kind_i_have_none_of_shows_who_would_see_one(login, cast):
    response = login(cast.alice).get(URL)
    requests = kind_of(response, "feedback.requests")
    assert requests.count == 0 and requests.from_example
    asked = next(line for line in requests.who.lines if line.role == "asked")
    assert asked.example and asked.people == []
    html = section(response.text, "module-feedback-h")
    assert "none yet" in html and "Who would see it:" in html
    make_request(cast.alice, [cast.dave])
    requests = kind_of(login(cast.alice).get(URL), "feedback.requests")
    assert requests.count == 1
    assert lines(requests)["the people you asked"] == ["Dave Peer"]


def test_a_360_cycle_still_in_draft_is_not_shown_to_the_person_in_it(login, cast):
    add_participant(make_cycle(status="draft"), cast.alice)
    assert kind_of(login(cast.alice).get(URL), "feedback.reviews").count == 0
    add_participant(make_cycle(name="Autumn 360", status="nominating"), cast.alice)
    reviews = kind_of(login(cast.alice).get(URL), "feedback.reviews")
    assert reviews.count == 1
    assert lines(reviews)["your manager when the cycle started"] == ["Bob Manager"]


def test_reports_that_count_me_as_a_number_are_listed(login, cast):
    make_conversation(cast.alice)
    participant = add_participant(make_cycle(), cast.dave)
    invite(participant, cast.alice, group=RaterGroup.PEER, answered=True)
    response = login(cast.alice).get(URL)
    counted = {c.aggregate.key: c.count for c in response.context["data"].aggregates}
    assert counted == {
        "conversations.rhythm_health": 1,
        "feedback.anonymous_answers": 1,
        "talent.skills_heatmap": 0,
        "surveys.results": 0,
        "mobility.supply_and_demand": 0,
        "insights.group_figures": 1,
    }
    html = section(response.text, "aggregates-h")
    assert "Rhythm health" in html and "counts 1 item of yours" in html
    assert set(counted) == {a.key for a in catalogue.aggregates()}


def test_a_later_registration_appears_by_itself(login, cast, monkeypatch):
    from django.db.models import Q

    from people.models import Person

    monkeypatch.setattr(catalogue, "_kinds", dict(catalogue._kinds))
    monkeypatch.setattr(catalogue, "_aggregates", dict(catalogue._aggregates))
    catalogue._kinds["growth.plan"] = catalogue.DataKind(
        "growth.plan", "Development plan", Person, subject="pk", where={}, module="growth"
    )
    catalogue.register_aggregate(
        catalogue.Aggregate(
            "surveys.pulse",
            "Pulse survey results",
            "Your answers count in your team's results.",
            counted=lambda person_id: [Person.objects.filter(Q(pk=person_id))],
        )
    )
    response = login(cast.alice).get(URL)
    assert "Development plan" in response.text and "Growth" in response.text
    assert "Pulse survey results" in response.text


@pytest.mark.parametrize("who", ["alice", "bob", "erin"])
def test_the_page_takes_a_fixed_number_of_queries_however_much_there_is(
    login, cast, who, django_assert_max_num_queries
):
    person = getattr(cast, who)

    def fill(number):
        for index in range(number):
            conversation = make_conversation(cast.alice, cast.bob, status=Status.HELD)
            add_private_note(conversation, cast.alice)
            give(cast.dave, person, visibility=Visibility.TEAM, shared_with=person.manager)
            give(person, [cast.carol, cast.dave][index % 2], visibility=Visibility.TEAM)
            make_goal(person, visibility=GoalVisibility.TEAM)
            make_request(person, [cast.dave, cast.carol])
            add_participant(make_cycle(name=f"Cycle {number} {index}"), person)

    fill(2)
    client = login(person)
    client.get(URL)
    # 18 (Alice; Bob 16, Erin 15): one counting every kind and every aggregate, one per model
    # the person has items of (the person, goals, conversations, private notes, feedback,
    # requests and their asks, 360 participations: 8), the people in every audience together
    # and who reads rhythm health (5), and the page's own (session, viewer, HR role,
    # navigation). A kind the person has none of costs nothing (`test_my_data_queries.py`).
    with django_assert_max_num_queries(18) as few:
        client.get(URL)
    fill(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


def test_my_data_builds_the_same_as_the_page_shows(login, cast):
    from access.viewer import Viewer

    response = login(cast.alice).get(URL)
    built = my_data(Viewer(person=cast.alice))
    assert [k.kind.key for m in built.modules for k in m.kinds] == [
        k.kind.key for m in response.context["data"].modules for k in m.kinds
    ]


def test_every_id_on_the_page_is_unique(login, cast):
    html = login(cast.alice).get(URL).text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_signed_out_it_asks_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
