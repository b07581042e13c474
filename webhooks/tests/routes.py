"""Authorization-matrix entries for webhooks: merged into
`cadence/tests/test_authorization_matrix.py`.

The Webhooks tab (endpoints, their log, test events, secrets) is for administrators only, as
the other tabs of the installation; HR is not an administrator. A team's chat channel is set up
by whoever manages the team: Platform's lead (Bob), the lead above it (Carol) and HR covering it
(Erin); everyone else signed in gets 403, the administrator included.
"""

from cadence.tests.matrix import DENIED, LOGIN, OK, REDIRECT, Route

ADMIN_ONLY = {"anonymous": LOGIN, "signed_in": DENIED, "admin": OK}
ADMIN_WRITES = {"anonymous": LOGIN, "signed_in": DENIED, "admin": REDIRECT}
TEAM_MANAGERS = {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK, "hr": OK}
TEAM_WRITES = {
    "anonymous": LOGIN,
    "signed_in": DENIED,
    "manager": REDIRECT,
    "leader": REDIRECT,
    "hr": REDIRECT,
}


def an_endpoint(cast):
    from webhooks.tests.factories import make_endpoint

    return make_endpoint(cast.frank, "https://hooks.example.com/cadence")[0].pk


def a_failed_delivery(cast):
    from webhooks.models import Delivery, DeliveryStatus, Event
    from webhooks.tests.factories import make_endpoint

    endpoint, _secret = make_endpoint(cast.frank, "https://hooks.example.com/cadence")
    event = Event.objects.create(kind="ping", payload={})
    return Delivery.objects.create(event=event, endpoint=endpoint, status=DeliveryStatus.FAILED).pk


def platform_id(cast):
    return cast.platform.pk


def platform_with_a_channel(cast):
    from webhooks.tests.factories import make_channel

    make_channel(cast.bob, cast.platform, "https://hooks.slack.example/services/T1/B1/x")
    return cast.platform.pk


ROUTES = {
    "webhooks:endpoints": Route(ADMIN_ONLY),
    "webhooks:endpoint_new": Route(ADMIN_ONLY),
    "webhooks:endpoint": Route(ADMIN_ONLY, kwargs={"endpoint_id": an_endpoint}),
    "webhooks:endpoint_secret": Route(ADMIN_ONLY, kwargs={"endpoint_id": an_endpoint}),
    "webhooks:endpoint_delete": Route(ADMIN_ONLY, kwargs={"endpoint_id": an_endpoint}),
    "webhooks:endpoint_test": Route(
        ADMIN_WRITES, method="post", kwargs={"endpoint_id": an_endpoint}
    ),
    "webhooks:delivery_again": Route(
        ADMIN_WRITES, method="post", kwargs={"delivery_id": a_failed_delivery}
    ),
    "team_chat:channel": Route(TEAM_MANAGERS, kwargs={"team_id": platform_id}),
    "team_chat:channel_test": Route(
        TEAM_WRITES, method="post", kwargs={"team_id": platform_with_a_channel}
    ),
    "team_chat:channel_delete": Route(TEAM_MANAGERS, kwargs={"team_id": platform_with_a_channel}),
}
