"""Openings: posted by HR for a team in their scope or by a team's lead for their team; seen
by everyone while open; showing and withdrawing interest; ranked by fit for me."""

from django.urls import reverse

from mobility.models import Interest, Opening, OpeningStatus
from people.models import Role
from plans.models import Plan

POST = reverse("mobility:post")
INDEX = reverse("mobility:index")


def form(cast, **changes):
    role = Role.objects.get_or_create(name="Software engineer")[0]
    data = {"title": "Platform engineer", "role": role.pk, "level": 3, "team": cast.platform.pk}
    data.update(changes)
    return data


def test_a_lead_posts_for_their_team_as_its_hiring_manager(login, cast):
    response = login(cast.bob).post(POST, form(cast))
    opening = Opening.objects.get()
    assert response.status_code == 302 and response.url == opening.get_absolute_url()
    assert (opening.hiring_manager, opening.posted_by, opening.status) == (
        cast.bob,
        cast.bob,
        OpeningStatus.OPEN,
    )


def test_hr_posts_with_the_teams_lead_as_hiring_manager_by_default(login, cast):
    assert login(cast.erin).post(POST, form(cast, team=cast.engineering.pk)).status_code == 302
    assert Opening.objects.get().hiring_manager == cast.carol


def test_bad_input_comes_back_with_errors(login, cast):
    response = login(cast.bob).post(POST, form(cast, title="", level=0))
    assert response.status_code == 200
    assert response.content.decode().count('class="error"') >= 2
    assert not Opening.objects.exists()


def test_a_lead_may_not_post_for_a_team_they_do_not_lead(login, cast):
    response = login(cast.carol).post(POST, form(cast))  # Platform is Bob's
    assert response.status_code == 200 and not Opening.objects.exists()
    assert login(cast.alice).get(POST).status_code == 403


def test_the_hiring_manager_edits_and_closes_it_and_then_a_peer_no_longer_sees_it(
    login, cast, make_opening
):
    opening = make_opening()
    Interest.objects.create(person=cast.alice, opening=opening)
    bob = login(cast.bob)
    edit = reverse("mobility:edit", args=[opening.pk])
    assert bob.post(edit, form(cast, title="Senior platform engineer")).status_code == 302
    assert bob.post(reverse("mobility:close", args=[opening.pk])).status_code == 302
    opening.refresh_from_db()
    assert (opening.title, opening.status) == ("Senior platform engineer", OpeningStatus.CLOSED)
    page = reverse("mobility:opening", args=[opening.pk])
    assert login(cast.dave).get(page).status_code == 404
    assert login(cast.alice).get(page).status_code == 200  # she showed interest
    assert login(cast.dave).post(edit, form(cast)).status_code == 404


def test_showing_interest_says_who_will_see_it_and_withdrawing_takes_it_back(
    login, cast, make_opening
):
    opening = make_opening(team=cast.sales, hiring_manager=cast.dave)
    alice = login(cast.alice)
    page = alice.get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "HR and the hiring manager will see that you are interested" in page
    express = reverse("mobility:express", args=[opening.pk])
    assert alice.post(express, {"note": "I sold things once"}).status_code == 302
    assert Interest.objects.get().note == "I sold things once"
    again = alice.post(express, {"note": ""}, follow=True).content.decode()
    assert "already showed interest" in again and Interest.objects.count() == 1
    assert alice.post(reverse("mobility:withdraw", args=[opening.pk])).status_code == 302
    assert not Interest.objects.exists()


def test_a_closed_opening_takes_no_interest(login, cast, make_opening):
    opening = make_opening(status=OpeningStatus.CLOSED)
    Interest.objects.create(person=cast.alice, opening=opening)
    Interest.objects.filter(person=cast.alice).delete()
    assert login(cast.alice).post(reverse("mobility:express", args=[opening.pk])).status_code == 404


def test_openings_are_ranked_by_my_plans_target_and_my_interests(
    login, cast, framework, make_opening
):
    manager_role = Role.objects.get(name="Engineering manager")
    later = make_opening(title="Sales engineer", team=cast.sales, hiring_manager=cast.dave)
    target = make_opening(title="Manager", role="Engineering manager", level=4)
    assert target.role == manager_role
    Plan.objects.create(person=cast.alice, target_track="management", target_level=4)
    page = login(cast.alice).get(INDEX).content.decode()
    assert page.index("Manager") < page.index("Sales engineer")
    assert "your plan&#x27;s target" in page or "your plan's target" in page
    assert later.pk


def test_the_list_filters_by_team(login, cast, make_opening):
    make_opening(title="Platform engineer")
    make_opening(title="Sales engineer", team=cast.sales, hiring_manager=cast.dave)
    page = login(cast.alice).get(INDEX, {"team": cast.sales.pk}).content.decode()
    assert "Sales engineer" in page and "Platform engineer" not in page


def test_my_gap_to_the_opening_comes_from_my_own_levels(login, cast, framework, make_opening):
    from growth.tests.helpers import rated

    rated(cast, mine=4, theirs=2)  # Bob's shared rating of Alice's communication: 2
    opening = make_opening(title="Manager", role="Engineering manager", level=4)
    page = login(cast.alice).get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "What it expects" in page and "Your level now" in page and "met" in page


def test_the_talent_card_shows_openings_and_my_wish_and_supply_for_hr(login, cast, make_opening):
    make_opening()
    page = login(cast.alice).get(reverse("talent:index")).content.decode()
    assert "1 opening is open." in page and "You have not said you are open to a move." in page
    assert reverse("mobility:supply") not in page
    assert (
        reverse("mobility:supply") in login(cast.erin).get(reverse("talent:index")).content.decode()
    )


def test_hr_edits_an_opening_with_its_hiring_manager_chosen_already(login, cast, make_opening):
    opening = make_opening()
    erin = login(cast.erin)
    edit = reverse("mobility:edit", args=[opening.pk])
    assert "Bob Manager" in erin.get(edit).content.decode()
    data = form(cast, title="Renamed", hiring_manager=str(cast.carol.pk))
    assert erin.post(edit, data).status_code == 302
    opening.refresh_from_db()
    assert (opening.title, opening.hiring_manager) == ("Renamed", cast.carol)


def test_the_talent_card_says_when_i_am_open_to_a_move(login, cast, make_opening):
    from mobility.models import MobilityPreference

    make_opening()
    make_opening(title="Closed", status=OpeningStatus.CLOSED)
    MobilityPreference.objects.create(person=cast.alice, open_to_move=True)
    page = login(cast.alice).get(reverse("talent:index")).content.decode()
    assert "1 opening is open." in page and "You said you are open to a move." in page
