"""Talent's main page: in the navigation, and gone with the module's switch."""

from django.urls import reverse

from organisation import current


def test_the_page_is_in_the_navigation(login, cast):
    page = login(cast.alice).get(reverse("talent:index"))
    assert page.status_code == 200
    assert 'class="nav-talent' in page.content.decode()


def test_switched_off_it_is_gone(login, cast):
    found = current.row()
    found.modules_off = ["talent"]
    found.save()
    alice = login(cast.alice)
    assert alice.get(reverse("talent:index")).status_code == 404
    assert 'class="nav-talent' not in alice.get(reverse("home")).content.decode()


def test_the_skills_card_links_to_what_the_viewer_may_open(login, cast):
    team, organisation = reverse("talent:skills_team"), reverse("talent:skills_organisation")
    for who, expected in (
        (cast.alice, set()),
        (cast.dave, set()),
        (cast.frank, set()),
        (cast.bob, {team, organisation}),  # manages Alice, leads Platform
        (cast.carol, {team, organisation}),
        (cast.erin, {organisation}),
    ):
        page = login(who).get(reverse("talent:index")).content.decode()
        assert {url for url in (team, organisation) if f'href="{url}"' in page} == expected, who
