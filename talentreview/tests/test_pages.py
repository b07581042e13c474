"""The talent review pages, per role, through the real views: HR starts a review, managers
place their reports in draft, HR opens the meeting and adjusts, HR finalises; the grid shows
each viewer the placements they may see; forms re-render with their errors."""

from django.urls import reverse

from access.models import HRRole
from talentreview.models import Placement, Status, TalentReview
from talentreview.tests.factories import (
    finalised_with_alice,
    make_review,
    open_placements,
    place_alice,
)


def url(name, *args):
    return reverse(f"talentreview:{name}", args=args)


def test_hr_starts_a_review_of_a_team_in_scope(login, cast):
    client = login(cast.erin)
    assert client.get(url("new")).status_code == 200
    response = client.post(url("new"), {"name": "Engineering", "scope": cast.engineering.pk})
    review = TalentReview.objects.get()
    assert response.status_code == 302 and response["Location"] == url("review", review.pk)
    assert review.scope == cast.engineering and review.led_by == cast.erin
    assert review.status == Status.DRAFT


def test_the_form_comes_back_with_its_errors(login, cast):
    response = login(cast.erin).post(url("new"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TalentReview.objects.exists()


def test_hr_for_one_team_is_offered_only_its_teams(login, cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales)
    client = login(cast.dave)
    response = client.post(url("new"), {"name": "Peek", "scope": cast.engineering.pk})
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    response = client.post(url("new"), {"name": "Peek", "scope": ""})
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    assert not TalentReview.objects.exists()


def test_only_hr_starts_reviews(login, cast):
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        assert login(person).get(url("new")).status_code == 403


def test_the_manager_places_a_report_and_the_grid_shows_her(login, cast):
    review = make_review(cast)
    client = login(cast.bob)
    page = client.get(url("review", review.pk))
    assert "Alice Employee" in page.content.decode()  # to place
    data = {"person": cast.alice.pk, "performance": 3, "potential": 2, "rationale": "Ships"}
    response = client.post(url("place", review.pk), data)
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.performance, placement.potential, placement.placed_by) == (3, 2, cast.bob)
    grid = client.get(url("review", review.pk)).context["grid"]
    # The middle row (potential medium), the right column (performance high).
    assert [p.pk for p in grid[1][2]["placements"]] == [placement.pk]


def test_a_placement_without_a_rationale_comes_back(login, cast):
    review = make_review(cast)
    data = {"person": cast.alice.pk, "performance": 3, "potential": 2, "rationale": ""}
    response = login(cast.bob).post(url("place", review.pk), data)
    assert response.status_code == 200
    assert response.context["place_form"].errors["rationale"]


def test_a_manager_cannot_place_someone_not_their_report(login, cast):
    review = make_review(cast, scope=None)
    data = {"person": cast.dave.pk, "performance": 1, "potential": 1, "rationale": "x"}
    response = login(cast.bob).post(url("place", review.pk), data)
    assert response.status_code == 200
    assert response.context["place_form"].errors["person"]
    # Carol manages only Bob: she may place him, not Alice.
    data["person"] = cast.alice.pk
    response = login(cast.carol).post(url("place", review.pk), data)
    assert response.context["place_form"].errors["person"]
    assert not Placement.objects.exists()


def test_who_sees_the_grid_and_whose_names(login, cast):
    placement = place_alice(cast)
    review = placement.review
    for person in (cast.bob, cast.carol, cast.erin):
        page = login(person).get(url("review", review.pk))
        assert page.status_code == 200
        assert [p.pk for p in page.context["page"].object_list] == [placement.pk]
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).get(url("review", review.pk)).status_code == 404
        assert login(person).get(url("placement", placement.pk)).status_code == 404


def test_the_meeting_hr_adjusts_the_manager_may_no_longer(login, cast):
    placement = place_alice(cast)
    review = placement.review
    hr = login(cast.erin)
    assert hr.post(url("advance", review.pk)).status_code == 302
    review.refresh_from_db()
    assert review.status == Status.MEETING
    data = {"performance": 2, "potential": 2, "rationale": "Agreed in the meeting"}
    assert login(cast.bob).post(url("placement", placement.pk), data).status_code == 403
    assert login(cast.erin).post(url("placement", placement.pk), data).status_code == 302
    placement.refresh_from_db()
    assert placement.adjusted and placement.potential == 2
    page = login(cast.bob).get(url("placement", placement.pk)).content.decode()
    assert "Agreed in the meeting" in page and "in the meeting" in page


def test_only_hr_covering_the_scope_moves_the_review_on(login, cast):
    review = make_review(cast)
    assert login(cast.bob).post(url("advance", review.pk)).status_code == 403
    assert login(cast.dave).post(url("advance", review.pk)).status_code == 404
    review.refresh_from_db()
    assert review.status == Status.DRAFT


def test_finalised_placements_are_frozen_and_earlier_reviews_stay_readable(login, cast):
    placement = finalised_with_alice(cast)
    page = login(cast.erin).get(url("placement", placement.pk))
    assert page.context["form"] is None
    data = {"performance": 1, "potential": 1, "rationale": "Late"}
    assert login(cast.erin).post(url("placement", placement.pk), data).status_code == 403
    later = make_review(cast, name="Next year")
    place_alice(cast, later, rationale="A year on")
    assert login(cast.bob).get(url("placement", placement.pk)).status_code == 200
    listed = login(cast.carol).get(url("index")).context["reviews"]
    assert {r.pk for r in listed} == {placement.review_id, later.pk}


def test_hr_edits_the_box_labels(login, cast):
    review = make_review(cast)
    data = {f"label_{i}": "" for i in range(9)}
    data["label_2"] = "Stars"
    assert login(cast.erin).post(url("labels", review.pk), data).status_code == 302
    review.refresh_from_db()
    assert review.label(3, 3) == "Stars"
    assert review.label(1, 1) == "Needs support"  # the default stays
    assert login(cast.bob).get(url("labels", review.pk)).status_code == 403


def test_the_person_sees_and_answers_their_placement_when_allowed(login, cast):
    placement = finalised_with_alice(cast)
    client = login(cast.alice)
    assert client.get(url("placement", placement.pk)).status_code == 404
    assert client.get(url("mine")).context["placements"] == []
    open_placements()
    assert [p.pk for p in client.get(url("mine")).context["placements"]] == [placement.pk]
    page = client.get(url("placement", placement.pk)).content.decode()
    assert "Takes the lead" in page
    response = client.post(url("respond", placement.pk), {"text": "Fair, mostly"})
    assert response.status_code == 302
    assert "Fair, mostly" in login(cast.bob).get(url("placement", placement.pk)).content.decode()
    assert login(cast.bob).post(url("respond", placement.pk), {"text": "x"}).status_code == 403
    empty = login(cast.alice).post(url("respond", placement.pk), {"text": ""})
    assert empty.status_code == 200 and empty.context["response_form"].errors


def test_the_person_sees_the_finalised_placement_not_the_drafts_behind_it(login, cast):
    """Where the organisation lets people see their placement, they see the finalised one:
    not its history (the manager's draft boxes, earlier rationales, the meeting's changes),
    which their manager and HR still read."""
    placement = finalised_with_alice(cast)
    open_placements()
    alice = login(cast.alice).get(url("placement", placement.pk))
    assert alice.status_code == 200
    assert list(alice.context["history"]) == []
    assert "Placed by" not in alice.content.decode()  # who placed it last: its history
    bob = login(cast.bob).get(url("placement", placement.pk))
    assert list(bob.context["history"]) != []
    assert "Placed by" in bob.content.decode()
