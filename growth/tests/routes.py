"""Authorization-matrix entries for Growth: merged into
`cadence/tests/test_authorization_matrix.py`.

The framework, its versions, the career map and the API are the organisation's, read by
everyone signed in; importing and starting from the starter framework are organisation-wide
HR's alone (Erin); the administrator (Frank) is not HR.
"""

from cadence.tests.matrix import API, DENIED, LOGIN, OK, PAGE, REDIRECT, Route

HR_ONLY = {"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}


def starter_version(cast):
    """The current version, or the starter published (the browser tests open every page in
    one database)."""
    from growth.models import FrameworkVersion
    from growth.tests.factories import publish_starter

    version = FrameworkVersion.objects.order_by("-number").first()
    return (version or publish_starter()).number


ROUTES = {
    "growth:index": Route(PAGE),
    "growth:framework": Route(PAGE),
    "growth:export": Route(PAGE, kwargs={"number": starter_version}),
    "growth:career": Route(PAGE),
    "growth:import": Route(HR_ONLY),
    # Publishes version 1 and goes back to the framework.
    "growth:start": Route({"anonymous": LOGIN, "signed_in": DENIED, "hr": REDIRECT}, method="post"),
    "api:growth_framework": Route(API),
    "api:growth_tracks": Route(API),
    "api:growth_framework_versions": Route(API),
}
