"""The openings list reads its lists with SQL kept per viewer state and day
(`cadence.waiting.kept_rows`): only the SQL is kept, never the rows, so what changed since the
last page shows on the next, and each person's page shows their own wish and interests."""

from django.urls import reverse

from mobility.models import Interest, MobilityPreference

INDEX = reverse("mobility:index")


def test_what_changed_since_the_last_page_shows_on_the_next(login, cast, framework, make_opening):
    alice = login(cast.alice)
    first = make_opening(title="First opening")
    page = alice.get(INDEX).content.decode()
    assert "First opening" in page and "You said you are open to a move." not in page
    assert "None yet." in page
    make_opening(title="Second opening")
    MobilityPreference.objects.create(person=cast.alice, open_to_move=True)
    Interest.objects.create(person=cast.alice, opening=first)
    page = alice.get(INDEX).content.decode()
    assert "Second opening" in page
    assert "You said you are open to a move." in page
    assert "None yet." not in page


def test_each_person_sees_their_own_wish_and_interests(login, cast, framework, make_opening):
    opening = make_opening(title="Platform engineer")
    MobilityPreference.objects.create(person=cast.alice, open_to_move=True)
    MobilityPreference.objects.create(person=cast.dave, open_to_move=False)
    Interest.objects.create(person=cast.alice, opening=opening)
    alice = login(cast.alice).get(INDEX).content.decode()
    dave = login(cast.dave).get(INDEX).content.decode()
    assert "You said you are open to a move." in alice and "None yet." not in alice
    assert "You said you are not open to a move now." in dave and "None yet." in dave
    again = login(cast.alice).get(INDEX).content.decode()
    assert "You said you are open to a move." in again
