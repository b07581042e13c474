"""Authorization-matrix entries for the settings pages (Administration): merged into
`cadence/tests/test_authorization_matrix.py`.

Administrators administer the installation (organisation, modules); organisation-wide HR the
roll-out (privacy and retention, the pilot, invitations); the index sends each to their first
tab; everyone else signed in gets 403.
"""

from cadence.tests.matrix import DENIED, LOGIN, OK, REDIRECT, Route

ADMIN_ONLY = {"anonymous": LOGIN, "signed_in": DENIED, "admin": OK}
HR_PART = {"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}

ROUTES = {
    "organisation:index": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "hr": REDIRECT, "admin": REDIRECT}
    ),
    "organisation:general": Route(ADMIN_ONLY),
    "organisation:modules": Route(ADMIN_ONLY),
    "organisation:privacy": Route(HR_PART),
    "organisation:pilot": Route(HR_PART),
    # Who has not accepted an invitation; sending (nothing ticked: back to the list).
    # Administrators too: they invite anyone, as the API lets them.
    "organisation:invitations": Route({**HR_PART, "admin": OK}),
    "organisation:invitations_send": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "hr": REDIRECT, "admin": REDIRECT},
        method="post",
    ),
}


# HR roles and API tokens (administrators only; HR is not an administrator). The role is
# Erin's, the token Alice's: the pages show their confirmation on a GET, and act on a POST.
def erin_role_id(cast):
    from access.models import HRRole

    return HRRole.objects.get(person=cast.erin).pk


def alice_token_id(cast):
    from accounts.models import ApiToken

    return ApiToken.issue(cast.alice, "script")[0].pk


def alice_with_a_token(cast):
    from accounts.models import ApiToken

    ApiToken.issue(cast.alice, "script")
    return cast.alice.pk


ROUTES.update(
    {
        "organisation:roles": Route(ADMIN_ONLY),
        "organisation:role": Route(ADMIN_ONLY, kwargs={"role_id": erin_role_id}),
        "organisation:role_revoke": Route(ADMIN_ONLY, kwargs={"role_id": erin_role_id}),
        "organisation:tokens": Route(ADMIN_ONLY),
        "organisation:token_revoke": Route(ADMIN_ONLY, kwargs={"token_id": alice_token_id}),
        "organisation:person_tokens_revoke": Route(
            ADMIN_ONLY, kwargs={"person_id": alice_with_a_token}
        ),
    }
)


# Single sign-on's settings (administrators only): the page, and its form posting to itself.
ROUTES["organisation:sso"] = Route(ADMIN_ONLY)
