"""Authorization-matrix entries for key positions and succession: merged into
`cadence/tests/test_authorization_matrix.py`.

Head of Platform, a key position in Platform (within Engineering): managed by Erin (HR for the
whole organisation), Bob (the lead of Platform) and Carol (the lead of Engineering); Alice is
its candidate, whom she may not know about, nor may Dave (a peer) or Frank (the administrator):
404. The key positions list and the form to mark one open for everyone signed in (each sees
only what they may; the form offers only their teams).
"""

from datetime import timedelta

from cadence.tests.matrix import API, CREATED, HIDDEN, INVALID, LOGIN, OK, PAGE, REDIRECT, Route


def position(cast):
    from people.models import Role
    from succession.models import KeyPosition

    role = Role.objects.get_or_create(name="Engineering manager")[0]
    return KeyPosition.objects.get_or_create(
        team=cast.platform,
        title="Head of Platform",
        defaults={"role": role, "level": 4, "incumbent": cast.bob},
    )[0]


def position_id(cast):
    return position(cast).pk


def candidacy_id(cast):
    from django.utils import timezone

    from succession.models import SuccessionCandidate

    return SuccessionCandidate.objects.get_or_create(
        position=position(cast),
        person=cast.alice,
        defaults={"readiness": "now", "readiness_on": timezone.localdate() - timedelta(days=5)},
    )[0].pk


def _position_body(cast, kwargs):
    from people.models import Role

    role = Role.objects.get_or_create(name="Engineering manager")[0]
    return {
        "title": "Head of Platform",
        "team_id": cast.platform.pk,
        "role_id": role.pk,
        "level": 4,
    }


def _candidate_body(cast, kwargs):
    from django.utils import timezone

    return {
        "person_id": cast.dave.pk,
        "readiness": "1-2",
        "readiness_on": str(timezone.localdate()),
    }


# Erin (HR), Carol and Bob (the leads of its part) manage it; nobody else may know it exists.
MANAGED = {"anonymous": LOGIN, "signed_in": HIDDEN, "manager": OK, "leader": OK, "hr": OK}
DONE = {**MANAGED, "manager": REDIRECT, "leader": REDIRECT, "hr": REDIRECT}
MADE = {**MANAGED, "manager": CREATED, "leader": CREATED, "hr": CREATED}
# Marking a position: everyone may open the form; Bob, Carol and Erin may mark one in Platform.
MARKED = {"anonymous": LOGIN, "signed_in": INVALID, "manager": CREATED, "leader": CREATED}
POSITION = {"position_id": position_id}
CANDIDACY = {"candidacy_id": candidacy_id}

ROUTES = {
    "succession:index": Route(PAGE),
    "succession:new_position": Route(PAGE),
    "succession:position": Route(MANAGED, kwargs=POSITION),
    "succession:edit_position": Route(MANAGED, kwargs=POSITION),
    "succession:archive_position": Route(DONE, method="post", kwargs=POSITION),
    # An empty form: the page comes back with what to fill in.
    "succession:add_candidate": Route(MANAGED, method="post", kwargs=POSITION),
    # An empty form: the page comes back with its errors.
    "succession:candidacy": Route(MANAGED, method="post", kwargs=CANDIDACY),
    "succession:remove_candidate": Route(DONE, method="post", kwargs=CANDIDACY),
    "api:list_key_positions": Route(API),
    "api:create_key_position": Route({**MARKED, "hr": CREATED}, method="post", body=_position_body),
    "api:get_key_position": Route(MANAGED, kwargs=POSITION),
    "api:update_key_position": Route(MANAGED, method="put", kwargs=POSITION, body=_position_body),
    "api:list_candidates": Route(MANAGED, kwargs=POSITION),
    "api:create_candidate": Route(MADE, method="post", kwargs=POSITION, body=_candidate_body),
    "api:update_candidate": Route(
        MANAGED,
        method="put",
        kwargs=CANDIDACY,
        body={"readiness": "now", "readiness_on": "2026-01-01", "rank": 2},
    ),
    "api:remove_candidate": Route(MANAGED, method="post", kwargs=CANDIDACY),
}
