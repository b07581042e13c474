"""Who sees and changes a placement (`talentreview.rules`): HR covering the person and their
management chain see it; never a peer nor the administrator as such; the person only once the
review is finalised and the organisation allows it. A write power grants no read."""

import pytest
from django.core.exceptions import PermissionDenied

from access import rules
from access.models import HRRole
from access.viewer import Viewer
from cadence.refusals import Conflict, Refused
from talentreview import services
from talentreview.models import Placement, Response, TalentReview
from talentreview.rules import ADJUST, MANAGE, PLACE, RESPOND
from talentreview.tests.factories import (
    finalised_with_alice,
    make_review,
    open_placements,
    place_alice,
)


def sees(person, obj, action="view"):
    return rules.can(Viewer(person=person), action, obj)


def test_hr_in_scope_and_the_chain_see_a_placement_peers_and_the_administrator_do_not(cast):
    placement = place_alice(cast)
    assert sees(cast.bob, placement)  # manager
    assert sees(cast.carol, placement)  # above the manager
    assert sees(cast.erin, placement)  # HR for the whole organisation
    assert not sees(cast.dave, placement)  # a peer in another team
    assert not sees(cast.frank, placement)  # the administrator, as such
    assert not sees(cast.alice, placement)  # the setting is off
    seen_by = {r.pk for r in rules.visible(Viewer(person=cast.dave), Placement)}
    assert placement.pk not in seen_by


def test_hr_for_another_team_does_not_see_it(cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales)
    placement = place_alice(cast)
    assert not sees(cast.dave, placement)


def test_the_person_sees_it_once_finalised_and_only_when_the_organisation_allows(cast):
    placement = finalised_with_alice(cast)
    assert not sees(cast.alice, placement)
    open_placements()
    assert sees(cast.alice, placement)
    assert sees(cast.alice, placement, RESPOND)
    assert not sees(cast.bob, placement, RESPOND)


def test_the_person_does_not_see_a_draft_placement_even_when_allowed(cast):
    open_placements()
    placement = place_alice(cast)
    assert not sees(cast.alice, placement)


def test_who_sees_it_names_the_chain_and_hr_and_the_person_when_allowed(cast):
    placement = finalised_with_alice(cast)
    groups = rules.who(placement)
    names = {p.pk for group in groups for p in group.people}
    assert names == {cast.bob.pk, cast.carol.pk, cast.erin.pk}
    open_placements()
    names = {p.pk for group in rules.who(placement) for p in group.people}
    assert names == {cast.alice.pk, cast.bob.pk, cast.carol.pk, cast.erin.pk}


def test_only_the_manager_places_and_only_while_in_draft(cast):
    review = make_review(cast)
    with pytest.raises(PermissionDenied):  # Carol is Alice's chain, not her manager
        services.place(
            Viewer(person=cast.carol), review, cast.alice, performance=1, potential=1, rationale="x"
        )
    with pytest.raises(PermissionDenied):  # Dave is not Bob's report
        services.place(
            Viewer(person=cast.bob), review, cast.dave, performance=1, potential=1, rationale="x"
        )
    placement = place_alice(cast, review)
    assert sees(cast.bob, placement, PLACE)
    services.open_meeting(Viewer(person=cast.erin), review)
    placement.refresh_from_db()
    assert not sees(cast.bob, placement, PLACE)
    assert sees(cast.erin, placement, ADJUST)
    with pytest.raises(PermissionDenied):
        services.change_placement(
            Viewer(person=cast.bob), placement, performance=3, potential=3, rationale="More"
        )


def test_a_report_outside_the_scope_is_refused(cast):
    review = make_review(cast, scope="sales")
    with pytest.raises(Refused):
        place_alice(cast, review)


def test_hr_outside_the_scope_cannot_start_a_review_of_it_nor_read_through_one(cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales)
    with pytest.raises(PermissionDenied):
        services.start_review(Viewer(person=cast.dave), name="Peek", scope=cast.engineering)
    with pytest.raises(PermissionDenied):  # the whole organisation covers Engineering too
        services.start_review(Viewer(person=cast.dave), name="Peek", scope=None)
    own = services.start_review(Viewer(person=cast.dave), name="Sales", scope=cast.sales)
    assert sees(cast.dave, own, MANAGE)
    placement = place_alice(cast)
    assert not sees(cast.dave, placement)
    assert not sees(cast.dave, placement.review)


def test_a_review_is_known_to_hr_covering_it_and_the_chains_of_the_people_in_it(cast):
    review = make_review(cast)
    assert sees(cast.erin, review, MANAGE)
    assert sees(cast.bob, review) and sees(cast.carol, review)
    assert not sees(cast.bob, review, MANAGE)
    assert not sees(cast.alice, review)  # nobody reports to her
    assert not sees(cast.dave, review)
    assert not sees(cast.frank, review)
    visible = set(rules.visible(Viewer(person=cast.carol), TalentReview))
    assert visible == {review}


def test_finalised_placements_are_frozen_and_history_is_kept(cast):
    review = make_review(cast)
    placement = place_alice(cast, review)
    services.change_placement(
        Viewer(person=cast.bob), placement, performance=3, potential=3, rationale="Even more"
    )
    erin = Viewer(person=cast.erin)
    services.open_meeting(erin, review)
    placement.refresh_from_db()
    services.change_placement(erin, placement, performance=2, potential=2, rationale="Agreed")
    services.finalise(erin, review)
    placement.refresh_from_db()
    assert placement.adjusted
    with pytest.raises(Conflict):
        services.change_placement(erin, placement, performance=1, potential=1, rationale="No")
    changes = list(placement.changes.order_by("pk"))
    assert [(c.performance_before, c.performance_after) for c in changes] == [
        (None, 2),
        (2, 3),
        (3, 2),
    ]
    assert [c.in_meeting for c in changes] == [False, False, True]
    assert changes[-1].changed_by == cast.erin


def test_the_response_is_seen_by_whoever_sees_the_placement(cast):
    placement = finalised_with_alice(cast)
    open_placements()
    response = services.respond(Viewer(person=cast.alice), placement, text="I disagree a bit")
    assert isinstance(response, Response)
    for person in (cast.alice, cast.bob, cast.carol, cast.erin):
        assert sees(person, response)
    for person in (cast.dave, cast.frank):
        assert not sees(person, response)
    with pytest.raises(PermissionDenied):
        services.respond(Viewer(person=cast.bob), placement, text="For her")


def test_hr_placed_in_a_review_does_not_see_their_own_placement_as_hr(cast):
    from talentreview.models import Placement as P

    review = make_review(cast, scope=None)
    own = P.objects.create(
        review=review, person=cast.erin, performance=2, potential=2, rationale="x"
    )
    assert not sees(cast.erin, own)
    assert own.pk not in {p.pk for p in rules.visible(Viewer(person=cast.erin), P)}
    names = {p.pk for group in rules.who(own) for p in group.people}
    assert cast.erin.pk not in names
