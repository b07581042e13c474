"""Open to a move reaches only whom the person chose: HR whose scope covers them, and their
current manager only if they said so. Attacked from every side a manager could learn it from:
their pages and API, an opening's lists, notifications, an HR role of their own."""

import pytest
from django.urls import reverse

from access.models import HRRole
from mobility.models import Audience, Interest, MobilityPreference
from notifications.models import Notification
from trust.models import AccessLogEntry

INDEX = reverse("mobility:index")


def open_to_move(person, audience=Audience.HR, note="Ready for something new"):
    return MobilityPreference.objects.create(
        person=person, open_to_move=True, audience=audience, note=note
    )


def pages_of(client, opening):
    """Everything of mobility a signed-in person may open, as one text."""
    urls = [
        reverse("talent:index"),
        INDEX,
        reverse("mobility:preference"),
        reverse("mobility:opening", args=[opening.pk]),
        reverse("api:list_openings"),
        reverse("api:get_opening", args=[opening.pk]),
        reverse("api:list_opening_interests", args=[opening.pk]),
        reverse("api:get_my_mobility_preference"),
        reverse("notifications:index"),
    ]
    return "".join(client.get(url).content.decode() for url in urls)


def test_a_manager_never_learns_their_report_is_open_to_a_move_for_hr(login, cast, make_opening):
    open_to_move(cast.alice)
    # Bob is the hiring manager of an opening; Alice shows interest in another (Carol's).
    bobs = make_opening()
    carols = make_opening(title="Lead", team=cast.engineering, hiring_manager=cast.carol)
    login(cast.alice).post(reverse("mobility:express", args=[carols.pk]), {"note": ""})
    for person in (cast.bob, cast.carol, cast.dave, cast.frank):
        text = pages_of(login(person), bobs)
        assert "Alice" not in text and "Ready for something new" not in text, person.name
    assert not Notification.objects.filter(recipient=cast.bob).exists()


def test_with_hr_and_manager_the_manager_sees_it_and_the_chain_above_does_not(
    login, cast, make_opening
):
    open_to_move(cast.alice, Audience.HR_AND_MANAGER)
    opening = make_opening()
    assert "Ready for something new" in login(cast.bob).get(INDEX).content.decode()
    assert "Alice" not in pages_of(login(cast.carol), opening)
    assert "Alice" not in pages_of(login(cast.dave), opening)


def test_hr_in_scope_sees_it_ranked_on_an_opening_and_the_read_is_in_her_access_log(
    login, cast, make_opening
):
    open_to_move(cast.alice)
    opening = make_opening()
    page = login(cast.erin).get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "People open to a move" in page and "Alice Employee" in page
    # HR sees no levels: the ranking says what it uses instead.
    assert "Not their levels" in page
    assert AccessLogEntry.objects.filter(
        subject=cast.alice, viewer=cast.erin, kind="mobility.preference"
    ).exists()


def test_hr_outside_the_persons_scope_does_not_see_it(login, cast, make_opening):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    open_to_move(cast.alice)
    opening = make_opening(team=cast.sales, hiring_manager=cast.dave)
    assert "Alice" not in pages_of(login(cast.erin), opening)


def test_a_wish_no_longer_open_is_seen_by_nobody_else(login, cast, make_opening):
    preference = open_to_move(cast.alice, Audience.HR_AND_MANAGER)
    preference.open_to_move = False
    preference.save()
    opening = make_opening()
    for person in (cast.bob, cast.erin):
        assert "Alice" not in pages_of(login(person), opening)


@pytest.mark.parametrize(
    ("audience", "sees"), [(Audience.HR, False), (Audience.HR_AND_MANAGER, True)]
)
def test_a_manager_who_is_also_hr_sees_it_only_if_allowed(
    login, cast, make_opening, audience, sees
):
    HRRole.objects.create(person=cast.bob, scope=cast.platform)
    open_to_move(cast.alice, audience)
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    text = pages_of(login(cast.bob), opening)
    assert ("Ready for something new" in text) is sees


@pytest.mark.parametrize(
    ("audience", "told"), [(Audience.HR, False), (Audience.HR_AND_MANAGER, True)]
)
def test_showing_interest_tells_hr_in_scope_and_the_manager_as_hr_only_if_allowed(
    login, cast, make_opening, mailoutbox, audience, told
):
    HRRole.objects.create(person=cast.bob, scope=cast.platform)
    open_to_move(cast.alice, audience)
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    login(cast.alice).post(reverse("mobility:express", args=[opening.pk]), {"note": "Keen"})
    erins = Notification.objects.get(recipient=cast.erin)
    assert erins.kind == "mobility_interest" and erins.link == opening.get_absolute_url()
    assert Notification.objects.filter(recipient=cast.bob).exists() is told
    assert not Notification.objects.filter(recipient__in=[cast.alice, cast.carol]).exists()
    assert {message.to[0] for message in mailoutbox} == (
        {cast.erin.email, cast.bob.email} if told else {cast.erin.email}
    )


def test_the_hiring_manager_sees_who_showed_interest_and_nobody_else_open_to_a_move(
    login, cast, make_opening
):
    open_to_move(cast.dave, note="Dave wants out")
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    Interest.objects.create(person=cast.alice, opening=opening, note="Pick me")
    page = login(cast.carol).get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "Interested people" in page and "Alice Employee" in page and "Pick me" in page
    assert "People open to a move" not in page and "Dave" not in page
    # A peer opens the same page: no interested people at all.
    page = login(cast.dave).get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "Alice" not in page and "Interested people" not in page


def test_someone_elses_interest_is_hidden_from_the_api_of_a_peer(login, cast, make_opening):
    opening = make_opening()
    Interest.objects.create(person=cast.alice, opening=opening)
    answer = login(cast.dave).get(reverse("api:list_opening_interests", args=[opening.pk]))
    assert answer.json() == []
    answer = login(cast.bob).get(reverse("api:list_opening_interests", args=[opening.pk]))
    assert [row["person"]["name"] for row in answer.json()] == ["Alice Employee"]


def test_hr_cannot_hand_an_opening_s_interests_to_someone_the_person_was_not_told_of(
    login, cast, make_opening
):
    """Alice showed interest in Carol's opening, told that HR and Carol would see it. HR may
    not then make Bob, Alice's own manager, its hiring manager (page or API): he would learn
    that she wants to move."""
    opening = make_opening(team=cast.engineering, hiring_manager=cast.carol)
    Interest.objects.create(person=cast.alice, opening=opening, note="Pick me")
    answer = login(cast.erin).patch(
        f"/api/v1/talent/openings/{opening.pk}",
        {"hiring_manager_id": cast.bob.pk},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "post a new opening" in str(answer.json()["detail"])
    opening.refresh_from_db()
    assert opening.hiring_manager_id == cast.carol.pk
    page = login(cast.bob).get(reverse("mobility:opening", args=[opening.pk])).content.decode()
    assert "Pick me" not in page
