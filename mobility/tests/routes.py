"""Authorization-matrix entries for internal mobility: merged into
`cadence/tests/test_authorization_matrix.py`.

An open opening in Platform, posted by Erin (HR for the whole organisation), Bob (Platform's
lead) its hiring manager: everyone signed in sees it; Erin and Bob change and close it. HR and
team leads post openings: Bob and Carol (Engineering's lead) may open the form; Carol may not
post for Platform, which she does not lead (the API says so on `team_id`). Everyone shows
interest, but the hiring manager in their own opening. One's wish to move is one's own.
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


def role(cast):
    from people.models import Role

    return Role.objects.get_or_create(name="Software engineer")[0]


def platform_opening(cast):
    from mobility.models import Opening

    found = Opening.objects.filter(title="Platform engineer").first()
    if found is None:
        found = Opening.objects.create(
            title="Platform engineer",
            role=role(cast),
            level=3,
            team=cast.platform,
            hiring_manager=cast.bob,
            posted_by=cast.erin,
        )
    return found


def opening_id(cast):
    return platform_opening(cast).pk


def opening_alice_likes_id(cast):
    from mobility.models import Interest

    opening = platform_opening(cast)
    Interest.objects.get_or_create(person=cast.alice, opening=opening)
    return opening.pk


OPENING = {"opening_id": opening_id}
POSTS = {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK, "hr": OK}
CHANGES = {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "hr": OK}

ROUTES = {
    "mobility:index": Route(PAGE),
    "mobility:preference": Route(PAGE),
    "mobility:supply": Route(HR_ONLY),
    "mobility:post": Route(POSTS),
    "mobility:opening": Route(PAGE, kwargs=OPENING),
    "mobility:edit": Route(CHANGES, kwargs=OPENING),
    "mobility:close": Route(
        {**CHANGES, "manager": REDIRECT, "hr": REDIRECT}, method="post", kwargs=OPENING
    ),
    # An empty note is fine: shown, back to the opening; its hiring manager is refused on the
    # page itself.
    "mobility:express": Route(
        {"anonymous": LOGIN, "signed_in": REDIRECT, "manager": OK}, method="post", kwargs=OPENING
    ),
    # Nothing to withdraw is said so, back on the opening.
    "mobility:withdraw": Route(
        {"anonymous": LOGIN, "signed_in": REDIRECT}, method="post", kwargs=OPENING
    ),
    "api:get_my_mobility_preference": Route(API),
    "api:put_my_mobility_preference": Route(
        API, method="put", body={"open_to_move": True, "audience": "hr"}
    ),
    "api:list_openings": Route(API),
    "api:get_opening": Route(API, kwargs=OPENING),
    "api:create_opening": Route(
        {
            "anonymous": LOGIN,
            "signed_in": DENIED,
            "manager": CREATED,
            "leader": INVALID,
            "hr": CREATED,
        },
        method="post",
        body=lambda cast, kwargs: {
            "title": "Engineer",
            "role_id": role(cast).pk,
            "level": 3,
            "team_id": cast.platform.pk,
        },
    ),
    "api:update_opening": Route(CHANGES, method="patch", kwargs=OPENING, body={"title": "New"}),
    "api:express_interest": Route(
        {"anonymous": LOGIN, "signed_in": CREATED, "manager": INVALID},
        method="post",
        kwargs=OPENING,
        body={"note": ""},
    ),
    "api:withdraw_interest": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK},
        method="post",
        kwargs={"opening_id": opening_alice_likes_id},
    ),
    "api:list_opening_interests": Route(API, kwargs=OPENING),
}
