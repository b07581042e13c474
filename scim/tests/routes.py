"""Authorization-matrix entries for SCIM provisioning: merged into
`cadence/tests/test_authorization_matrix.py`.

/scim/v2/ answers only a SCIM token (`scim.tests.test_settings_page` proves a working one is
let in): a browser's session, whoever's, gets 401 as an API does. The settings tab is for
administrators only, as the installation's other tabs.
"""

from cadence.tests.matrix import DENIED, LOGIN, OK, Route

TOKEN_ONLY = {"everyone": LOGIN}


def alice_id(cast):
    return cast.alice.pk


def platform_id(cast):
    return cast.platform.pk


ROUTES = {
    "scim_admin:settings": Route({"anonymous": LOGIN, "signed_in": DENIED, "admin": OK}),
    "scim:root": Route(TOKEN_ONLY),
    "scim:search": Route(TOKEN_ONLY, method="post"),
    "scim:service_provider_config": Route(TOKEN_ONLY),
    "scim:resource_types": Route(TOKEN_ONLY),
    "scim:resource_type": Route(TOKEN_ONLY, kwargs={"name": lambda cast: "User"}),
    "scim:schemas": Route(TOKEN_ONLY),
    "scim:schema": Route(
        TOKEN_ONLY, kwargs={"urn": lambda cast: "urn:ietf:params:scim:schemas:core:2.0:User"}
    ),
    "scim:users": Route(TOKEN_ONLY),
    "scim:user_search": Route(TOKEN_ONLY, method="post"),
    "scim:user": Route(TOKEN_ONLY, kwargs={"person_id": alice_id}),
    "scim:groups": Route(TOKEN_ONLY),
    "scim:group_search": Route(TOKEN_ONLY, method="post"),
    "scim:group": Route(TOKEN_ONLY, kwargs={"team_id": platform_id}),
}
