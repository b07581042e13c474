"""Authorization-matrix entries for assessments: merged into
`cadence/tests/test_authorization_matrix.py`.

An assessment of Alice is hers and her manager Bob's; HR (Erin, for the whole organisation)
sees that it exists and its status, never rates, agrees or closes; Carol above Bob, Dave in
another team and Frank the administrator may not know it exists. Rounds are HR's.
"""

from cadence.tests.matrix import (
    API,
    BAD,
    CREATED,
    DENIED,
    HIDDEN,
    LOGIN,
    OK,
    REDIRECT,
    Route,
)
from growth.tests.routes import starter_version

THE_TWO = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK, "hr": OK}
# A write by either of the two (a page's redirect; HR may see it but not write).
EITHER = {**THE_TWO, "employee": REDIRECT, "manager": REDIRECT, "hr": DENIED}
MANAGERS = {**THE_TWO, "employee": DENIED, "manager": REDIRECT, "hr": DENIED}
ALICES = {**THE_TWO, "employee": REDIRECT, "manager": DENIED, "hr": DENIED}
API_EITHER = {**THE_TWO, "hr": DENIED}
API_MANAGERS = {**THE_TWO, "employee": DENIED, "hr": DENIED}
API_ALICES = {**THE_TWO, "manager": DENIED, "hr": DENIED}


def _assessment(cast, *, mine=None, theirs=None, share=False, agreed=False):
    from growth import services
    from growth.tests.helpers import as_, competency, rated

    starter_version(cast)
    assessment = rated(cast, mine=mine, theirs=theirs, share=share)
    if agreed:
        target = competency(assessment, "communication").pk
        services.agree(as_(cast.bob), assessment, competency_id=target, level=2)
    return assessment.pk


def open_assessment(cast):
    return _assessment(cast)


def rated_unshared(cast):
    return _assessment(cast, mine=3, theirs=2)


def both_shared(cast):
    return _assessment(cast, mine=3, theirs=2, share=True)


def with_agreed_level(cast):
    return _assessment(cast, mine=3, theirs=2, share=True, agreed=True)


def communication(cast):
    from growth.models import Competency

    version = starter_version(cast)
    return Competency.objects.get(version__number=version, key="communication").pk


def communication_key(cast):
    starter_version(cast)
    return "communication"


def alice_id(cast):
    return cast.alice.pk


def a_round(cast):
    from growth.models import AssessmentRound

    return AssessmentRound.objects.create(name="Everyone", due_date="2030-01-01").pk


def a_rating(cast, kwargs):
    return {"competency": communication(cast), "level": 2}


def start_body(cast, kwargs):
    starter_version(cast)
    return {}


def round_body(cast, kwargs):
    """A round for the whole organisation, due in a fortnight: valid for organisation-wide HR."""
    from datetime import timedelta

    from django.utils import timezone

    starter_version(cast)
    due = timezone.localdate() + timedelta(days=14)
    return {"name": "Spring", "team_id": None, "due_date": due.isoformat()}


ROUTES = {
    # Anyone signed in starts one of themselves (and goes to it).
    "growth:assessment_start": Route({"anonymous": LOGIN, "signed_in": REDIRECT}, method="post"),
    "growth:assessment": Route(THE_TWO, kwargs={"assessment_id": open_assessment}),
    # Not assessed, with no evidence: a valid rating of either side.
    "growth:assessment_rate": Route(
        EITHER,
        method="post",
        kwargs={"assessment_id": open_assessment, "competency_id": communication},
    ),
    # The agreed level needs a level: the manager's empty form is refused.
    "growth:assessment_agree": Route(
        {**MANAGERS, "manager": BAD},
        method="post",
        kwargs={"assessment_id": both_shared, "competency_id": communication},
    ),
    "growth:assessment_share": Route(
        EITHER, method="post", kwargs={"assessment_id": rated_unshared}
    ),
    "growth:assessment_agreement": Route(
        MANAGERS, method="post", kwargs={"assessment_id": with_agreed_level}
    ),
    "growth:assessment_close": Route(EITHER, method="post", kwargs={"assessment_id": both_shared}),
    "growth:assessment_share_hr": Route(
        ALICES, method="post", kwargs={"assessment_id": both_shared}
    ),
    "growth:competency_history": Route(
        THE_TWO, kwargs={"person_id": alice_id, "key": communication_key}
    ),
    "growth:rounds": Route({"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}),
    "growth:round": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "hr": OK}, kwargs={"round_id": a_round}
    ),
    "api:growth_assessments": Route(API),
    "api:growth_assessment": Route(THE_TWO, kwargs={"assessment_id": open_assessment}),
    "api:growth_assessment_start": Route(
        {"anonymous": LOGIN, "signed_in": CREATED}, method="post", body=start_body
    ),
    "api:growth_assessment_rate": Route(
        API_EITHER, method="post", kwargs={"assessment_id": open_assessment}, body=a_rating
    ),
    "api:growth_assessment_share": Route(
        API_EITHER, method="post", kwargs={"assessment_id": rated_unshared}
    ),
    "api:growth_assessment_agree": Route(
        API_MANAGERS,
        method="post",
        kwargs={"assessment_id": both_shared},
        body=lambda cast, kwargs: {"competency": communication(cast), "level": 2},
    ),
    "api:growth_assessment_agreement": Route(
        API_MANAGERS, method="post", kwargs={"assessment_id": with_agreed_level}
    ),
    "api:growth_assessment_close": Route(
        API_EITHER, method="post", kwargs={"assessment_id": both_shared}
    ),
    # Rounds are HR's, as on the pages: the list and a start refuse anyone else (403); a
    # round's progress is not for them to know of (404).
    "api:growth_rounds": Route({"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}),
    "api:growth_round": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "hr": OK}, kwargs={"round_id": a_round}
    ),
    "api:growth_round_start": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "hr": CREATED}, method="post", body=round_body
    ),
    # Alice's choice alone: her manager and HR see it but may not make it.
    "api:growth_assessment_share_hr": Route(
        API_ALICES, method="post", kwargs={"assessment_id": both_shared}
    ),
}
