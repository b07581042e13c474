"""Authorization-matrix entries for Talent: merged into
`cadence/tests/test_authorization_matrix.py`. Each part of Talent adds its own module of
routes next to this one (`routes_<part>.py`) and its line there."""

from cadence.tests.matrix import PAGE, Route

ROUTES = {
    # Talent's main page: everyone signed in (each part shows itself to whom it concerns).
    "talent:index": Route(PAGE),
}
