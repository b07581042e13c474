"""The team tree, a team's page, and HR adding, editing and moving teams."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from people.models import Person, Team
from people.tests.factories import add_organisation

TREE = reverse("people:teams")
ADD = reverse("people:team_create")
NOT_HR = ["alice", "bob", "carol", "dave", "frank"]
NOT_UNDER_ITSELF = "A team cannot be part of itself or of one of its sub-teams."


def team_url(team):
    return reverse("people:team", args=[team.pk])


def edit_url(team):
    return reverse("people:team_edit", args=[team.pk])


def team_data(team, **changes):
    data = {
        "name": team.name,
        "parent": team.parent_id or "",
        "lead": team.lead.email if team.lead_id else "",
    }
    return {**data, **changes}


@pytest.fixture
def backend(cast):
    """A team below Platform: Engineering › Platform › Backend."""
    return Team.objects.create(name="Backend", parent=cast.platform)


# --- The tree -----------------------------------------------------------------------------------


def test_it_lists_the_teams_as_a_tree(login, cast):
    response = login(cast.alice).get(TREE)
    assert response.status_code == 200
    rows = [(row["team"].name, row["depth"]) for row in response.context["rows"]]
    assert ("Platform", 1) in rows
    assert ("Engineering", 0) in rows
    assert rows.index(("Platform", 1)) == rows.index(("Engineering", 0)) + 1
    assert f'<li class="depth-1"><a href="{team_url(cast.platform)}">Platform</a>' in (
        response.text
    )


def test_it_counts_the_current_members_of_each_team(login, cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    response = login(cast.alice).get(TREE)
    sizes = {row["team"].name: row["team"].size for row in response.context["rows"]}
    assert sizes == {"Engineering": 1, "Platform": 2, "Sales": 0, "People": 1}
    assert "2 people · led by Bob Manager" in response.text
    assert "1 person · led by Carol Leader" in response.text


def test_it_shows_the_top_three_levels_and_links_to_what_is_below(login, cast):
    deep = Team.objects.create(name="Deep", parent=cast.platform)
    Team.objects.create(name="Deeper", parent=deep)
    response = login(cast.alice).get(TREE)
    names = [row["team"].name for row in response.context["rows"]]
    assert "Deep" in names
    assert "Deeper" not in names
    assert f'<a href="{team_url(deep)}">1 sub-team</a>' in response.text


def test_it_finds_teams_by_name_with_their_place_in_the_tree(login, cast):
    response = login(cast.alice).get(TREE, {"q": "plat"})
    assert [row["team"].name for row in response.context["rows"]] == ["Platform"]
    assert "Engineering › " in response.text


def test_it_says_when_no_team_matches(login, cast):
    response = login(cast.alice).get(TREE, {"q": "nothing like it"})
    assert "No team has that in its name." in response.text


def test_the_tree_does_a_fixed_number_of_queries(login, cast, django_assert_num_queries):
    client = login(cast.alice)
    client.get(TREE)
    for i in range(20):
        Team.objects.create(name=f"Extra {i}", parent=cast.sales)
    with django_assert_num_queries(4):
        client.get(TREE)
    with django_assert_num_queries(5):
        client.get(TREE, {"q": "extra"})


def test_it_offers_adding_a_team_to_hr_only(login, cast):
    assert ADD in login(cast.erin).get(TREE).text
    for person in (cast.alice, cast.frank):
        assert ADD not in login(person).get(TREE).text


def test_the_tree_sends_anonymous_people_to_sign_in(client, cast):
    response = client.get(TREE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_tree_query_count_does_not_grow_with_the_people(login, cast):
    def count_queries():
        client = login(cast.alice)
        with CaptureQueriesContext(connection) as queries:
            client.get(TREE)
        return len(queries)

    add_organisation(30, team=cast.engineering, manager=cast.carol)
    small = count_queries()
    add_organisation(300, team=cast.sales, manager=cast.dave, name="big")
    assert count_queries() == small


# --- A team's page ------------------------------------------------------------------------------


def test_it_shows_a_team_with_breadcrumbs(login, cast, backend):
    response = login(cast.dave).get(team_url(backend))
    assert response.status_code == 200
    assert response.context["ancestors"] == [cast.engineering, cast.platform]
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', response.text, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)
    assert links == [
        (TREE, "Teams"),
        (team_url(cast.engineering), "Engineering"),
        (team_url(cast.platform), "Platform"),
    ]


def test_it_shows_lead_members_and_sub_teams(login, cast, backend):
    response = login(cast.dave).get(team_url(cast.platform))
    assert list(response.context["members"]) == [cast.alice, cast.bob]
    assert [(t.name, t.size) for t in response.context["subteams"]] == [("Backend", 0)]
    assert "Lead: <a" in response.text
    assert "Bob Manager" in response.text


def test_it_counts_the_members_of_sub_teams(login, cast):
    response = login(cast.alice).get(team_url(cast.engineering))
    assert list(response.context["members"]) == [cast.carol]
    assert 'Platform</a> <span class="muted">2 people</span>' in response.text


def test_it_hides_members_who_have_left(login, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    for person in (cast.dave, cast.erin):
        assert list(login(person).get(team_url(cast.platform)).context["members"]) == [cast.bob]


def test_an_unknown_team_is_not_found(login, cast):
    assert login(cast.alice).get(reverse("people:team", args=[999_999])).status_code == 404


def test_it_offers_editing_to_hr_only(login, cast):
    assert edit_url(cast.platform) in login(cast.erin).get(team_url(cast.platform)).text
    for person in (cast.alice, cast.bob, cast.frank):
        assert edit_url(cast.platform) not in login(person).get(team_url(cast.platform)).text


# --- Adding and editing -------------------------------------------------------------------------


def test_hr_adds_a_team(login, cast):
    data = {"name": "Mobile", "parent": cast.engineering.pk, "lead": "Bob@Example.com"}
    response = login(cast.erin).post(ADD, data, follow=True)
    mobile = Team.objects.get(name="Mobile")
    assert response.redirect_chain[-1][0] == team_url(mobile)
    assert "The team Mobile is added." in response.text
    assert mobile.parent == cast.engineering
    assert mobile.path == f"{cast.engineering.path}{mobile.pk}/"
    assert mobile.lead == cast.bob


def test_hr_adds_a_team_at_the_top(login, cast):
    login(cast.erin).post(ADD, {"name": "Finance", "parent": "", "lead": ""})
    finance = Team.objects.get(name="Finance")
    assert finance.path == f"/{finance.pk}/"


def test_the_add_form_starts_below_the_chosen_team(login, cast):
    response = login(cast.erin).get(ADD, {"parent": cast.platform.pk})
    assert response.context["form"]["parent"].value() == str(cast.platform.pk)


def test_adding_refuses_an_unknown_lead(login, cast):
    data = {"name": "Mobile", "parent": "", "lead": "nobody@example.com"}
    response = login(cast.erin).post(ADD, data)
    assert "Nobody found for “nobody@example.com”" in response.text
    assert not Team.objects.filter(name="Mobile").exists()


def test_hr_cannot_make_themselves_the_lead_of_a_new_team(login, cast):
    data = {"name": "Mobile", "parent": cast.engineering.pk, "lead": cast.erin.email}
    response = login(cast.erin).post(ADD, data)
    assert "You cannot make yourself a team&#x27;s lead" in response.text
    assert not Team.objects.filter(name="Mobile").exists()


def test_hr_cannot_make_themselves_the_lead_of_a_team(login, cast):
    # A lead reads the goals its members share with the team: a write power, not a read right.
    data = team_data(cast.platform, lead=cast.erin.email)
    response = login(cast.erin).post(edit_url(cast.platform), data)
    assert "You cannot make yourself a team&#x27;s lead" in response.text
    cast.platform.refresh_from_db()
    assert cast.platform.lead == cast.bob


def test_a_colleague_may_make_hr_a_lead_and_the_lead_may_keep_editing(login, cast):
    other_hr = Person.objects.create_user("gina@example.com", "pw", name="Gina HR")
    HRRole.objects.create(person=other_hr)
    login(other_hr).post(
        edit_url(cast.people_team), team_data(cast.people_team, lead=cast.erin.email)
    )
    cast.people_team.refresh_from_db()
    assert cast.people_team.lead == cast.erin
    data = team_data(cast.people_team, name="People & Culture", lead=cast.erin.email)
    login(cast.erin).post(edit_url(cast.people_team), data)
    cast.people_team.refresh_from_db()
    assert (cast.people_team.name, cast.people_team.lead) == ("People & Culture", cast.erin)


def test_hr_renames_a_team(login, cast):
    data = team_data(cast.platform, name="Platform & Infra")
    response = login(cast.erin).post(edit_url(cast.platform), data, follow=True)
    assert "Changes to Platform &amp; Infra are saved." in response.text
    cast.platform.refresh_from_db()
    assert cast.platform.name == "Platform & Infra"


def test_hr_moves_a_team_with_its_sub_teams(login, cast, backend):
    login(cast.erin).post(edit_url(cast.platform), team_data(cast.platform, parent=cast.sales.pk))
    cast.platform.refresh_from_db()
    backend.refresh_from_db()
    assert cast.platform.path == f"/{cast.sales.pk}/{cast.platform.pk}/"
    assert backend.path == f"/{cast.sales.pk}/{cast.platform.pk}/{backend.pk}/"


def test_moving_a_team_moves_its_people_in_the_directory(login, cast):
    login(cast.erin).post(edit_url(cast.platform), team_data(cast.platform, parent=cast.sales.pk))
    page = login(cast.dave).get(reverse("people:directory"), {"team": cast.sales.pk})
    assert [p.name for p in page.context["page"].object_list] == [
        "Alice Employee",
        "Bob Manager",
        "Dave Peer",
    ]


def test_a_team_cannot_be_part_of_itself(login, cast):
    data = team_data(cast.platform, parent=cast.platform.pk)
    response = login(cast.erin).post(edit_url(cast.platform), data)
    assert response.status_code == 400
    assert NOT_UNDER_ITSELF in response.text
    cast.platform.refresh_from_db()
    assert cast.platform.parent == cast.engineering


def test_a_team_cannot_be_part_of_its_sub_team(login, cast, backend):
    data = team_data(cast.engineering, parent=backend.pk)
    response = login(cast.erin).post(edit_url(cast.engineering), data)
    assert NOT_UNDER_ITSELF in response.text
    cast.engineering.refresh_from_db()
    backend.refresh_from_db()
    assert cast.engineering.parent is None
    assert backend.path == f"/{cast.engineering.pk}/{cast.platform.pk}/{backend.pk}/"


def test_the_edit_form_offers_only_possible_parents(login, cast, backend):
    response = login(cast.erin).get(edit_url(cast.platform))
    offered = [value for value, _label in response.context["form"]["parent"].field.widget.choices]
    assert cast.engineering.pk in offered
    assert cast.sales.pk in offered
    assert cast.platform.pk not in offered
    assert backend.pk not in offered


def test_an_unknown_parent_is_refused(login, cast):
    data = team_data(cast.platform, parent=999_999)
    response = login(cast.erin).post(edit_url(cast.platform), data)
    assert "Select a valid choice." in response.text


@pytest.mark.parametrize("who", NOT_HR)
def test_adding_a_team_is_forbidden_outside_hr(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"name": "Rogue", "parent": ""}).status_code == 403
    assert not Team.objects.filter(name="Rogue").exists()


@pytest.mark.parametrize("who", NOT_HR)
def test_editing_a_team_is_forbidden_outside_hr(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(edit_url(cast.platform)).status_code == 403
    data = team_data(cast.platform, name="Rogue")
    assert client.post(edit_url(cast.platform), data).status_code == 403
    cast.platform.refresh_from_db()
    assert cast.platform.name == "Platform"


def test_editing_an_unknown_team_is_not_found(login, cast):
    assert login(cast.erin).get(reverse("people:team_edit", args=[999_999])).status_code == 404


# --- HR scoped to a part of the organisation ---------------------------------------------------


@pytest.fixture
def scoped_hr(cast):
    """Erin covers Engineering and below only."""
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    return cast.erin


def test_scoped_hr_edits_teams_in_its_scope(login, cast, scoped_hr, backend):
    client = login(scoped_hr)
    response = client.post(edit_url(backend), team_data(backend, name="Back end"))
    assert response.status_code == 302
    backend.refresh_from_db()
    response = client.post(edit_url(backend), team_data(backend, parent=cast.engineering.pk))
    assert response.status_code == 302
    backend.refresh_from_db()
    assert (backend.name, backend.parent) == ("Back end", cast.engineering)


def test_scoped_hr_renames_its_own_top_team(login, cast, scoped_hr):
    data = team_data(cast.engineering, name="R&D")
    assert login(scoped_hr).post(edit_url(cast.engineering), data).status_code == 302


def test_scoped_hr_cannot_edit_teams_outside_its_scope(login, cast, scoped_hr):
    client = login(scoped_hr)
    assert client.get(edit_url(cast.sales)).status_code == 403
    assert client.post(edit_url(cast.sales), team_data(cast.sales, name="X")).status_code == 403
    assert edit_url(cast.sales) not in client.get(team_url(cast.sales)).text


def test_scoped_hr_cannot_move_a_team_out_of_its_scope(login, cast, scoped_hr):
    client = login(scoped_hr)
    for parent in (cast.sales.pk, ""):
        response = client.post(edit_url(cast.platform), team_data(cast.platform, parent=parent))
        assert response.status_code == 400
        assert "Choose a team within your part of the organisation." in response.text
    cast.platform.refresh_from_db()
    assert cast.platform.parent == cast.engineering


def test_scoped_hr_cannot_add_teams(login, cast, scoped_hr):
    client = login(scoped_hr)
    assert client.get(ADD).status_code == 403
    page = client.get(team_url(cast.engineering)).text
    assert edit_url(cast.engineering) in page
    assert ADD not in page
