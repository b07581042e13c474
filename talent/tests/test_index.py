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
