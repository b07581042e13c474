"""Authorization-matrix entries for the settings pages (Administration): merged into
`cadence/tests/test_authorization_matrix.py`.

Administrators administer the installation (organisation, modules); organisation-wide HR the
roll-out (privacy and retention); the index sends each to their first tab; everyone else signed
in gets 403.
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
}


# HR roles (administrators only; HR is not an administrator). The role is Erin's: the
# revocation page shows its confirmation on a GET, and acts on a POST.
def erin_role_id(cast):
    from access.models import HRRole

    return HRRole.objects.get(person=cast.erin).pk


ROUTES.update(
    {
        "organisation:roles": Route(ADMIN_ONLY),
        "organisation:role": Route(ADMIN_ONLY, kwargs={"role_id": erin_role_id}),
        "organisation:role_revoke": Route(ADMIN_ONLY, kwargs={"role_id": erin_role_id}),
    }
)
