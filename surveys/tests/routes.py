"""Authorization-matrix entries for surveys: merged into
`cadence/tests/test_authorization_matrix.py`.

Alice is asked in a pulse of Engineering (open); only she opens her invitation. A closed round
of Engineering's pulse is read by Erin (HR for everyone) and by Carol, who leads Engineering;
Bob leads Platform, inside it, and reads his part; Alice, Dave and Frank read nothing of it.
Only HR makes and stops surveys.
"""

from cadence.tests.matrix import API, DENIED, HIDDEN, INVALID, LOGIN, OK, PAGE, REDIRECT, Route


def engineering_survey(cast):
    from django.utils import timezone

    from surveys import rounds
    from surveys.models import Survey
    from surveys.tests.factories import make_survey

    found = Survey.objects.filter(name="Engineering pulse").first()
    if found is None:
        found = make_survey(name="Engineering pulse", team=cast.engineering)
        rounds.open_round(found, timezone.localdate())
    return found


def survey_id(cast):
    return engineering_survey(cast).pk


def alice_invitation_id(cast):
    from surveys.models import Invitation

    return Invitation.objects.get(round__survey=engineering_survey(cast), person=cast.alice).pk


SURVEY = {"survey_id": survey_id}
READERS = {
    "anonymous": LOGIN,
    "signed_in": HIDDEN,
    "manager": OK,
    "leader": OK,
    "hr": OK,
}

ROUTES = {
    "surveys:index": Route(PAGE),
    "surveys:new": Route({"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}),
    "surveys:answer": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK},
        kwargs={"invitation_id": alice_invitation_id},
    ),
    "surveys:survey": Route(READERS, kwargs=SURVEY),
    "surveys:export": Route(READERS, kwargs=SURVEY),
    "surveys:end": Route(
        {
            "anonymous": LOGIN,
            "signed_in": HIDDEN,
            "manager": DENIED,
            "leader": DENIED,
            "hr": REDIRECT,
        },
        method="post",
        kwargs=SURVEY,
    ),
    "api:list_my_rounds": Route(API),
    # Alice answers her own invitation: an empty body is invalid for her, 404 for the rest.
    "api:answer_round": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": INVALID},
        method="post",
        kwargs={"invitation_id": alice_invitation_id},
        body={"answers": {}},
    ),
    "api:list_surveys": Route(API),
    "api:get_results": Route(READERS, kwargs=SURVEY),
}
