"""Every read of someone's placement by someone else lands in their access log ("who looked at
my data"): their manager opening it, HR reading the grid (each request, as the log records
each), the API's lists; reading one's own is not logged; My data says a review included them
and who can see the placement, whether or not they may see it themselves."""

from django.urls import reverse

from talentreview.tests.factories import finalised_with_alice, open_placements, place_alice
from trust.models import AccessLogEntry

KIND = "talentreview.placements"


def entries(subject):
    return list(AccessLogEntry.objects.filter(subject=subject, kind=KIND).order_by("pk"))


def test_the_managers_and_hrs_reads_are_in_the_persons_log(login, cast):
    placement = place_alice(cast)
    login(cast.bob).get(reverse("talentreview:placement", args=[placement.pk]))
    login(cast.erin).get(reverse("talentreview:review", args=[placement.review_id]))
    found = entries(cast.alice)
    assert [(e.viewer_id, e.item) for e in found] == [
        (cast.bob.pk, placement.pk),
        (cast.erin.pk, None),  # a list: the grid
    ]
    page = login(cast.alice).get(reverse("trust:access_log")).content.decode()
    assert "Bob Manager" in page and "Erin HR" in page
    assert "Your placements in talent reviews" in page


def test_reading_the_grid_twice_logs_each_read(login, cast):
    placement = place_alice(cast)
    client = login(cast.carol)
    for _ in range(2):
        client.get(reverse("talentreview:review", args=[placement.review_id]))
    assert [e.viewer_id for e in entries(cast.alice)] == [cast.carol.pk, cast.carol.pk]


def test_the_api_reads_are_logged_too(login, cast):
    placement = place_alice(cast)
    login(cast.erin).get(reverse("api:list_placements", args=[placement.review_id]))
    login(cast.bob).get(reverse("api:get_placement", args=[placement.pk]))
    assert {(e.viewer_id, e.channel) for e in entries(cast.alice)} == {
        (cast.erin.pk, "api"),
        (cast.bob.pk, "api"),
    }


def test_reading_ones_own_placement_is_not_logged(login, cast):
    placement = finalised_with_alice(cast)
    open_placements()
    login(cast.alice).get(reverse("talentreview:placement", args=[placement.pk]))
    assert entries(cast.alice) == []


def test_my_data_says_a_review_included_me_and_who_sees_the_placement(login, cast):
    place_alice(cast)
    response = login(cast.alice).get(reverse("trust:my_data"))
    page = response.content.decode()
    assert "Talent reviews that included you" in page
    assert "Your placements in talent reviews" in page
    talent = next(m for m in response.context["data"].modules if m.key == "talent")
    counts = {k.kind.key: k.count for k in talent.kinds}
    assert counts["talentreview.included"] == 1
    assert counts["talentreview.placements"] == 0  # not hers to see (the setting is off)
    placements = next(k for k in talent.kinds if k.kind.key == "talentreview.placements")
    named = {p.pk for line in placements.who.lines for p in line.people}
    assert named == {cast.bob.pk, cast.carol.pk, cast.erin.pk}


def test_my_export_holds_that_a_review_included_me_and_my_placement_only_when_i_may_see_it(cast):
    from access import catalogue
    from access.viewer import Viewer
    from trust.exporting import items_of

    placement = finalised_with_alice(cast)
    alice = Viewer(person=cast.alice)
    included = catalogue.get("talentreview.included")
    placements = catalogue.get(KIND)
    assert [p.pk for p in items_of(alice, cast.alice, included)] == [placement.pk]
    assert list(items_of(alice, cast.alice, placements)) == []
    open_placements()
    assert [p.pk for p in items_of(alice, cast.alice, placements)] == [placement.pk]
