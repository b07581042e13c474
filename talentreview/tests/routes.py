"""Authorization-matrix entries for talent reviews: merged into
`cadence/tests/test_authorization_matrix.py`.

A draft review of Engineering (led by Erin, HR for the whole organisation) in which Bob placed
Alice: Bob (her manager), Carol (above him) and Erin see the review and the placement; Alice
(the organisation does not let people see their own), Dave (a peer) and Frank (the
administrator) may not know they exist. Only Erin runs the review; Bob places his reports,
Carol hers (Bob).
"""

from cadence.tests.matrix import (
    API,
    CREATED,
    DENIED,
    HIDDEN,
    HR_ONLY,
    INVALID,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)


def alice_placement(cast):
    from talentreview.models import Placement, TalentReview

    review, _created = TalentReview.objects.get_or_create(
        name="Engineering 2026", defaults={"scope": cast.engineering, "led_by": cast.erin}
    )
    placement, _created = Placement.objects.get_or_create(
        review=review,
        person=cast.alice,
        defaults={"performance": 2, "potential": 3, "rationale": "Leads", "placed_by": cast.bob},
    )
    return placement


def review_id(cast):
    return alice_placement(cast).review_id


def placement_id(cast):
    return alice_placement(cast).pk


REVIEW = {"review_id": review_id}
PLACEMENT = {"placement_id": placement_id}
# The review and Alice's placement: her chain and HR.
SEEN = {"anonymous": LOGIN, "signed_in": HIDDEN, "manager": OK, "leader": OK, "hr": OK}
RUN = {**SEEN, "manager": DENIED, "leader": DENIED}
PLACEMENT_BODY = {"performance": 3, "potential": 3, "rationale": "More"}

ROUTES = {
    "talentreview:index": Route(PAGE),
    "talentreview:new": Route(HR_ONLY),
    "talentreview:mine": Route(PAGE),
    "talentreview:review": Route(SEEN, kwargs=REVIEW),
    "talentreview:labels": Route(RUN, kwargs=REVIEW),
    # Opening the meeting: done, back to the review.
    "talentreview:advance": Route({**RUN, "hr": REDIRECT}, method="post", kwargs=REVIEW),
    # An empty form comes back with what to fill in; HR places nobody.
    "talentreview:place": Route({**SEEN, "hr": DENIED}, method="post", kwargs=REVIEW),
    "talentreview:placement": Route(SEEN, kwargs=PLACEMENT),
    "talentreview:respond": Route(
        {**SEEN, "manager": DENIED, "leader": DENIED, "hr": DENIED},
        method="post",
        kwargs=PLACEMENT,
    ),
    "api:list_reviews": Route(API),
    "api:get_review": Route(SEEN, kwargs=REVIEW),
    "api:list_placements": Route(SEEN, kwargs=REVIEW),
    # Bob places Alice; Carol may place only Bob; HR places nobody.
    "api:create_placement": Route(
        {**SEEN, "manager": CREATED, "leader": INVALID, "hr": DENIED},
        method="post",
        kwargs=REVIEW,
        body=lambda cast, kwargs: {"person_id": cast.alice.pk, **PLACEMENT_BODY},
    ),
    "api:get_placement": Route(SEEN, kwargs=PLACEMENT),
    # In draft only her manager changes it.
    "api:update_placement": Route(
        {**RUN, "hr": DENIED, "manager": OK},
        method="patch",
        kwargs=PLACEMENT,
        body=PLACEMENT_BODY,
    ),
    "api:my_placements": Route(API),
    "api:put_response": Route(
        {**SEEN, "manager": DENIED, "leader": DENIED, "hr": DENIED},
        method="put",
        kwargs=PLACEMENT,
        body={"text": "Thanks"},
    ),
}
