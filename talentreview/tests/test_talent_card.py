"""The talent review card on Talent's main page: HR and the chains of the people in a review
see it; a person sees a link to their own placement only where they may see it; a peer and the
administrator see nothing of it."""

from django.urls import reverse

from talentreview.tests.factories import finalised_with_alice, open_placements


def card(login, person):
    page = login(person).get(reverse("talent:index")).content.decode()
    return page


def test_hr_and_the_chain_see_the_review_on_the_card(login, cast):
    placement = finalised_with_alice(cast)
    link = reverse("talentreview:review", args=[placement.review_id])
    for person in (cast.erin, cast.bob, cast.carol):
        assert link in card(login, person)
    for person in (cast.dave, cast.frank, cast.alice):
        page = card(login, person)
        assert link not in page
        assert reverse("talentreview:mine") not in page


def test_the_person_sees_a_link_to_their_own_placement_when_allowed(login, cast):
    finalised_with_alice(cast)
    open_placements()
    assert reverse("talentreview:mine") in card(login, cast.alice)
    assert reverse("talentreview:mine") not in card(login, cast.dave)
